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
"""

from __future__ import annotations

from hrcore.talent.aftermath import AppointeeProgramsProvider
from hrcore.talent.candidates import ProgramCompletionProvider, StageCompletion
from hrcore.talent.membership import MEMBER_REMOVED, active_member_ids, record_program_outcome
from hrcore.talent.models import Readiness
from hrcore.talent.pools import pool_refs, pool_target_position, require_pool

__all__ = [
    "MEMBER_REMOVED",
    "AppointeeProgramsProvider",
    "ProgramCompletionProvider",
    "Readiness",
    "StageCompletion",
    "active_member_ids",
    "pool_refs",
    "pool_target_position",
    "record_program_outcome",
    "require_pool",
]
