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

For analytics (the funnel and the vacancy fill): `activated_memberships` →
`PoolMembership`s ever activated, `filled_vacancies` → `FilledVacancy`s, whether each was
filled from inside; one statement each for everyone or some people.
For analytics' talent review meeting 「人才盘点」 (`review_outcome`):
- `current_nine_boxes`: each person's latest 9-box over their open memberships (the
  meeting's proposal); `open_member_employee_ids`: a pool's population;
- `record_review_outcome` with `ReviewPlacement`s: a closed meeting's boxes written back as
  placements and the readiness each box stands for (`readiness_of`).

For privacy (the person's automated evaluations, PIPL Art. 24):
- `own_vacancy_rankings` → `MyRankingOut`s: the caller's standing for every open vacancy
  they are a candidate for, each factor explained, as `/me/vacancy-rankings` shows it.
- `own_screenings` → `OwnScreening`s: the screening rules of the active pools an employee is
  nominated to or a member of, evaluated for them as HR's screen evaluates them.

For analytics (bench strength): `key_positions` → `KeyPosition`s, the target positions of
active pools in some departments; `successors` → `Successor`s, their active members with
their readiness, one statement each; (selection accuracy) `pool_appointments` →
`PoolAppointment`s, the vacancies filled from pools.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.pagination import MAX_LIMIT, PageParams
from hrcore.talent.aftermath import AppointeeProgramsProvider
from hrcore.talent.candidates import ProgramCompletionProvider, StageCompletion, my_rankings
from hrcore.talent.loop_queries import (
    FilledVacancy,
    PoolMembership,
    activated_memberships,
    filled_vacancies,
)
from hrcore.talent.membership import MEMBER_REMOVED, active_member_ids, record_program_outcome
from hrcore.talent.models import Readiness
from hrcore.talent.own_screening import OwnScreening, own_screenings
from hrcore.talent.pools import pool_refs, pool_target_position, require_pool
from hrcore.talent.review_outcome import (
    ReviewPlacement,
    current_nine_boxes,
    open_member_employee_ids,
    readiness_of,
    record_review_outcome,
)
from hrcore.talent.schemas import CriterionResult, FactorOut, MyRankingOut, Rule
from hrcore.talent.succession_reads import (
    KeyPosition,
    PoolAppointment,
    Successor,
    key_positions,
    pool_appointments,
    successors,
)

__all__ = [
    "MEMBER_REMOVED",
    "AppointeeProgramsProvider",
    "CriterionResult",
    "FactorOut",
    "FilledVacancy",
    "KeyPosition",
    "MyRankingOut",
    "OwnScreening",
    "PoolAppointment",
    "PoolMembership",
    "ProgramCompletionProvider",
    "Readiness",
    "ReviewPlacement",
    "Rule",
    "StageCompletion",
    "Successor",
    "activated_memberships",
    "active_member_ids",
    "current_nine_boxes",
    "filled_vacancies",
    "key_positions",
    "open_member_employee_ids",
    "own_screenings",
    "own_vacancy_rankings",
    "pool_appointments",
    "pool_refs",
    "pool_target_position",
    "readiness_of",
    "record_program_outcome",
    "record_review_outcome",
    "require_pool",
    "successors",
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
