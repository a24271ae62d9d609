"""Consent's routes: the texts HR publishes (`/consent-texts`) and a person's own consents
(`/me/consents`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.privacy import consent
from hrcore.privacy.consent_schemas import (
    ConsentIn,
    ConsentOut,
    ConsentPurpose,
    ConsentTextIn,
    ConsentTextOut,
)

router = APIRouter(route_class=HrcoreRoute, tags=["privacy"])

PurposeFilter = Annotated[ConsentPurpose | None, Query(description="Only this purpose's texts.")]


@router.post(
    "/consent-texts",
    operation_id="publish_consent_text",
    summary="Publish the next version of a purpose's consent text (HR admin)",
    status_code=status.HTTP_201_CREATED,
    responses=FORBIDDEN,
)
async def publish_text(
    body: ConsentTextIn, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> ConsentTextOut:
    """For HR admins signed in as users. Publishes a purpose's text (sensitive personal
    information, cross-border transfer) in Chinese and English as its next version; from then
    on processing for the purpose needs each person's consent to this version (earlier
    consents no longer count). Never edited: a change is a new version. Audited."""
    return await consent.publish_text(session, principal, body, clock)


@router.get(
    "/consent-texts",
    operation_id="list_consent_texts",
    summary="Published consent texts, newest first",
    responses=FORBIDDEN,
)
async def list_texts(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    purpose: PurposeFilter = None,
) -> Page[ConsentTextOut]:
    """Any user of the organization: every published version, `current` marking the one a
    consent is given to. Integration keys: 403."""
    return await consent.list_texts(session, principal, purpose, page)


@router.get(
    "/consent-texts/{text_id}",
    operation_id="get_consent_text",
    summary="One consent text version",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_text(
    text_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> ConsentTextOut:
    """Any user of the organization; 404 for another organization's."""
    return await consent.get_text(session, principal, text_id)


@router.get(
    "/me/consents",
    operation_id="list_my_consents",
    summary="My consents, withdrawn ones included",
    responses=NOT_FOUND,
)
async def my_consents(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[ConsentOut]:
    """The caller's consents, newest first, each with the text version agreed to and, once
    withdrawn, when. 404 for an account not linked to an employee."""
    return await consent.my_consents(session, principal, page)


@router.post(
    "/me/consents",
    operation_id="give_consent",
    summary="Consent to the current version of a consent text",
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT},
)
async def give(
    body: ConsentIn, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> ConsentOut:
    """The caller consents to a text: it must be the current version of its purpose (422
    otherwise, and for an unknown text); 409 while a consent to it is in force. Audited."""
    return await consent.give(session, principal, body, clock)


@router.delete(
    "/me/consents/{consent_id}",
    operation_id="withdraw_consent",
    summary="Withdraw one of my consents",
    responses={**NOT_FOUND, **CONFLICT},
)
async def withdraw(
    consent_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> ConsentOut:
    """The caller withdraws a consent of theirs (404 for anyone else's, HR included; 409 when
    withdrawn already). The record stays, with `withdrawn_at`; processing that needs it is
    refused from now on (403 `consent-required`). Audited."""
    return await consent.withdraw(session, principal, consent_id, clock)
