"""What the composition roots and the domains that may import privacy call of it.

- `require_consent(session, org_id, employee_id, purpose)`: 403 `consent-required` unless the
  employee's consent to the purpose's current text is in force (`SENSITIVE_DATA`,
  `CROSS_BORDER_TRANSFER`). Domains below privacy (all of them) call the same check through
  `core.personal_data.require_consent`, which privacy's registry fills (`ConsentCheck`).
- `LegalHoldCheck`: what resolving a deletion request asks of legal holds —
  `is_on_hold(session, org_id, employee_id) -> str | None`, the hold's reason or None
  (`privacy/holds_api.py`, the retention part, provides it: privacy's registry lists
  `LegalHoldProvider(holds_api.is_on_hold)` among its providers; `set_legal_hold_check`
  installs one directly).
"""

from __future__ import annotations

from hrcore.core.personal_data import CROSS_BORDER_TRANSFER, SENSITIVE_DATA
from hrcore.privacy.consent import require_consent
from hrcore.privacy.requests import LegalHoldCheck, LegalHoldProvider, set_legal_hold_check

__all__ = [
    "CROSS_BORDER_TRANSFER",
    "SENSITIVE_DATA",
    "LegalHoldCheck",
    "LegalHoldProvider",
    "require_consent",
    "set_legal_hold_check",
]
