"""Who may read and write performance data.

Schemes are set up by HR admins and read by HR admins and department heads (keys: 403).
Observations are pushed by HR admins or integration keys holding `metrics:write`, which also
read them back. Scores follow the employee's reach (people's rule: oneself, the managers
above, department heads over the department, HR), keys with `ratings:read`.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, Scope, require_hr_or_dept_head
from hrcore.core.errors import Forbidden
from hrcore.core.i18n import _
from hrcore.people import api as people
from hrcore.performance.models import PERFORMANCE_SCHEMES, PerformanceScheme


def require_scheme_reader(principal: Principal) -> None:
    principal.require_key_scope(None)
    require_hr_or_dept_head(
        principal, _("Only HR admins and department heads read performance schemes")
    )


async def readable_scheme(
    session: AsyncSession, principal: Principal, scheme_id: uuid.UUID
) -> PerformanceScheme:
    require_scheme_reader(principal)
    return await PERFORMANCE_SCHEMES.require(session, principal.org_id, scheme_id)


def require_metrics_writer(principal: Principal) -> None:
    """HR admins and keys with `metrics:write` (another key: 403 naming the scope)."""
    if principal.kind == "api_key":
        principal.require_key_scope(Scope.METRICS_WRITE)
        return
    if not principal.is_hr_admin:
        raise Forbidden(_("Only HR admins and metrics integrations record observations"))


async def viewable_employee(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID
) -> people.EmployeeInfo:
    """The employee when in the caller's reach, else 404."""
    return await people.ensure_can_view(
        session, principal, employee_id, key_scope=Scope.RATINGS_READ
    )
