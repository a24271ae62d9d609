"""What other domains and the composition roots (`seed`, `cli`, `worker`) may call in
contracts. Everything else in the package is internal.

- `draft_for_contract`: an amendment drafted by the system, without an actor (the demo
  data today, succession's appointments later); its terms come as `AmendmentTermsIn`.
- `watch_expiry`: the daily expiry watch over every organization (the seed runs it once so
  the demo starts with HR's tasks).
- `add_months`: the calendar rule the notice window uses (31 Jan + 1 month → 28/29 Feb).

Importing this module also loads the use cases that subscribe contracts' jobs to other
domains' events (`drafting`, `conflicts`) and register the confirmation task's validator.
"""

from __future__ import annotations

from hrcore.contracts.drafting import draft_for_contract
from hrcore.contracts.expiry import add_months, watch_expiry
from hrcore.contracts.schemas import AmendmentTermsIn

__all__ = ["AmendmentTermsIn", "add_months", "draft_for_contract", "watch_expiry"]
