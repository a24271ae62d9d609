"""Courses 「课程」: HR admins create and change them (audited, optimistic locking); everyone in
the organization reads the active ones. A course names the competencies it develops (needs
analysis matches on them), online ones their modules and completion threshold."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.concurrency import check_version
from hrcore.core.db import fetch, get_or_404
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.training import courses_repository as repository
from hrcore.training.courses_schemas import CourseIn, CourseModule, CourseOut, CoursePatch
from hrcore.training.models import Course, CourseMode

COURSE = N_("course")


async def list_courses(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    mode: CourseMode | None,
    competency_id: uuid.UUID | None,
    active: bool | None,
    q: str | None,
) -> Page[CourseOut]:
    """Courses by name; anyone but an HR admin sees the active ones only."""
    principal.require_key_scope(None)
    if not principal.is_hr_admin:
        active = True
    after: tuple[Any, ...] = (None, None)
    if page.cursor is not None:
        after = decode_cursor(page.cursor, [str, uuid.UUID])
    rows = await fetch(
        session,
        repository.COURSE_PAGE,
        principal.org_id,
        mode.value if mode else None,
        competency_id,
        active,
        q,
        *after,
        page.limit + 1,
    )
    shown, cursor = cut_page(rows, ["name", "id"], page)
    return Page[CourseOut].model_validate(
        {"items": [dict(row) for row in shown], "next_cursor": cursor}
    )


async def read_course(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID
) -> CourseOut:
    """A course the caller reads (an inactive one only by HR admins), else 404."""
    principal.require_key_scope(None)
    rows = await fetch(
        session, repository.COURSE_BY_ID, principal.org_id, course_id, principal.is_hr_admin
    )
    if not rows:
        raise NotFound(_("No such course"))
    return CourseOut.model_validate(dict(rows[0]))


def _snapshot(course: Course) -> dict[str, Any]:
    return {
        "name": course.name,
        "mode": course.mode,
        "category": course.category,
        "hours": str(course.hours),
        "fee": str(course.fee) if course.fee is not None else None,
        "points": course.points,
        "competency_ids": [str(item) for item in course.competency_ids],
        "modules": course.modules,
        "completion_threshold": course.completion_threshold,
        "pass_mark": course.pass_mark,
        "active": course.active,
    }


async def _require_free_name(
    session: AsyncSession, org_id: uuid.UUID, name: str, course_id: uuid.UUID | None = None
) -> None:
    existing = await repository.course_named(session, org_id, name)
    if existing is not None and existing != course_id:
        raise Conflict(_("A course named '{name}' exists", name=name))


def _check_modules(mode: str, modules: list[CourseModule]) -> None:
    """Online courses name their modules by unique keys; offline ones have sessions instead."""
    if modules and mode == CourseMode.OFFLINE:
        raise Unprocessable(
            _("An offline course has sessions, not modules"),
            errors=[FieldError(field="body.modules", message=_("online courses only"))],
        )
    seen: set[str] = set()
    errors = []
    for index, module in enumerate(modules):
        if module.key in seen:
            errors.append(FieldError(field=f"body.modules.{index}.key", message=_("used twice")))
        seen.add(module.key)
    if errors:
        raise Unprocessable(_("Module keys must be unique"), errors=errors)


async def _check_competencies(
    session: AsyncSession, org_id: uuid.UUID, competency_ids: list[uuid.UUID]
) -> None:
    await competencies.require_competencies(
        session,
        org_id,
        {f"body.competency_ids.{index}": item for index, item in enumerate(competency_ids)},
    )


async def create_course(session: AsyncSession, principal: Principal, body: CourseIn) -> Course:
    require_hr_admin(principal)
    _check_modules(body.mode, body.modules)
    await _check_competencies(session, principal.org_id, body.competency_ids)
    await _require_free_name(session, principal.org_id, body.name)
    course = Course(
        org_id=principal.org_id,
        name=body.name,
        description=body.description,
        mode=body.mode.value,
        category=body.category,
        hours=body.hours,
        fee=body.fee,
        points=body.points,
        competency_ids=list(dict.fromkeys(body.competency_ids)),
        modules=[module.model_dump() for module in body.modules],
        completion_threshold=body.completion_threshold,
        pass_mark=body.pass_mark,
        active=body.active,
    )
    session.add(course)
    await session.flush()
    audit.record(
        session,
        principal,
        "training_course.created",
        "training_course",
        course.id,
        org_id=principal.org_id,
        after=_snapshot(course),
    )
    return course


async def update_course(
    session: AsyncSession,
    principal: Principal,
    course_id: uuid.UUID,
    body: CoursePatch,
    *,
    if_match: str | None,
) -> Course:
    require_hr_admin(principal)
    course = await get_or_404(
        session, Course, principal.org_id, course_id, what=COURSE, for_update=True
    )
    check_version(course.version, if_match=if_match, body_version=body.version)
    before = _snapshot(course)
    fields = body.model_dump(exclude_unset=True, exclude={"version", "modules", "competency_ids"})
    if body.modules is not None:
        _check_modules(course.mode, body.modules)
        course.modules = [module.model_dump() for module in body.modules]
    if body.competency_ids is not None:
        await _check_competencies(session, principal.org_id, body.competency_ids)
        course.competency_ids = list(dict.fromkeys(body.competency_ids))
    if fields.get("name") is not None:
        await _require_free_name(session, principal.org_id, fields["name"], course.id)
    for name in ("name", "hours", "completion_threshold", "active"):
        if fields.get(name) is not None:
            setattr(course, name, fields[name])
    for name in ("description", "category", "fee", "points", "pass_mark"):
        if name in fields:
            setattr(course, name, fields[name])
    await session.flush()
    await session.refresh(course)
    old, new = audit.changes(before, _snapshot(course))
    audit.record(
        session,
        principal,
        "training_course.updated",
        "training_course",
        course.id,
        org_id=principal.org_id,
        before=old,
        after=new,
    )
    return course
