"""Reading results: HR any; the employee their own once published — before that as
pending, without anything computed; their managers and department head within people's
reach (`access.readable_result`).

What is shown is the stored result — anonymous groups below the threshold were already left
out at aggregation — with comments unattributed in alphabetical order (without those HR hid
on an appeal) and calibration notes for HR only.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.errors import NotFound
from hrcore.core.i18n import _
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read, note_reads
from hrcore.core.schemas import Ref
from hrcore.identity import api as identity
from hrcore.people import api as people
from hrcore.reviews import access, repository
from hrcore.reviews.aggregation import shown_comments
from hrcore.reviews.models import ReviewCycle, ReviewResult
from hrcore.reviews.schemas import (
    Adjustment,
    GroupScore,
    HiddenComment,
    IndicatorResult,
    PendingResultOut,
    ResultComment,
    ResultOut,
    Weighting,
)


def result_view(
    result: ReviewResult,
    cycle: ReviewCycle,
    employee: Ref,
    *,
    hr: bool,
    users: Mapping[uuid.UUID, Ref],
) -> ResultOut:
    """The stored result (anonymous groups below the threshold already left out at
    aggregation), comments unattributed in alphabetical order; HR's adjustments name who made
    them from `users`."""
    names = {i["key"]: i["name"] for i in cycle.form["indicators"]}
    indicators = []
    for key, figure in result.scores.get("indicators", {}).items():
        groups = [
            GroupScore(relationship=g, score=round(v["score"], 2), raters=v["raters"])
            for g, v in sorted(figure["groups"].items())
        ]
        indicators.append(
            IndicatorResult(
                key=key,
                name=names.get(key, key),
                score=round(figure["score"], 2),
                raters=figure["raters"],
                groups=groups,
                adjusted="computed_score" in figure,
                computed_score=round(figure["computed_score"], 2)
                if "computed_score" in figure
                else None,
                weighting=_weighting(figure),
            )
        )
    computed = float(result.overall) if result.overall is not None else None
    variant = result.scores.get("variant")
    comments = shown_comments(result)
    adjusted = float(result.adjusted_overall) if result.adjusted_overall is not None else None
    return ResultOut(
        id=result.id,
        cycle_id=result.cycle_id,
        cycle=Ref(id=cycle.id, name=cycle.name),
        employee=employee,
        overall=adjusted if adjusted is not None else computed,
        computed_overall=computed,
        raters=result.scores.get("raters", 0),
        indicators=indicators,
        weights_department=Ref.model_validate(variant) if variant else None,
        withheld_groups=result.scores.get("withheld", []),
        comments=[text for _id, text in comments],
        comment_items=[ResultComment(id=i, text=text) for i, text in comments],
        hidden_comments=[HiddenComment.model_validate(h) for h in result.hidden_comments],
        adjustments=[_adjustment(a, users) for a in result.adjustments] if hr else [],
        status=result.status,
        published_at=result.published_at,
        recommendation=result.recommendation,
        recommendation_reason=result.recommendation_reason,
        version=result.version,
    )


def _weighting(figure: dict[str, Any]) -> Weighting | None:
    """Stored since weights were explained (department variants of single indicators)."""
    if "indicator_weight" not in figure:
        return None
    return Weighting(
        weight=round(figure["weight"], 4),
        **{k: figure[k] for k in Weighting.model_fields if k != "weight"},
    )


def _adjustment(stored: dict[str, Any], users: Mapping[uuid.UUID, Ref]) -> Adjustment:
    """An adjustment as HR reads it, with who made it: one an upheld appeal made (it names
    its indicator) says so in the reader's language around the resolution HR typed."""
    adjustment = Adjustment.model_validate(stored)
    adjustment.by_user = users.get(adjustment.by) if adjustment.by else None
    if adjustment.indicator is None:
        return adjustment
    said = _("Appeal upheld: {resolution}", resolution=adjustment.reason)
    return adjustment.model_copy(update={"reason": str(said)})


async def _adjusters(
    session: AsyncSession, principal: Principal, results: Sequence[ReviewResult]
) -> dict[uuid.UUID, Ref]:
    """Links to the users who adjusted these results, for HR (the only readers of
    adjustments): one statement, none when nothing was adjusted."""
    if not principal.is_hr_admin:
        return {}
    ids = {uuid.UUID(a["by"]) for r in results for a in r.adjustments if a.get("by")}
    return await identity.user_refs(session, principal.org_id, list(ids))


