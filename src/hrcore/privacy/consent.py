"""Consent use cases: HR publishes versioned texts per purpose; a person gives consent to the
current version and withdraws it; `require_consent` refuses processing without it (PIPL Art.
14–16, 29, 39). Every step is audited."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, i18n
from hrcore.core.authz import Principal, own_employee_id, require_hr_admin, require_user
from hrcore.core.clock import Clock
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict, ConsentRequired, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, Text, _
from hrcore.core.pagination import Page, PageParams, paginate
from hrcore.core.personal_data import CROSS_BORDER_TRANSFER
from hrcore.privacy import consent_repository as repository
from hrcore.privacy.consent_models import Consent, ConsentText
from hrcore.privacy.consent_schemas import (
    ConsentIn,
    ConsentOut,
    ConsentPurpose,
    ConsentTextIn,
    ConsentTextOut,
)

TEXT = "consent_text"
CONSENT = "consent"


def _refusal(purpose: str) -> Text:
    if purpose == CROSS_BORDER_TRANSFER:
        return _(
            "The employee has not consented to the transfer of their personal information"
            " abroad (the current consent text)"
        )
    return _(
        "The employee has not consented to the processing of their sensitive personal"
        " information (the current consent text)"
    )


async def require_consent(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, purpose: str
) -> None:
    """403 `consent-required` unless the employee's consent to the purpose's newest text is
    in force. A purpose the organization has published no text for is not collected in
    hrcore (the organization holds that consent elsewhere): nothing is refused until it
    publishes one. One statement."""
    published, consented = await repository.consents_current_text(
        session, org_id, employee_id, purpose
    )
    if published and not consented:
        raise ConsentRequired(_refusal(purpose))


def _text_out(text: ConsentText, newest: dict[str, int]) -> ConsentTextOut:
    return ConsentTextOut.model_validate(
        {
            "id": text.id,
            "purpose": text.purpose,
            "text_version": text.text_version,
            "title_zh": text.title_zh,
            "title_en": text.title_en,
            "body_zh": text.body_zh,
            "body_en": text.body_en,
            "published_at": text.published_at,
            "current": newest.get(text.purpose) == text.text_version,
        }
    )


def consent_out(consent: Consent, text: ConsentText) -> ConsentOut:
    """A consent with its text's title in the reader's language."""
    title = text.title_zh if i18n.current_locale() == "zh-CN" else text.title_en
    return ConsentOut(
        id=consent.id,
        purpose=ConsentPurpose(consent.purpose),
        text_id=text.id,
        text_version=text.text_version,
        title=title,
        given_at=consent.given_at,
        withdrawn_at=consent.withdrawn_at,
        in_force=consent.withdrawn_at is None,
    )


async def publish_text(
    session: AsyncSession, principal: Principal, body: ConsentTextIn, clock: Clock
) -> ConsentTextOut:
    """HR publishes the next version of a purpose's text; consents to earlier versions no
    longer count until the person consents again."""
    require_user(principal)
    require_hr_admin(principal)
    version = await repository.latest_version(session, principal.org_id, body.purpose) + 1
    text = ConsentText(
        org_id=principal.org_id,
        purpose=body.purpose.value,
        text_version=version,
        title_zh=body.title_zh,
        title_en=body.title_en,
        body_zh=body.body_zh,
        body_en=body.body_en,
        published_at=clock.now(),
        published_by=principal.id,
    )
    session.add(text)
    await session.flush()
    audit.record(
        session,
        principal,
        "consent_text.published",
        TEXT,
        text.id,
        org_id=text.org_id,
        after={"purpose": text.purpose, "text_version": version},
    )
    return _text_out(text, {text.purpose: version})


async def list_texts(
    session: AsyncSession, principal: Principal, purpose: ConsentPurpose | None, page: PageParams
) -> Page[ConsentTextOut]:
    """Every published version, newest first: anyone of the organization reads what they are
    asked to agree to."""
    require_user(principal)
    statement = repository.texts_statement(principal.org_id, purpose.value if purpose else None)
    rows, cursor = await paginate(
        session,
        statement,
        [ConsentText.published_at, ConsentText.id],
        page,
        descending=True,
    )
    newest = await repository.latest_versions(session, principal.org_id)
    return Page[ConsentTextOut](items=[_text_out(row, newest) for row in rows], next_cursor=cursor)


async def get_text(
    session: AsyncSession, principal: Principal, text_id: uuid.UUID
) -> ConsentTextOut:
    require_user(principal)
    text = await get_or_404(
        session, ConsentText, principal.org_id, text_id, what=N_("consent text")
    )
    return _text_out(text, await repository.latest_versions(session, principal.org_id))


async def my_consents(
    session: AsyncSession, principal: Principal, page: PageParams
) -> Page[ConsentOut]:
    """The caller's consents, withdrawn ones included, newest first."""
    employee_id = own_employee_id(principal)
    rows, cursor = await paginate(
        session,
        repository.consents_statement(principal.org_id, employee_id),
        [Consent.given_at, Consent.id],
        page,
        descending=True,
    )
    texts = await repository.texts_by_ids(
        session, principal.org_id, list({row.text_id for row in rows})
    )
    return Page[ConsentOut](
        items=[consent_out(row, texts[row.text_id]) for row in rows], next_cursor=cursor
    )


