"""The employee against the rules of every active pool they are nominated to or a member
of — for privacy's automated evaluations (PIPL Art. 24), through `talent.api`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.core.schemas import Ref
from hrcore.people import api as people
from hrcore.talent.models import MemberStatus, TalentPool, TalentPoolMember
from hrcore.talent.schemas import RULES, CriterionResult, Rule
from hrcore.talent.screening import as_criterion, plain_value


@dataclass(frozen=True)
class OwnScreening:
    """A pool's screening rules evaluated for one employee: each rule with what was found
    and whether it is met, and whether all are."""

    pool: Ref
    passed: bool
    rules: list[Rule]
    results: list[CriterionResult]


SCREENED_POOLS = (
    select(TalentPool.id, TalentPool.name, TalentPool.rules)
    .join(
        TalentPoolMember,
        (TalentPoolMember.org_id == TalentPool.org_id)
        & (TalentPoolMember.pool_id == TalentPool.id),
    )
    .where(
        TalentPool.active.is_(True),
        TalentPool.rules != [],
        TalentPoolMember.status.in_([MemberStatus.NOMINATED.value, MemberStatus.ACTIVE.value]),
    )
    .order_by(TalentPool.id)
)


async def own_screenings(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, clock: Clock
) -> list[OwnScreening]:
    """The employee against the rules of every active pool they are nominated to or a
    member of (pools without rules left out): one statement for the pools, then people's
    screen of all their rules at once (percentiles ranked over the organization or the
    department, as HR's screen ranks them) — four statements, one without such a pool."""
    pools = (
        await session.execute(
            SCREENED_POOLS.where(
                TalentPool.org_id == org_id, TalentPoolMember.employee_id == employee_id
            )
        )
    ).all()
    if not pools:
        return []
    rules = [RULES.validate_python(pool.rules) for pool in pools]
    screened = await people.screen(
        session,
        org_id,
        [as_criterion(rule) for pool_rules in rules for rule in pool_rules],
        today=await people.org_today(session, org_id, clock),
        among_ids=[employee_id],
        only_passing=False,
        limit=1,
    )
    if not screened.employees:
        return []
    found = iter(screened.employees[0].criteria)
    screenings = []
    for pool, pool_rules in zip(pools, rules, strict=True):
        results = [
            CriterionResult(kind=rule.kind, value=plain_value(row.value), passed=row.passed)
            for rule, row in zip(pool_rules, found, strict=False)
        ]
        screenings.append(
            OwnScreening(
                pool=Ref(id=pool.id, name=pool.name),
                passed=all(result.passed for result in results),
                rules=pool_rules,
                results=results,
            )
        )
    return screenings
