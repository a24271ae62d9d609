"""A pool's members by readiness band — ready now, one to two years, three plus years, then
not assessed — and ranked within each band by the score the vacancy ranking gives
(`candidates.facts_of`, `ranking.explain`), each member with the factors that make it.

Ranks are held among every member the filters select, as the vacancy ranking holds them
among all candidates; the caller then sees the members in their reach. HR and department
heads see the band ranks; an employee sees their own score and factors, never a rank (as in
`/me/vacancy-rankings`). The competency match is measured against the general model of the
pool's target position (a pool for a job family has none to measure against). A fixed
number of statements: the members, their placements, the employees, the published reviews,
the programs, competencies' match, and the page's links (pool, deciders).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.pagination import OFFSET, PageParams, decode_cursor, encode_cursor
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.people import api as people
from hrcore.talent import access, candidates, membership, ranking, repository
from hrcore.talent.models import MemberStatus, Readiness, TalentPoolMember
from hrcore.talent.schemas import FactorOut, MemberOut, MemberRankingOut


async def members_by_readiness(
    session: AsyncSession,
    principal: Principal,
    pool_id: uuid.UUID,
    page: PageParams,
    clock: Clock,
    *,
    status: MemberStatus | None,
    readiness: Readiness | None,
) -> tuple[list[MemberOut], str | None]:
    pool = await access.readable_pool(session, principal, pool_id)
    reach = await access.member_employee_ids(session, principal)
    statement = repository.members_query(
        principal.org_id,
        pool.id,
        status=status.value if status else None,
        open_only=status is None,
        readiness=readiness.value if readiness else None,
        employee_ids=None,
    )
    members: list[TalentPoolMember] = list(await session.scalars(statement))
    placements = await repository.latest_placements(
        session, principal.org_id, [m.id for m in members]
    )
    employees = await people.employee_summaries(
        session, principal.org_id, [m.employee_id for m in members]
    )
    levels = [
        (m, p.performance, p.potential) if (p := placements.get(m.id)) else (m, None, None)
        for m in members
    ]
    target = (pool.target_position_id, None) if pool.target_position_id else None
    base = await candidates.facts_of(session, principal.org_id, levels, clock)
    facts = await candidates.with_competency(
        session,
        principal.org_id,
        [(f, m.employee_id, target) for m, f in zip(members, base, strict=True)],
    )
    scored = []
    for member, member_facts in zip(members, facts, strict=True):
        factors = ranking.explain(member_facts)
        scored.append((member, member_facts, factors, ranking.total(factors)))

    def order(entry: tuple[Any, ...]) -> tuple[Any, ...]:
        member, member_facts, _factors, score = entry
        employee = employees[member.employee_id].ref
        return (
            ranking.readiness_rank(member.readiness),
            -score,
            -member_facts.days_in_pool,
            employee.name,
            employee.id,
        )

    scored.sort(key=order)
    visible = None if reach is None else set(reach)
    ranked = []
    band: str | None = ""
    band_rank = 0
    for member, _facts, factors, score in scored:
        band_rank = band_rank + 1 if member.readiness == band else 1
        band = member.readiness
        if visible is None or member.employee_id in visible:
            ranked.append((member, band_rank, factors, score))
    start = 0 if page.cursor is None else int(decode_cursor(page.cursor, [OFFSET])[0])
    end = start + page.limit
    shows_rank = principal.is_hr_admin or principal.is_dept_head
    shown = ranked[start:end]
    note_reads(
        principal, [m.employee_id for m, *_ in shown], DataClass.EVALUATION, "talent_pool_member"
    )
    links = await membership.member_links(session, principal.org_id, [m for m, *_ in shown])
    views = []
    for member, rank, factors, score in shown:
        view = membership.member_view(
            member, employees[member.employee_id], placements.get(member.id), links
        )
        view.ranking = MemberRankingOut(
            band_rank=rank if shows_rank else None,
            score=score,
            factors=[FactorOut.model_validate(f, from_attributes=True) for f in factors],
        )
        views.append(view)
    return views, encode_cursor([end]) if end < len(ranked) else None
