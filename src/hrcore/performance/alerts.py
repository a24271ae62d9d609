"""Decline alerts 「绩效下滑预警」: an indicator of an employee's period worse than its trailing
average by more than its threshold (the scheme's `decline_window` and `decline_threshold`,
read in the indicator's direction) raises one alert, delivered to the employee's manager
through the inbox and the DingTalk channels that apply (notifications fans out), published
as `performance.alert_raised` and audited.

The sweep is set-based (`alerts_repository.SWEEP`: one statement finds and stores every new
alert over the scores' per-indicator values); it runs after each live-score recompute for
the employees it touched, and daily for everyone (a `sum` period is judged once it is over).
Delivery costs a fixed number of statements whatever the number of alerts.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, Scope
from hrcore.core.clock import Clock
from hrcore.core.i18n import _
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.performance import alerts_repository as repository
from hrcore.performance.alerts_schemas import PerformanceAlertOut
from hrcore.webhooks import api as webhooks

SUBJECT = "performance_alert"
KIND = "performance.alert_raised"
SUBJECT_NAMES = notifications.SubjectNames(
    SUBJECT,
    "SELECT id, indicator_name, employee_id FROM performance_alerts"
    " WHERE org_id = {org} AND id = ANY({ids})",
)
"""The inbox names an alert by its indicator, beside the employee it concerns."""


def _figure(value: float) -> str:
    return f"{value:g}"


async def sweep(
    session: AsyncSession,
    org_id: uuid.UUID,
    clock: Clock,
    employee_ids: Sequence[uuid.UUID] | None = None,
) -> int:
    """Raise the new alerts of these employees (None: everyone) and deliver them; how many."""
    today = await people.org_today(session, org_id, clock)
    raised = await repository.sweep(session, org_id, employee_ids, today, clock.now())
    if not raised:
        return 0
    employees = list({row["employee_id"] for row in raised})
    names = await people.employee_refs(session, org_id, employees)
    managers = await people.managers_of(session, org_id, employees)
    accounts = await identity.user_ids_for_employees(
        session, org_id, [m for m in managers.values() if m is not None]
    )
    messages = []
    for row in raised:
        manager = managers.get(row["employee_id"])
        messages.append(
            notifications.Message(
                user_ids=accounts.get(manager, []) if manager else [],
                kind=KIND,
                title=_(
                    "{employee}: {indicator} declined in {period}",
                    employee=names[row["employee_id"]].name,
                    indicator=row["indicator_name"],
                    period=row["period"],
                ),
                body=_(
                    "{value} {unit} against an average of {average} {unit} over the {window} "
                    "periods before ({series}): {decline} % worse, above the {threshold} % "
                    "threshold.",
                    value=_figure(row["value"]),
                    unit=row["unit"],
                    average=_figure(round(row["average"], 2)),
                    window=row["window_size"],
                    series=", ".join(_figure(point["value"]) for point in row["series"]),
                    decline=_figure(row["decline"]),
                    threshold=_figure(row["threshold"]),
                ),
                subject_type=SUBJECT,
                subject_id=row["id"],
                dedupe_key=f"{SUBJECT}:{row['id']}",
            )
        )
    await notifications.notify_many(session, org_id=org_id, messages=messages)
    events = [(_payload(row), row["id"]) for row in raised]
    await webhooks.publish_many(
        session,
        org_id=org_id,
        event_type=webhooks.EventType.PERFORMANCE_ALERT_RAISED,
        events=events,
    )
    raised_events = [(alert_id, payload) for payload, alert_id in events]
    await audit.record_many(
        session, None, f"{SUBJECT}.raised", SUBJECT, raised_events, org_id=org_id
    )
    return len(raised)


def _payload(row: Any) -> dict[str, Any]:
    return {
        "alert_id": str(row["id"]),
        "employee_id": str(row["employee_id"]),
        "indicator": row["indicator"],
        "period": row["period"],
        "direction": row["direction"],
        "value": row["value"],
        "average": row["average"],
        "series": row["series"],
        "window": row["window_size"],
        "threshold": row["threshold"],
        "decline": row["decline"],
    }


async def listed(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    employee_id: uuid.UUID | None,
    indicator: str | None,
) -> Page[PerformanceAlertOut]:
    """Newest first, of the employees the caller sees: a manager their reports, a department
    head the department, an employee their own, HR everyone (keys need `ratings:read`)."""
    reach = await people.visible_employee_ids(session, principal, key_scope=Scope.RATINGS_READ)
    before = decode_cursor(page.cursor, [datetime, uuid.UUID]) if page.cursor is not None else None
    rows = await repository.alerts(
        session, principal.org_id, reach, employee_id, indicator, before, page.limit + 1
    )
    shown, cursor = cut_page(rows, ["raised_at", "id"], page)
    items = [
        dict(row)
        | {
            "employee": {"id": row["employee_id"], "name": row["employee_name"]},
            "window": row["window_size"],
        }
        for row in shown
    ]
    return Page[PerformanceAlertOut].model_validate({"items": items, "next_cursor": cursor})
