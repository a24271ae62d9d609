"""What the composition roots and the domains that may import privacy call of it.

- `require_consent(session, org_id, employee_id, purpose)`: 403 `consent-required` unless the
  employee's consent to the purpose's current text is in force (`SENSITIVE_DATA`,
  `CROSS_BORDER_TRANSFER`). Domains below privacy (all of them) call the same check through
  `core.personal_data.require_consent`, which privacy's registry fills (`ConsentCheck`).
"""

from __future__ import annotations

from hrcore.core.personal_data import CROSS_BORDER_TRANSFER, SENSITIVE_DATA
from hrcore.privacy.consent import require_consent

__all__ = [
    "CROSS_BORDER_TRANSFER",
    "SENSITIVE_DATA",
    "require_consent",
]
