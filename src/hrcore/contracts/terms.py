"""A contract's terms as plain data, and the subject names contract records go by.

Audit events store snapshots as JSON; amendment versions store the terms they were drafted
against (`base_terms`) and the terms they set, so confirming a version can tell whether the
contract changed since.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from hrcore.contracts.models import Contract

CONTRACT_SUBJECT = "contract"
AMENDMENT_SUBJECT = "contract_amendment"
"""Subject types of audit events, tasks and inbox messages about contracts and amendments."""

CONTRACT_FIELDS = (
    "employee_id",
    "kind",
    "status",
    "start_date",
    "end_date",
    "department_id",
    "position_id",
    "grade",
    "allowance",
    "work_location",
    "pay_terms_ref",
)


def jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID | date | Decimal):
        return str(value)
    return value


def snapshot(contract: Contract) -> dict[str, Any]:
    """The contract's fields as JSON, for audit events."""
    return {name: jsonable(getattr(contract, name)) for name in CONTRACT_FIELDS}


def amendable(contract: Contract) -> dict[str, Any]:
    """The terms an amendment may change, as JSON."""
    return {
        "department_id": jsonable(contract.department_id),
        "position_id": jsonable(contract.position_id),
        "grade": contract.grade,
        "allowance": jsonable(contract.allowance),
        "pay_terms_ref": contract.pay_terms_ref,
        "post_title": None,
    }


def drafted_against(contract: Contract, base_terms: dict[str, Any]) -> bool:
    """Whether the contract still has the terms a version was drafted against (versions
    drafted before the pay band was amendable do not name it)."""
    terms = amendable(contract)
    return all(terms.get(name) == value for name, value in base_terms.items())