async def give(
    session: AsyncSession, principal: Principal, body: ConsentIn, clock: Clock
) -> ConsentOut:
    """The caller consents to the current version of a purpose's text (422 for an unknown
    or superseded text, 409 while a consent to it is in force)."""
    employee_id = own_employee_id(principal)
    text = await session.get(ConsentText, body.text_id)
    if text is None or text.org_id != principal.org_id:
        raise Unprocessable(
            _("No such consent text"),
            errors=[FieldError(field="text_id", message=_("not a consent text"))],
        )
    if text.text_version != await repository.latest_version(session, text.org_id, text.purpose):
        raise Unprocessable(
            _("A newer version of this consent text is published"),
            errors=[FieldError(field="text_id", message=_("consent to the current version"))],
        )
    if await repository.consent_in_force(session, text.org_id, employee_id, text.id):
        raise Conflict(_("Your consent to this text is already in force"))
    consent = Consent(
        org_id=text.org_id,
        employee_id=employee_id,
        text_id=text.id,
        purpose=text.purpose,
        given_at=clock.now(),
        given_by=principal.id,
    )
    session.add(consent)
    await session.flush()
    audit.record(
        session,
        principal,
        "consent.given",
        CONSENT,
        consent.id,
        org_id=consent.org_id,
        after=_audited(consent, text),
    )
    return consent_out(consent, text)


def _audited(consent: Consent, text: ConsentText) -> dict[str, Any]:
    return {
        "employee_id": str(consent.employee_id),
        "purpose": consent.purpose,
        "text_version": text.text_version,
    }


async def withdraw(
    session: AsyncSession, principal: Principal, consent_id: uuid.UUID, clock: Clock
) -> ConsentOut:
    """The caller withdraws one of their consents (404 for anyone else's, 409 when withdrawn
    already); the row stays with `withdrawn_at`, and processing that needs it is refused from
    now on."""
    employee_id = own_employee_id(principal)
    consent = await get_or_404(
        session, Consent, principal.org_id, consent_id, what=N_("consent"), for_update=True
    )
    if consent.employee_id != employee_id:
        raise NotFound(_("No such consent"))
    if consent.withdrawn_at is not None:
        raise Conflict(_("This consent is withdrawn already"))
    text = await session.get(ConsentText, consent.text_id)
    assert text is not None, "a consent's text is kept (RESTRICT)"
    consent.withdrawn_at = clock.now()
    await session.flush()
    audit.record(
        session,
        principal,
        "consent.withdrawn",
        CONSENT,
        consent.id,
        org_id=consent.org_id,
        after=_audited(consent, text),
    )
    return consent_out(consent, text)