async def result_views(
    session: AsyncSession, principal: Principal, results: Sequence[ReviewResult]
) -> list[ResultOut]:
    names = await people.employee_summaries(
        session, principal.org_id, [r.employee_id for r in results]
    )
    cycles = await repository.cycles_by_ids(
        session, principal.org_id, list({r.cycle_id for r in results})
    )
    users = await _adjusters(session, principal, results)
    return [
        result_view(
            r,
            cycles[r.cycle_id],
            names[r.employee_id].ref,
            hr=principal.is_hr_admin,
            users=users,
        )
        for r in results
    ]


def is_pending_for(principal: Principal, result: ReviewResult) -> bool:
    """The caller's own result that HR has not published: shown as pending. HR reads its
    figures even when it is their own (HR computes and publishes results)."""
    return (
        not principal.is_hr_admin
        and principal.employee_id == result.employee_id
        and result.status != "published"
    )


async def own_result_views(
    session: AsyncSession, principal: Principal, results: Sequence[ReviewResult]
) -> list[ResultOut | PendingResultOut]:
    """Views where the caller's own unpublished results say only that they are pending (and
    in which cycle): one statement each for the page's names and cycles."""
    names = await people.employee_summaries(
        session, principal.org_id, [r.employee_id for r in results]
    )
    shown = [r for r in results if not is_pending_for(principal, r)]
    cycles = await repository.cycles_by_ids(
        session, principal.org_id, list({r.cycle_id for r in results})
    )
    users = await _adjusters(session, principal, shown)
    return [
        PendingResultOut(
            id=r.id,
            cycle_id=r.cycle_id,
            cycle=Ref(id=r.cycle_id, name=cycles[r.cycle_id].name),
            employee=names[r.employee_id].ref,
            status="pending",
        )
        if is_pending_for(principal, r)
        else result_view(
            r, cycles[r.cycle_id], names[r.employee_id].ref, hr=principal.is_hr_admin, users=users
        )
        for r in results
    ]


async def result_in_cycle(
    session: AsyncSession,
    principal: Principal,
    cycle_id: uuid.UUID,
    employee_id: uuid.UUID,
) -> ResultOut | None:
    """An employee's result of one cycle under the usual rules (the employee sees it once
    published; anonymity kept), or None when there is none the caller may see."""
    found = await repository.result_of(session, principal.org_id, cycle_id, employee_id)
    if found is None:
        return None
    try:
        result = await access.readable_result(session, principal, found.id)
    except NotFound:
        return None
    [view] = await result_views(session, principal, [result])
    return view


async def get_result(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID, *, for_update: bool = False
) -> ReviewResult:
    """A result to act on (appeals, calibration…): closed to integration keys."""
    return await access.readable_result(session, principal, result_id, for_update=for_update)


async def read_result(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID
) -> ReviewResult:
    """A result to read: integration keys need `ratings:read` (access.RESULTS_SCOPE); the
    employee's own unpublished one too (shown as pending: `own_result_views`)."""
    result = await access.readable_result(
        session, principal, result_id, key_scope=access.RESULTS_SCOPE, own_unpublished=True
    )
    note_read(principal, result.employee_id, DataClass.EVALUATION, "review_result")
    return result


async def list_cycle_results(
    session: AsyncSession, principal: Principal, cycle_id: uuid.UUID, page: PageParams
) -> tuple[list[ReviewResult], str | None]:
    cycle = await access.readable_cycle(
        session, principal, cycle_id, key_scope=access.RESULTS_SCOPE
    )
    visible = await people.visible_employee_ids(session, principal, key_scope=access.RESULTS_SCOPE)
    statement = repository.results_query(principal.org_id, cycle_id=cycle.id, employee_ids=visible)
    rows, cursor = await paginate(session, statement, [ReviewResult.id], page)
    note_reads(principal, [row.employee_id for row in rows], DataClass.EVALUATION, "review_result")
    return rows, cursor


async def list_my_results(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[ReviewResult], str | None]:
    statement = repository.results_query(
        principal.org_id,
        employee_ids=[principal.employee_id] if principal.employee_id is not None else [],
    )
    return await paginate(session, statement, [ReviewResult.id], page, descending=True)
