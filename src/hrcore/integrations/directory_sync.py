"""Applying a received DingTalk event (the worker) through the people and org services.

DingTalk's directory events carry only ids, in one of two shapes: the legacy `UserId` /
`DeptId` and the newer `userId` / `deptId` lists beside `eventId`, `BizId` and `EventTime`
(`event_ids` reads both). The job reads the people
and departments behind them from DingTalk's directory API with the integration's app
(`app_key` / `app_secret`, an app with contact permissions). A sender that already has the
details may put them in the event — extension fields `hrcore_users` (`[{userid, name,
job_number, dept_id_list, hired_date?}]`) and `hrcore_depts` (`[{dept_id, name,
parent_id}]`) — and they are used without a call. An id DingTalk does not know, or any id
when no app is configured, is skipped and named in the event's `error` note. A directory that
cannot be reached fails the job, which the worker retries with backoff.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.channels import api as channels
from hrcore.core import i18n
from hrcore.core.clock import Clock
from hrcore.core.errors import (
    ProblemError,
    Unprocessable,
)
from hrcore.core.i18n import N_, Lines, Text, _
from hrcore.identity import api as identity
from hrcore.integrations import hooks, repository
from hrcore.integrations.config import CallbackConfig, timestamp_seconds
from hrcore.integrations.dingtalk_workflow import workflow_of
from hrcore.integrations.models import DingTalkEvent, EventStatus
from hrcore.org import api as org
from hrcore.people import api as people

logger = logging.getLogger("hrcore.integrations")

ERROR_LIMIT = 2000
NOTHING_NAMED = N_(
    "nothing to apply: the event names no user (UserId, userId) or department (DeptId, deptId)"
)


@dataclass(frozen=True)
class EventContext:
    """What a handler works with: the event and where to look its ids up."""

    org_id: uuid.UUID
    event_type: str
    payload: dict[str, Any]
    on: date
    directory: channels.DingTalkDirectory | None


@dataclass
class Outcome:
    """What a handler did: how many ids it applied, and a note for each it skipped."""

    applied: int = 0
    notes: list[Text] = field(default_factory=list)

    @property
    def status(self) -> EventStatus:
        """`applied` when nothing was skipped, `failed` when nothing was applied, else
        `partial`; `ignored` when the event named nothing to apply (never `applied`)."""
        if not self.notes:
            return EventStatus.APPLIED if self.applied else EventStatus.IGNORED
        return EventStatus.PARTIAL if self.applied else EventStatus.FAILED


Handler = Callable[[AsyncSession, EventContext], Awaitable[Outcome]]


def _strings(value: Any) -> list[str]:
    """DingTalk sends id lists (numbers for departments); one id alone is accepted too."""
    items = value if isinstance(value, list) else [] if value is None else [value]
    return [str(item) for item in items if isinstance(item, str | int) and str(item)]


ID_FIELDS = {"user": ("UserId", "userId"), "department": ("DeptId", "deptId")}
"""Where each shape of a contact event lists its ids: legacy first, then the newer one."""
TIME_FIELDS = ("TimeStamp", "EventTime")


def event_ids(payload: dict[str, Any], kind: str) -> list[str]:
    """The user or department ids an event names, in either shape, each once in order."""
    ids: list[str] = []
    for name in ID_FIELDS[kind]:
        ids.extend(key for key in _strings(payload.get(name)) if key not in ids)
    return ids


def _details(payload: dict[str, Any], field: str, key: str) -> dict[str, dict[str, Any]]:
    rows = payload.get(field)
    if not isinstance(rows, list):
        return {}
    return {
        str(row[key]): row
        for row in rows
        if isinstance(row, dict) and isinstance(row.get(key), str | int)
    }


def _date_of(value: Any, timezone: str) -> date | None:
    """A DingTalk timestamp (milliseconds) as a date where the organization is."""
    seconds = timestamp_seconds(str(value)) if value is not None else None
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC).astimezone(ZoneInfo(timezone)).date()
    except (OverflowError, OSError, ValueError):
        return None


async def _details_of(
    ids: list[str],
    given: dict[str, dict[str, Any]],
    fetch: Callable[[str], Awaitable[dict[str, Any] | None]] | None,
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Details of each id, from the event or the directory; and the ids nobody knows."""
    found = {key: row for key, row in given.items() if key in ids}
    missing = []
    for key in ids:
        if key in found:
            continue
        row = await fetch(key) if fetch is not None else None
        if row is None:
            missing.append(key)
        else:
            found[key] = row
    return found, missing


