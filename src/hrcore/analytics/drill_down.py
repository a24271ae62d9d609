"""The people behind a figure (`/analytics/{figure}/people`): the caller's scope and window
as the figure's, filtered by step and dimension."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics import access, reading, window
from hrcore.analytics.catalog import FIGURES
from hrcore.analytics.figures import Figure
from hrcore.analytics.schemas import AnalyticsPersonOut
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import FieldError, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import Page, PageParams
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads

WHAT = "analytics_fact"
"""What the read-access log names a drill-down's read."""


def figure_of(slug: str) -> Figure:
    """The figure a path names (`on-time` → `on_time`); 404 for none."""
    figure = FIGURES.get(slug.replace("-", "_"))
    if figure is None:
        raise NotFound(_("No such figure"))
    return figure


@dataclass(frozen=True)
class Drill:
    """What a drill-down reads: the figure, the caller's scope, the window's days and the
    filters; its list and its exports read the same."""

    figure: Figure
    scope: access.Scope
    window: tuple[date, date]
    step: str | None
    dimension: str | None


async def drill(
    session: AsyncSession,
    principal: Principal,
    slug: str,
    department_id: uuid.UUID | None,
    query: window.WindowQuery,
    step: str | None,
    dimension: str | None,
    clock: Clock,
) -> Drill:
    """The drill-down the caller asks for, checked: an unknown figure 404, a department
    beyond the caller's reach 404 (403 for a reader of no analytics), an unknown step or
    a bad window 422."""
    figure = figure_of(slug)
    scope = await access.readable_scope(session, principal, department_id)
    if step is not None and step not in figure.step_names:
        raise Unprocessable(
            _("This figure has no such step"),
            errors=[
                FieldError(
                    field="query.step",
                    message=_("one of {steps}", steps=", ".join(figure.step_names)),
                )
            ],
        )
    bounds = await window.resolve(session, principal.org_id, query, clock)
    return Drill(figure, scope, bounds, step, dimension)


async def people_behind(
    session: AsyncSession,
    principal: Principal,
    slug: str,
    department_id: uuid.UUID | None,
    query: window.WindowQuery,
    step: str | None,
    dimension: str | None,
    page: PageParams,
    clock: Clock,
) -> Page[AnalyticsPersonOut]:
    """The page of people, each read noted in the read-access log: why a person is counted
    (a rating, an exit, a readiness) is evaluation data (docs/privacy.md)."""
    asked = await drill(session, principal, slug, department_id, query, step, dimension, clock)
    found = await reading.people_behind(
        session,
        principal.org_id,
        asked.figure,
        asked.scope,
        asked.window,
        asked.step,
        asked.dimension,
        page,
    )
    note_reads(principal, [item.employee.id for item in found.items], DataClass.EVALUATION, WHAT)
    return found
