"""The organization's amendment template: read and replaced by HR.

Placeholders are checked when the template is saved (`documents.validate_template`), so a
typo answers 422 instead of failing every document later; saving regenerates the current
versions whose document failed with the previous template.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts import documents, generation, repository
from hrcore.contracts.models import AmendmentTemplate
from hrcore.contracts.schemas import AmendmentTemplateIn, AmendmentTemplateOut
from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.concurrency import check_version


async def get_template(session: AsyncSession, principal: Principal) -> AmendmentTemplateOut:
    require_hr_admin(principal)
    row = await repository.template(session, principal.org_id)
    if row is None:
        return AmendmentTemplateOut(body=documents.DEFAULT_TEMPLATE, version=0)
    return AmendmentTemplateOut(body=row.body, version=row.version)


async def put_template(
    session: AsyncSession, principal: Principal, body: AmendmentTemplateIn, *, if_match: str | None
) -> AmendmentTemplateOut:
    """Replace the template (HR admin) after checking its placeholders; documents that failed
    to generate are generated again with it."""
    require_hr_admin(principal)
    documents.validate_template(body.body)
    row = await repository.template(session, principal.org_id)
    check_version(row.version if row else 0, if_match=if_match, body_version=body.version)
    before = {"body": row.body} if row else None
    if row is None:
        row = AmendmentTemplate(org_id=principal.org_id, body=body.body)
        session.add(row)
    else:
        row.body = body.body
    for version in await repository.failed_current_versions(session, principal.org_id):
        version.document_status, version.document_error = "pending", None
        generation.queue_document(session, version)
    await session.flush()
    audit.record(
        session,
        principal,
        "contract_amendment_template.updated",
        "contract_amendment_template",
        row.id,
        org_id=principal.org_id,
        before=before,
        after={"body": body.body},
    )
    return AmendmentTemplateOut(body=row.body, version=row.version)