def _unknown(kind: str, key: str, directory: channels.DingTalkDirectory | None) -> Text:
    what = _("user {id}", id=key) if kind == "user" else _("department {id}", id=key)
    if directory is None:
        return _("{what}: no details in the event and no directory app configured", what=what)
    return _("{what}: not in the DingTalk directory", what=what)


async def _apply_users(session: AsyncSession, event: EventContext) -> Outcome:
    org_id, directory = event.org_id, event.directory
    user_ids = event_ids(event.payload, "user")
    details, missing = await _details_of(
        user_ids,
        _details(event.payload, "hrcore_users", "userid"),
        directory.user if directory else None,
    )
    outcome = Outcome(notes=[_unknown("user", user_id, directory) for user_id in missing])
    dept_ids = {
        dept_id for row in details.values() for dept_id in _strings(row.get("dept_id_list"))
    }
    departments = await org.department_ids_for_dingtalk(session, org_id, sorted(dept_ids))
    timezone = await identity.org_timezone(session, org_id)
    for user_id in user_ids:
        row = details.get(user_id)
        if row is None:
            continue
        name = str(row.get("name") or "").strip()[:200]
        if not name:
            outcome.notes.append(
                _("user {id}: the directory gives no name (not synced)", id=user_id)
            )
            continue
        mapped = [departments[d] for d in _strings(row.get("dept_id_list")) if d in departments]
        number = str(row.get("job_number") or "").strip()[:32] or None
        user = people.DirectoryUser(
            dingtalk_user_id=user_id[:64],
            full_name=name,
            employee_number=number,
            department_id=mapped[0] if mapped else None,
            hire_date=_date_of(row.get("hired_date"), timezone),
        )
        try:
            async with session.begin_nested():
                await people.apply_directory_user(
                    session,
                    org_id,
                    user,
                    on=event.on,
                    rehire=event.event_type == "user_add_org",
                )
        except Unprocessable as exc:
            outcome.notes.append(
                _("user {id}: {reason} (not synced)", id=user_id, reason=exc.detail or exc.title)
            )
        else:
            outcome.applied += 1
    return outcome


async def _leave(session: AsyncSession, event: EventContext) -> Outcome:
    outcome = Outcome()
    for user_id in event_ids(event.payload, "user"):
        if await people.mark_left(session, event.org_id, user_id[:64], on=event.on):
            outcome.applied += 1
        else:
            outcome.notes.append(_("user {id}: no linked employee, or already exited", id=user_id))
    return outcome


def _parents_first(ids: list[str], details: dict[str, dict[str, Any]]) -> list[str]:
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(dept_id: str, trail: frozenset[str]) -> None:
        if dept_id in seen or dept_id in trail:
            return
        parent = str(details.get(dept_id, {}).get("parent_id") or "")
        if parent in details:
            visit(parent, trail | {dept_id})
        if dept_id in ids and dept_id not in seen:
            seen.add(dept_id)
            ordered.append(dept_id)

    for dept_id in ids:
        visit(dept_id, frozenset())
    return ordered


async def _apply_departments(session: AsyncSession, event: EventContext) -> Outcome:
    directory = event.directory
    dept_ids = event_ids(event.payload, "department")
    details, missing = await _details_of(
        dept_ids,
        _details(event.payload, "hrcore_depts", "dept_id"),
        directory.department if directory else None,
    )
    outcome = Outcome(notes=[_unknown("department", dept_id, directory) for dept_id in missing])
    for dept_id in _parents_first([d for d in dept_ids if d in details], details):
        row = details[dept_id]
        name = str(row.get("name") or "").strip()[:200]
        if not name:
            outcome.notes.append(
                _("department {id}: the directory gives no name (not synced)", id=dept_id)
            )
            continue
        parent = row.get("parent_id")
        await org.apply_directory_department(
            session,
            event.org_id,
            dingtalk_dept_id=dept_id[:64],
            name=name,
            parent_dingtalk_dept_id=str(parent)[:64] if parent is not None else None,
        )
        outcome.applied += 1
    return outcome


async def _remove_departments(session: AsyncSession, event: EventContext) -> Outcome:
    outcome = Outcome()
    for dept_id in event_ids(event.payload, "department"):
        if await org.remove_directory_department(session, event.org_id, dept_id[:64]):
            outcome.applied += 1
        else:
            outcome.notes.append(_("department {id}: not synced, or already removed", id=dept_id))
    return outcome


