"""Conditional GET (core.conditional): `If-None-Match` answers 304 on every read whose tag is
current, through the route class: the inbox and lists (tagged with their body's digest) and
versioned objects (`"<version>.<digest>"`, whose version part `If-Match` compares)."""

from __future__ import annotations

import uuid

import pytest
from httpx import AsyncClient

from hrcore.core.conditional import none_match
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.notifications import service as notifications
from tests.factories import make_department, make_org, make_user
from tests.problems import assert_problem

DEPARTMENTS = "/api/v1/departments"
INBOX = "/api/v1/me/notifications"


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        ('"3"', True),
        ('W/"3"', True),
        ('"1", "3"', True),
        ("*", True),
        ('"4"', False),
        ('"1","2"', False),
        ("", False),
    ],
)
def test_none_match_compares_weakly_over_lists(header: str, matches: bool) -> None:
    assert none_match(header, '"3"') is matches


async def test_a_versioned_object_answers_304_until_it_changes(
    client: AsyncClient, runtime: Runtime
) -> None:
    """`"<version>.<digest>"`: polling a single object costs no body while it is unchanged,
    and the tag moves with the version."""
    hr = await make_org(runtime)
    department = await make_department(runtime, hr.org_id, "Sales")
    url = f"{DEPARTMENTS}/{department.id}"
    first = await client.get(url, headers=hr.headers)
    tag = first.headers["ETag"]
    assert tag.startswith(f'"{first.json()["version"]}.'), tag

    polled = await client.get(url, headers={**hr.headers, "If-None-Match": tag})
    assert (polled.status_code, polled.content) == (304, b"")
    assert polled.headers["ETag"] == tag
    bare = await client.get(url, headers={**hr.headers, "If-None-Match": tag.split(".")[0] + '"'})
    assert bare.status_code == 200, "a bare version does not vouch for the body"

    patched = await client.patch(
        url, json={"name": "Field sales"}, headers={**hr.headers, "If-Match": tag}
    )
    assert patched.status_code == 200, patched.text
    assert patched.headers["ETag"].startswith(f'"{first.json()["version"] + 1}.')
    changed = await client.get(url, headers={**hr.headers, "If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.json()["name"] == "Field sales"
    assert changed.headers["ETag"] == patched.headers["ETag"], "the write's tag is the read's"
    again = await client.get(url, headers={**hr.headers, "If-None-Match": patched.headers["ETag"]})
    assert again.status_code == 304


async def test_if_match_compares_the_version_part_of_the_tag(
    client: AsyncClient, runtime: Runtime
) -> None:
    """The full tag and the bare `"<version>"` older clients hold both pass; another version
    is 412 whichever form it takes."""
    hr = await make_org(runtime)
    department = await make_department(runtime, hr.org_id, "Sales")
    url = f"{DEPARTMENTS}/{department.id}"
    tag = (await client.get(url, headers=hr.headers)).headers["ETag"]
    version = int(tag.strip('"').split(".")[0])

    full = await client.patch(url, json={"name": "A"}, headers={**hr.headers, "If-Match": tag})
    assert full.status_code == 200, full.text
    bare = await client.patch(
        url, json={"name": "B"}, headers={**hr.headers, "If-Match": f'"{version + 1}"'}
    )
    assert bare.status_code == 200, bare.text
    for stale in (tag, f'"{version}"', f'W/"{version + 1}.{"0" * 32}"'):
        refused = await client.patch(
            url, json={"name": "C"}, headers={**hr.headers, "If-Match": stale}
        )
        assert_problem(refused, 412)
    current = (await client.get(url, headers=hr.headers)).json()
    assert (current["name"], current["version"]) == ("B", version + 2), "no partial write"


async def test_another_organizations_tag_never_turns_404_into_304(
    client: AsyncClient, runtime: Runtime
) -> None:
    hr = await make_org(runtime)
    other = await make_org(runtime)
    department = await make_department(runtime, hr.org_id, "Sales")
    url = f"{DEPARTMENTS}/{department.id}"
    tag = (await client.get(url, headers=hr.headers)).headers["ETag"]
    for header in (tag, "*"):
        foreign = await client.get(url, headers={**other.headers, "If-None-Match": header})
        assert_problem(foreign, 404)
        assert "ETag" not in foreign.headers, "no validator on a problem"


async def _notify(runtime: Runtime, org_id: uuid.UUID, user_id: uuid.UUID, key: str) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        await notifications.notify(
            session,
            org_id=org_id,
            user_ids=[user_id],
            kind="task.reminder",
            title=f"Reflection report due ({key})",
            body="Due in 3 days",
            subject_type="task",
            subject_id=uuid.UUID(int=7),
            dedupe_key=key,
        )


async def test_the_inbox_tag_changes_with_a_new_and_a_read_notification(
    client: AsyncClient, runtime: Runtime
) -> None:
    hr = await make_org(runtime)
    user = await make_user(runtime, hr.org_id)
    await _notify(runtime, hr.org_id, user.user_id, "first")
    inbox = await client.get(INBOX, headers=user.headers)
    tag = inbox.headers["ETag"]
    polled = await client.get(INBOX, headers={**user.headers, "If-None-Match": tag})
    assert (polled.status_code, polled.content) == (304, b"")

    await _notify(runtime, hr.org_id, user.user_id, "second")
    arrived = await client.get(INBOX, headers={**user.headers, "If-None-Match": tag})
    assert arrived.status_code == 200
    assert arrived.json()["unread_count"] == 2
    tag = arrived.headers["ETag"]

    newest = arrived.json()["items"][0]["id"]
    read = await client.post(f"{INBOX}/{newest}/read", headers=user.headers)
    assert read.status_code == 200, read.text
    after_read = await client.get(INBOX, headers={**user.headers, "If-None-Match": tag})
    assert after_read.status_code == 200
    assert after_read.json()["unread_count"] == 1
    assert after_read.headers["ETag"] != tag


async def test_problems_never_answer_304(client: AsyncClient, runtime: Runtime) -> None:
    hr = await make_org(runtime)
    missing = await client.get(
        f"{DEPARTMENTS}/{uuid.uuid4()}", headers={**hr.headers, "If-None-Match": "*"}
    )
    assert_problem(missing, 404)
    unauthenticated = await client.get(INBOX, headers={"If-None-Match": "*"})
    assert_problem(unauthenticated, 401)
