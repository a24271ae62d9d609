"""Performance schemes 「绩效方案」: weighted indicators per position or department subtree.

Revisioned by `core.templates`: every change is a new revision, kept in the stored
revisions; a period's live scores keep the revision they started on (`scoring`), so an edit
reaches the next period, never a running one. Weights and keys are checked by the request
schema, the name by `core.templates`; here the positions and departments named must be the
organization's (422) and claimed by no other scheme (409), so an employee's scheme is never
ambiguous.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.templates import TemplateRules
from hrcore.org import api as org
from hrcore.performance import access, repository
from hrcore.performance.models import PERFORMANCE_SCHEMES, PerformanceScheme
from hrcore.performance.schemas import PerformanceSchemeIn
from hrcore.reviews import api as reviews


async def _check_references(
    session: AsyncSession,
    principal: Principal,
    body: PerformanceSchemeIn,
    scheme_id: uuid.UUID | None = None,
) -> None:
    """Positions, then departments (targets and overrides): one statement each, 422 naming
    every unknown field; then no position or department another scheme already claims."""
    positions = await org.position_refs(session, principal.org_id, body.position_ids)
    errors = [
        FieldError(field=f"position_ids.{index}", message=_("no such position"))
        for index, position_id in enumerate(body.position_ids)
        if position_id not in positions
    ]
    named = {f"department_ids.{index}": d for index, d in enumerate(body.department_ids)} | {
        f"department_overrides.{index}.department_id": o.department_id
        for index, o in enumerate(body.department_overrides)
    }
    departments = await org.department_refs(session, principal.org_id, list(named.values()))
    errors += [
        FieldError(field=field, message=_("no such department"))
        for field, department_id in named.items()
        if department_id not in departments
    ]
    errors += await _source_errors(session, principal, body)
    if errors:
        raise Unprocessable(_("The performance scheme is not valid"), errors=errors)
    claimed = await repository.claimed_targets(
        session, principal.org_id, scheme_id, body.position_ids, body.department_ids
    )
    if claimed:
        raise Conflict(
            _(
                "Another performance scheme already applies to {names}",
                names=", ".join(
                    sorted(
                        {positions[i].name for i in claimed if i in positions}
                        | {departments[i].name for i in claimed if i in departments}
                    )
                ),
            )
        )


async def _source_errors(
    session: AsyncSession, principal: Principal, body: PerformanceSchemeIn
) -> list[FieldError]:
    """An indicator fed by peer ratings names a review form of the organization and keys of
    its current revision (one statement per form named)."""
    errors = []
    forms: dict[uuid.UUID, set[str] | None] = {}
    for index, indicator in enumerate(body.indicators):
        source = indicator.source
        if source is None:
            continue
        field = f"indicators.{index}.source"
        if source.review_template_id not in forms:
            forms[source.review_template_id] = await reviews.template_indicator_keys(
                session, principal.org_id, source.review_template_id
            )
        keys = forms[source.review_template_id]
        if keys is None:
            message = _("no such review form")
            errors.append(FieldError(field=f"{field}.review_template_id", message=message))
            continue
        errors += [
            FieldError(
                field=f"{field}.template_indicator_keys.{position}",
                message=_("the review form has no indicator {key}", key=key),
            )
            for position, key in enumerate(source.template_indicator_keys)
            if key not in keys
        ]
    return errors


def _content(body: PerformanceSchemeIn) -> dict[str, Any]:
    return {
        "name": body.name,
        "period": body.period,
        "position_ids": [str(i) for i in dict.fromkeys(body.position_ids)],
        "department_ids": [str(i) for i in dict.fromkeys(body.department_ids)],
        "indicators": [i.model_dump(mode="json") for i in body.indicators],
        "department_overrides": [o.model_dump(mode="json") for o in body.department_overrides],
    }


class SchemeRules(TemplateRules[PerformanceScheme, PerformanceSchemeIn]):
    """The kit's rules, with the scheme being revised left out of the claims check (its own
    positions and departments are no clash, whatever it is renamed to)."""

    async def update_template(
        self,
        session: AsyncSession,
        principal: Principal,
        template_id: uuid.UUID,
        body: PerformanceSchemeIn,
        *,
        if_match: str | None,
        body_version: int | None,
    ) -> PerformanceScheme:
        require_hr_admin(principal)
        scheme = await self.readable(session, principal, template_id)
        return await self.kind.revise(
            session,
            principal,
            scheme,
            self.content(body),
            if_match=if_match,
            body_version=body_version,
            validate=lambda: _check_references(session, principal, body, scheme.id),
        )


RULES = SchemeRules(
    kind=PERFORMANCE_SCHEMES,
    require_reader=access.require_scheme_reader,
    readable=access.readable_scheme,
    content=_content,
    validate=_check_references,
)
