"""What other domains and the composition roots may call in talent. Everything else in the
package is internal.

For programs (whose runs develop a pool's members):
- `require_pool`: a pool named in a request body, 422 when unknown;
- `active_member_ids`: which employees are active members of a pool;
- `record_program_outcome`: a program decision's new readiness or removal of a member;
- `MEMBER_REMOVED`: the event announced when HR removes a member; `Readiness`;
- `provide_program_completion`: programs answers the ranking's `program_completion`
  factor through it, so talent never imports programs (`StageCompletion` is the shape).

Importing this module also loads `membership`, which subscribes the leavers' job to people's
employment events, so every process that imports talent.api (programs, the seed) sees it.
"""

from __future__ import annotations

from hrcore.talent.candidates import StageCompletion, provide_program_completion
from hrcore.talent.membership import MEMBER_REMOVED, active_member_ids, record_program_outcome
from hrcore.talent.models import Readiness
from hrcore.talent.pools import require_pool

__all__ = [
    "MEMBER_REMOVED",
    "Readiness",
    "StageCompletion",
    "active_member_ids",
    "provide_program_completion",
    "record_program_outcome",
    "require_pool",
]
