"""`GET /audit-events?format=csv`: every matching event in chain order with `seq`, `hash`
and `previous_hash`, which an auditor checks with nothing but the recipe of docs/privacy.md
(sha256 and JSON, below without any hrcore code); HR admins only."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.settings import PROJECT_ROOT
from tests.factories import Account, make_org, make_user

API = "/api/v1"
FORMULA = ("=", "+", "-", "@", "\t", "\r")
HASHED = (
    "org_id",
    "seq",
    "id",
    "created_at",
    "actor_kind",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "request_id",
)


def _auditors_hash(org_id: str, row: dict[str, str]) -> str:
    """The recipe as an auditor applies it to a CSV row: undo the spreadsheet quoting, an
    empty cell is null, `seq` a number; a JSON array of the fields written with ", " between
    items and non-ASCII as is; sha256 of the previous hash and that text, in hex."""
    cells = {
        name: value[1:] if value.startswith("'") and value[1:].startswith(FORMULA) else value
        for name, value in row.items()
    }
    fields = [
        org_id if name == "org_id" else int(cells[name]) if name == "seq" else cells[name] or None
        for name in HASHED
    ]
    text = cells["previous_hash"] + json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


async def _export(client: AsyncClient, admin: Account, **filters: str) -> list[dict[str, str]]:
    response = await client.get(
        f"{API}/audit-events", params={"format": "csv", **filters}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeffseq,hash,previous_hash,id,".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


async def _write(client: AsyncClient, admin: Account) -> None:
    headers = {**admin.headers, "X-Request-ID": "-from-the-importer"}
    for code, name in (("SALES", "销售部"), ("OPS", '=HYPERLINK("x") "ops"')):
        body = {"name": name, "code": code}
        response = await client.post(f"{API}/departments", json=body, headers=headers)
        assert response.status_code == 201, response.text


async def test_the_export_lets_an_auditor_check_the_chain_without_hrcore(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await make_org(runtime)
    await _write(client, admin)
    rows = await _export(client, admin)
    assert [int(row["seq"]) for row in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["previous_hash"] == ""
    assert all(row["previous_hash"] == rows[n]["hash"] for n, row in enumerate(rows[1:]))
    assert all(_auditors_hash(str(admin.org_id), row) == row["hash"] for row in rows)
    created = [row for row in rows if row["action"] == "department.created"]
    assert [row["request_id"] for row in created] == ["'-from-the-importer"] * 2
    assert "销售部" in created[0]["after"]
    assert created[0]["actor_name"] != ""

    page = (await client.get(f"{API}/audit-events", headers=admin.headers)).json()["items"]
    assert sorted((item["seq"], item["hash"]) for item in page) == [
        (int(row["seq"]), row["hash"]) for row in rows
    ], "the JSON page (newest id first) carries the same chain"


async def test_a_filtered_export_still_checks_row_by_row(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await make_org(runtime)
    await _write(client, admin)
    rows = await _export(client, admin, action="department.created")
    assert [row["action"] for row in rows] == ["department.created"] * 2
    assert all(_auditors_hash(str(admin.org_id), row) == row["hash"] for row in rows)


async def test_another_organization_and_a_non_admin_see_nothing(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin, other = await make_org(runtime), await make_org(runtime)
    await _write(client, admin)
    theirs = await _export(client, other)
    assert {row["action"] for row in theirs}.isdisjoint({"department.created"})
    employee = await make_user(runtime, admin.org_id, Role.EMPLOYEE)
    response = await client.get(
        f"{API}/audit-events", params={"format": "csv"}, headers=employee.headers
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    refused = await client.get(
        f"{API}/audit-events", params={"format": "xml"}, headers=admin.headers
    )
    assert refused.status_code == 422


def _documented_check() -> Any:
    """The `check` function docs/privacy.md gives auditors under "The hash recipe"."""
    document = (PROJECT_ROOT / "docs" / "privacy.md").read_text()
    recipe = document.split("### The hash recipe", 1)[1]
    code = recipe.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # our own documentation
    return namespace["check"]


async def test_the_documented_recipe_checks_an_export(
    client: AsyncClient, runtime: Runtime, tmp_path: Path
) -> None:
    admin = await make_org(runtime)
    await _write(client, admin)
    response = await client.get(
        f"{API}/audit-events", params={"format": "csv"}, headers=admin.headers
    )
    export = tmp_path / "audit.csv"
    export.write_bytes(response.content)
    check = _documented_check()
    assert check(export, str(admin.org_id)) == "intact"
    rows = await _export(client, admin)
    target = next(row for row in rows if '"OPS"' in row["after"])
    target["after"] = target["after"].replace('"OPS"', '"0PS"')
    with export.open("w", encoding="utf-8-sig", newline="") as altered:
        writer = csv.DictWriter(altered, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert check(export, str(admin.org_id)) == f"broken at seq {target['seq']}"
