"""Online progress from an LMS as xAPI statements (`POST /xapi/statements`).

Each statement is applied on its own, in a savepoint: one that names an unknown employee,
course or module is answered `rejected` with its reason and writes nothing, while the others
of the batch apply. A statement's `id` is claimed in `training_xapi_statements` in the same
savepoint, so one sent again answers `duplicate` and awards nothing.

What a verb does: `completed` a module (`…/courses/{id}#module`) marks it done, the course
(no fragment) completes the enrolment; `progressed` marks the module done when its
`result.completion` is true; `passed` records the exam score (the best is kept) and when
first passed. The actor is an employee by `account.name` (the employee number)."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, Scope, require_hr_admin
from hrcore.core.db import fetch
from hrcore.core.i18n import Text, _
from hrcore.core.models import new_id
from hrcore.people import api as people
from hrcore.training import checkin_progress as progress
from hrcore.training import checkin_repository as repository
from hrcore.training.checkin_progress import Progress
from hrcore.training.checkin_xapi_schemas import (
    COMPLETED,
    PASSED,
    XapiScore,
    XapiStatementIn,
    XapiStatementResult,
    XapiStatementResults,
)

_COURSE_IRI = re.compile(
    r"/courses/(?P<course>[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12})"
    r"(?:#(?P<module>[^#\s]{1,64}))?$"
)
_VERB_NAMES = {COMPLETED: "completed", PASSED: "passed"}


@dataclass
class _Rejected(Exception):
    status: int
    reason: Text


@dataclass(frozen=True)
class _Target:
    employee_id: uuid.UUID
    course_id: uuid.UUID
    progress: Progress


@asynccontextmanager
async def _alone(session: AsyncSession) -> AsyncIterator[None]:
    """One statement's writes in a savepoint, rolled back when it is rejected. Sent at the
    driver like the writes themselves; what the session holds of earlier statements (their
    completion events) is flushed first, so a rollback cannot take it along."""
    await session.flush()
    await fetch(session, "SAVEPOINT training_xapi_statement")
    try:
        yield
    except BaseException:
        await fetch(session, "ROLLBACK TO SAVEPOINT training_xapi_statement")
        raise
    await fetch(session, "RELEASE SAVEPOINT training_xapi_statement")


async def apply_statements(
    session: AsyncSession,
    principal: Principal,
    statements: list[XapiStatementIn],
    now: datetime,
) -> XapiStatementResults:
    """For HR admins and integration keys with `training:write`."""
    principal.require_key_scope(Scope.TRAINING_WRITE)
    if principal.kind == "user":
        require_hr_admin(principal)
    org_id = principal.org_id
    numbers = [s.actor.account.name for s in statements if s.actor.account is not None]
    employees = await people.employee_ids_by_number(session, org_id, numbers)
    mailed = await people.employee_ids_by_email(
        session, org_id, [_address(s.actor.mbox) for s in statements if s.actor.mbox is not None]
    )
    seen = await repository.seen_statements(session, org_id, [s.id for s in statements])
    results: list[XapiStatementResult] = []
    for statement in statements:
        if statement.id in seen:
            results.append(XapiStatementResult(statement_id=statement.id, status="duplicate"))
            continue
        seen.add(statement.id)
        try:
            target = _target(statement, employees, mailed)
            async with _alone(session):
                status = await _apply(session, principal, statement, target, now)
        except _Rejected as rejected:
            results.append(
                XapiStatementResult(
                    statement_id=statement.id,
                    status="rejected",
                    problem_status=rejected.status,
                    reason=rejected.reason,
                )
            )
            continue
        results.append(XapiStatementResult(statement_id=statement.id, status=status))
    return XapiStatementResults(
        accepted=sum(result.status == "accepted" for result in results),
        duplicates=sum(result.status == "duplicate" for result in results),
        rejected=sum(result.status == "rejected" for result in results),
        results=results,
    )


def _address(mbox: str) -> str:
    return mbox.removeprefix("mailto:").lower()


def _target(
    statement: XapiStatementIn, employees: dict[str, uuid.UUID], mailed: dict[str, uuid.UUID]
) -> _Target:
    """Who, which course and what changes, or `_Rejected` before anything is written."""
    account, mbox = statement.actor.account, statement.actor.mbox
    if account is not None:
        employee_id = employees.get(account.name)
        if employee_id is None:
            raise _Rejected(404, _("No employee has the number {number}", number=account.name))
    else:
        assert mbox is not None, "the schema asks for one of the two"
        employee_id = mailed.get(_address(mbox))
        if employee_id is None:
            raise _Rejected(
                422, _("No active employee has the email {email}", email=_address(mbox))
            )
    matched = _COURSE_IRI.search(statement.object.id)
    if matched is None:
        raise _Rejected(
            422,
            _(
                "The object is not a course: an IRI ending in /courses/<course id>,"
                " with #<module key> for a module"
            ),
        )
    module_key = matched["module"]
    result = statement.result
    verb = statement.verb.id
    if verb == PASSED:
        if result is None or result.score is None:
            raise _Rejected(422, _("A passed statement needs result.score"))
        change = Progress(exam_score=_percent(result.score))
    elif verb == COMPLETED or (result is not None and result.completion):
        change = Progress(module_key=module_key, course_completed=module_key is None)
    else:
        change = Progress()
    return _Target(employee_id, uuid.UUID(matched["course"]), change)


def _percent(score: XapiScore) -> Decimal:
    """The score in percent: `scaled` × 100, else `raw` within `min`–`max`, else `raw`."""
    if score.scaled is not None:
        value = score.scaled * 100
    elif score.raw is not None and score.min is not None and score.max is not None:
        if score.max <= score.min:
            raise _Rejected(422, _("result.score.max must be above its min"))
        value = (score.raw - score.min) * 100 / (score.max - score.min)
    elif score.raw is not None:
        value = score.raw
    else:
        raise _Rejected(422, _("A passed statement needs result.score"))
    if not 0 <= value <= 100:
        raise _Rejected(422, _("The score is not between 0 and 100 percent"))
    return Decimal(str(round(value, 2)))


async def _apply(
    session: AsyncSession,
    principal: Principal,
    statement: XapiStatementIn,
    target: _Target,
    now: datetime,
) -> str:
    org_id = principal.org_id
    try:
        enrolment = await progress.locked_enrolment(
            session, org_id, target.course_id, target.employee_id
        )
    except progress.NotEnrolledOnline as exc:
        raise _Rejected(404, _("The employee is not enrolled in this online course")) from exc
    verb = _VERB_NAMES.get(statement.verb.id, "progressed")
    claimed = await repository.claim_statement(
        session, new_id(), org_id, statement.id, verb, enrolment["id"]
    )
    if not claimed:
        return "duplicate"
    try:
        await progress.record(
            session,
            org_id,
            enrolment,
            target.progress,
            now,
            actor=principal,
            via=f"xapi:{statement.id}",
        )
    except progress.UnknownModule as exc:
        raise _Rejected(
            422, _("The course has no module {key}", key=target.progress.module_key)
        ) from exc
    return "accepted"
