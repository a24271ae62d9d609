"""What other domains and the composition roots (`seed`, `cli`, `worker`) may call in
contracts. Everything else in the package is internal.

- `draft_for_contract`: an amendment drafted by the system, without an actor (the demo
  data today, succession's appointments later); its terms come as `AmendmentTermsIn`.
- `watch_expiry`: the daily expiry watch over every organization (the seed runs it once so
  the demo starts with HR's tasks).
- `profile_contracts`: the contracts section of people's profile (people does not import
  contracts: the registry hands it the query as `people.ContractsProvider`).

Importing this module also loads the use cases that subscribe contracts' jobs to other
domains' events (`drafting`, `conflicts`) and register the confirmation task's validator.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts import access, repository
from hrcore.contracts.drafting import draft_for_contract
from hrcore.contracts.expiry import watch_expiry
from hrcore.contracts.schemas import AmendmentTermsIn
from hrcore.core.authz import Principal
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.people.api import ContractRecord

__all__ = [
    "AmendmentTermsIn",
    "draft_for_contract",
    "profile_contracts",
    "watch_expiry",
]


async def profile_contracts(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID
) -> list[ContractRecord] | None:
    """The employee's contracts, oldest first, for whom `access.may_see` allows (HR, the
    employee); `None` for anyone else, without a query."""
    if not access.may_see(principal, employee_id):
        return None
    rows = await repository.contract_terms_of(session, principal.org_id, employee_id)
    note_read(principal, employee_id, DataClass.SENSITIVE, "profile.contracts")
    return [ContractRecord(*row) for row in rows]
