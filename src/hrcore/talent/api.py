"""What other domains and the composition roots may call in talent. Everything else in the
package is internal.

For programs (whose runs develop a pool's members):
- `require_pool`: a pool named in a request body, 422 when unknown; `pool_refs`: links;
  `pool_target_position`: the position a pool prepares for (the dossier's competency model);
- `active_member_ids`: which employees are active members of a pool;
- `record_program_outcome`: a program decision's new readiness or removal of a member;
- `MEMBER_REMOVED`: the event announced when HR removes a member; `Readiness`;
- `ProgramCompletionProvider`: programs answers the ranking's `program_completion` factor
  through it (a provider in programs' registry), so talent never imports programs
  (`StageCompletion` is the shape);
- `AppointeeProgramsProvider`: programs ends an appointee's programs as graduated through
  it, in the appointment's transaction.

For privacy (the person's automated evaluations, PIPL Art. 24):
- `own_vacancy_rankings` → `MyRankingOut`s: the caller's standing for every open vacancy
  they are a candidate for, each factor explained, as `/me/vacancy-rankings` shows it.
- `own_screenings` → `OwnScreening`s: the screening rules of the active pools an employee is
  nominated to or a member of, evaluated for them as HR's screen evaluates them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.pagination import MAX_LIMIT, PageParams
from hrcore.core.schemas import Ref
from hrcore.people import api as people
from hrcore.talent.aftermath import AppointeeProgramsProvider
from hrcore.talent.candidates import ProgramCompletionProvider, StageCompletion, my_rankings
from hrcore.talent.membership import MEMBER_REMOVED, active_member_ids, record_program_outcome
from hrcore.talent.models import MemberStatus, Readiness, TalentPool, TalentPoolMember
from hrcore.talent.pools import pool_refs, pool_target_position, require_pool
from hrcore.talent.schemas import RULES, CriterionResult, FactorOut, MyRankingOut, Rule
from hrcore.talent.screening import _plain, as_criterion

__all__ = [
    "MEMBER_REMOVED",
    "AppointeeProgramsProvider",
    "CriterionResult",
    "FactorOut",
    "MyRankingOut",
    "OwnScreening",
    "ProgramCompletionProvider",
    "Readiness",
    "Rule",
    "StageCompletion",
    "active_member_ids",
    "own_screenings",
    "own_vacancy_rankings",
    "pool_refs",
    "pool_target_position",
    "record_program_outcome",
    "require_pool",
]


async def own_vacancy_rankings(
    session: AsyncSession, principal: Principal, clock: Clock
) -> list[MyRankingOut]:
    """The caller's own standing for the open vacancies they are a candidate for (the newest
    200), never another candidate's: one page of `/me/vacancy-rankings` at its largest size,
    so the statements stay fixed."""
    items, _next = await my_rankings(
        session, principal, PageParams(limit=MAX_LIMIT, cursor=None), clock
    )
    return items


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
            CriterionResult(kind=rule.kind, value=_plain(row.value), passed=row.passed)
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