HANDLERS: dict[str, Handler] = {
    "user_add_org": _apply_users,
    "user_modify_org": _apply_users,
    "user_leave_org": _leave,
    "org_dept_create": _apply_departments,
    "org_dept_modify": _apply_departments,
    "org_dept_remove": _remove_departments,
}


async def _run(
    session: AsyncSession,
    org_id: uuid.UUID,
    event: DingTalkEvent,
    handler: Handler,
    on: date,
    config: CallbackConfig,
) -> tuple[Outcome, str | None]:
    """(outcome, refusal): what the handler did, or why the event was refused, all undone."""
    integration = await repository.dingtalk_integration(session, org_id)
    async with httpx.AsyncClient(
        timeout=config.timeout_seconds, follow_redirects=False, trust_env=False
    ) as client:
        directory = (
            channels.DingTalkDirectory(
                client, config.api_base, integration.app_key, integration.app_secret
            )
            if integration is not None and integration.app_key and integration.app_secret
            else None
        )
        context = EventContext(org_id, event.event_type, event.payload, on, directory)
        try:
            async with session.begin_nested():
                return await handler(session, context), None
        except ProblemError as exc:
            return Outcome(), f"{exc.title}: {exc.detail or ''}".strip(": ")[:ERROR_LIMIT]


async def _run_hook(
    session: AsyncSession,
    org_id: uuid.UUID,
    event: DingTalkEvent,
    handler: hooks.EventHandler,
    *,
    clock: Clock,
    config: CallbackConfig,
) -> None:
    """An event another domain handles, in a savepoint: a business refusal undoes what it
    did and marks the event `failed`; DingTalk unreachable propagates, so the job retries."""
    async with workflow_of(session, org_id, config) as workflow:
        inbound = hooks.InboundEvent(org_id, event.event_type, event.payload, clock, workflow)
        with i18n.using(await identity.org_locale(session, org_id)):
            try:
                async with session.begin_nested():
                    handled = await handler(session, inbound)
            except ProblemError as exc:
                reason = f"{exc.title}: {exc.detail or ''}".strip(": ")[:ERROR_LIMIT]
                handled = hooks.Handled(EventStatus.FAILED, reason)
    await repository.finish_event(
        session, event.id, status=handled.status.value, error=handled.note, at=clock.now()
    )


async def apply_event(
    session: AsyncSession,
    org_id: uuid.UUID,
    event_id: uuid.UUID,
    *,
    clock: Clock,
    config: CallbackConfig,
) -> None:
    """Apply a received event once (the `integrations.apply_dingtalk_event` job).

    A business refusal (a department that is not empty, an employee number owned by another
    DingTalk user) rolls back everything the event did and marks it `failed` with the reason.
    Ids that were skipped are named in `error`: the event is `partial` when others were applied,
    `failed` when none was (a `user_add_org` that created nobody is not `applied`), `ignored`
    with a note when it named no id in either shape; infrastructure errors (the directory
    unreachable) propagate, so the worker retries.
    """
    event = await repository.event_by_id(session, org_id, event_id)
    if event is None or event.status != EventStatus.RECEIVED:
        return
    hooked = hooks.handler_of(event.event_type)
    if hooked is not None:
        await _run_hook(session, org_id, event, hooked, clock=clock, config=config)
        return
    handler = HANDLERS.get(event.event_type)
    if handler is None:
        await repository.finish_event(
            session, event.id, status=EventStatus.IGNORED.value, error=None, at=clock.now()
        )
        return
    timezone = await identity.org_timezone(session, org_id)
    stamped = (_date_of(event.payload.get(name), timezone) for name in TIME_FIELDS)
    on = (
        next((day for day in stamped if day), None)
        or clock.now().astimezone(ZoneInfo(timezone)).date()
    )
    with i18n.using(await identity.org_locale(session, org_id)):
        outcome, error = await _run(session, org_id, event, handler, on, config)
        status = outcome.status
        if status == EventStatus.IGNORED:
            outcome.notes.append(_(NOTHING_NAMED))
        notes = Lines(outcome.notes, separator=N_("; ")).render()
    if error is not None:
        logger.warning(
            "dingtalk event failed",
            extra={"event_id": str(event.id), "event_type": event.event_type, "error": error},
        )
        await repository.finish_event(
            session, event.id, status=EventStatus.FAILED.value, error=error, at=clock.now()
        )
        return
    await repository.finish_event(
        session,
        event.id,
        status=status.value,
        error=notes[:ERROR_LIMIT] or None,
        at=clock.now(),
    )
