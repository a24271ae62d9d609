"""One table of problem types: every error class takes its type from it, and the platform
document lists exactly that table."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from httpx import AsyncClient

from hrcore.core.errors import (
    MALFORMED_JSON,
    NOT_FOUND,
    PROBLEM_TYPES,
    TYPE_BASE,
    ProblemError,
    ProblemType,
)
from hrcore.main import create_app

PLATFORM_DOC = Path(__file__).parents[2] / "docs" / "platform.md"


def _subclasses(cls: type[ProblemError]) -> set[type[ProblemError]]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_problem_class_uses_a_type_of_the_table() -> None:
    create_app()  # imports every domain, so their ProblemError subclasses exist
    classes = _subclasses(ProblemError) | {ProblemError}
    assert len(classes) > 10
    for cls in classes:
        assert ProblemType(cls.status, cls.slug, cls.title) in PROBLEM_TYPES, cls


def test_slugs_are_unique() -> None:
    slugs = [kind.slug for kind in PROBLEM_TYPES]
    assert len(slugs) == len(set(slugs))


def test_the_platform_document_lists_the_table() -> None:
    section = PLATFORM_DOC.read_text().split("## Errors", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \| (\d{3}) \| ([^|]+?) \|", section, re.MULTILINE)
    documented = [ProblemType(int(status), slug, title) for slug, status, title in rows]
    assert documented == list(PROBLEM_TYPES)


async def test_bodies_carry_the_type_and_title_of_the_table(widget_client: AsyncClient) -> None:
    missing = await widget_client.patch(f"/api/v1/widgets/{uuid.uuid4()}", json={"name": "b"})
    assert missing.status_code == 404
    assert missing.json() | {"request_id": None} == {
        "type": TYPE_BASE + NOT_FOUND.slug,
        "title": "Not found",
        "status": 404,
        "detail": "No such widget",
        "instance": missing.url.path,
        "request_id": None,
    }
    malformed = await widget_client.post(
        "/api/v1/widgets", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    body = malformed.json()
    assert (body["status"], body["type"], body["title"]) == (
        400,
        TYPE_BASE + MALFORMED_JSON.slug,
        "Bad request",
    )
