"""The fixed registry of purgeable things a retention rule may name.

Each kind is declared here, at the top of the layers, from the named queries its owning
domain publishes in its `api.py` (`people.api.anonymise_departed`, `reviews.api.
delete_raw_answers`, …): privacy may import every domain's api, and "Between domains" in
docs/architecture.md favours calling a published module over a provider hook, which is for
a domain that needs something from one *above* it. The SQL stays in the owning domain, next
to its tables; privacy only decides when (the rule), who is spared (legal holds) and
records each batch (audit).

Every owner answers the same three questions in plain values: what is due (`(id, employee
id, event day)` after a cursor id, up to a limit), how many are due, and purge these ids
(answering the ids it changed, re-checking its condition so nothing is purged twice)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.i18n import Text, _
from hrcore.core.privacy import DataClass
from hrcore.people import api as people
from hrcore.programs import api as programs
from hrcore.reviews import api as reviews
from hrcore.settings import Settings
from hrcore.webhooks import api as webhooks

DueItem = tuple[uuid.UUID, uuid.UUID | None, date]
"""A record due: its id, whose data it is (None: no one person's) and its event's day."""
Due = Callable[
    [AsyncSession, uuid.UUID, datetime, Sequence[uuid.UUID], uuid.UUID | None, int],
    Awaitable[Sequence[DueItem]],
]
DueCount = Callable[[AsyncSession, uuid.UUID, datetime, Sequence[uuid.UUID]], Awaitable[int]]
Purge = Callable[
    [AsyncSession, Settings, uuid.UUID, Sequence[uuid.UUID]], Awaitable[list[uuid.UUID]]
]


class SubjectKind(StrEnum):
    """What a rule purges, each after its own event."""

    DEPARTED_EMPLOYEE_IDENTITY = "departed_employee_identity"
    DEPARTED_EMPLOYEE_EVALUATIONS = "departed_employee_evaluations"
    REVIEW_RAW_ANSWERS = "review_raw_answers"
    DOSSIER_DOCUMENTS = "dossier_documents"
    WEBHOOK_DELIVERIES = "webhook_deliveries"


class RetentionAction(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"


class RetentionEvent(StrEnum):
    """What starts a kind's retention period."""

    EMPLOYEE_EXIT = "employee_exit"
    CYCLE_AGGREGATED = "cycle_aggregated"
    DOCUMENT_GENERATED = "document_generated"
    DELIVERY_LOGGED = "delivery_logged"


@dataclass(frozen=True)
class PurgeableKind:
    key: SubjectKind
    description: Text
    data_classes: tuple[DataClass, ...]
    event: RetentionEvent
    action: RetentionAction
    """The one action the owner offers (an employee row is anonymised: other rows name it)."""
    due: Due
    count: DueCount
    purge: Purge


async def _anonymise(
    session: AsyncSession, _settings: Settings, org_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    return await people.anonymise_departed(session, org_id, ids)


async def _delete_evaluations(
    session: AsyncSession, _settings: Settings, org_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    return await people.delete_departed_evaluations(session, org_id, ids)


async def _delete_deliveries(
    session: AsyncSession, _settings: Settings, org_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    return await webhooks.delete_deliveries(session, org_id, ids)


async def _delete_raw_answers(
    session: AsyncSession, _settings: Settings, org_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    return await reviews.delete_raw_answers(session, org_id, ids)


KINDS: dict[SubjectKind, PurgeableKind] = {
    kind.key: kind
    for kind in (
        PurgeableKind(
            SubjectKind.DEPARTED_EMPLOYEE_IDENTITY,
            _(
                "A departed employee's name, employee number, e-mail, phone and DingTalk link, "
                "anonymised after the exit; the record and every figure it counts in stay"
            ),
            (DataClass.BASIC, DataClass.CONTACT),
            RetentionEvent.EMPLOYEE_EXIT,
            RetentionAction.ANONYMISE,
            people.departed_identities_due,
            people.departed_identities_due_count,
            _anonymise,
        ),
        PurgeableKind(
            SubjectKind.DEPARTED_EMPLOYEE_EVALUATIONS,
            _(
                "A departed employee's performance ratings and growth profile, deleted after "
                "the exit"
            ),
            (DataClass.EVALUATION,),
            RetentionEvent.EMPLOYEE_EXIT,
            RetentionAction.DELETE,
            people.departed_evaluations_due,
            people.departed_evaluations_due_count,
            _delete_evaluations,
        ),
        PurgeableKind(
            SubjectKind.REVIEW_RAW_ANSWERS,
            _(
                "Raters' answers, comments, evidence and attached files of an aggregated review "
                "cycle, deleted after it closed; results stay as computed"
            ),
            (DataClass.EVALUATION,),
            RetentionEvent.CYCLE_AGGREGATED,
            RetentionAction.DELETE,
            reviews.raw_answers_due,
            reviews.raw_answers_due_count,
            _delete_raw_answers,
        ),
        PurgeableKind(
            SubjectKind.DOSSIER_DOCUMENTS,
            _("Generated program dossier PDFs and their stored files, deleted after generation"),
            (DataClass.EVALUATION,),
            RetentionEvent.DOCUMENT_GENERATED,
            RetentionAction.DELETE,
            programs.dossier_documents_due,
            programs.dossier_documents_due_count,
            programs.delete_dossier_documents,
        ),
        PurgeableKind(
            SubjectKind.WEBHOOK_DELIVERIES,
            _(
                "The webhook delivery log — each event sent to a subscriber with its payload — "
                "deleted after it was logged; deliveries still being sent stay"
            ),
            (DataClass.BASIC,),
            RetentionEvent.DELIVERY_LOGGED,
            RetentionAction.DELETE,
            webhooks.deliveries_due,
            webhooks.deliveries_due_count,
            _delete_deliveries,
        ),
    )
}
