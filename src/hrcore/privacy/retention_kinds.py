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
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.channels import api as channels
from hrcore.core.i18n import Text, _
from hrcore.core.privacy import DataClass
from hrcore.core.retention import DueItem
from hrcore.people import api as people
from hrcore.privacy import read_log_retention
from hrcore.programs import api as programs
from hrcore.reviews import api as reviews
from hrcore.settings import Settings
from hrcore.webhooks import api as webhooks

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
    CHANNEL_DELIVERIES = "channel_deliveries"
    READ_ACCESS_LOG = "read_access_log"


class RetentionAction(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"


class RetentionEvent(StrEnum):
    """What starts a kind's retention period."""

    EMPLOYEE_EXIT = "employee_exit"
    CYCLE_AGGREGATED = "cycle_aggregated"
    DOCUMENT_GENERATED = "document_generated"
    DELIVERY_LOGGED = "delivery_logged"
    DATA_READ = "data_read"


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
    minimum_days: int = 1
    """The shortest period a rule may set (the read-access log: three years)."""


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


async def _held_marks(
    session: AsyncSession, org_id: uuid.UUID, held: Sequence[uuid.UUID]
) -> list[str]:
    """What names a held person in a channel message: their id, name and DingTalk id."""
    names = await people.employee_refs(session, org_id, held)
    contacts = await people.dingtalk_contacts(session, org_id, held)
    marks = [str(person) for person in held] + [ref.name for ref in names.values()]
    return marks + [c.dingtalk_user_id for c in contacts.values() if c.dingtalk_user_id]


async def _channel_deliveries_due(
    session: AsyncSession,
    org_id: uuid.UUID,
    before: datetime,
    held: Sequence[uuid.UUID],
    after: uuid.UUID | None,
    limit: int,
) -> Sequence[DueItem]:
    marks = await _held_marks(session, org_id, held)
    return await channels.channel_deliveries_due(session, org_id, before, marks, after, limit)


async def _channel_deliveries_count(
    session: AsyncSession, org_id: uuid.UUID, before: datetime, held: Sequence[uuid.UUID]
) -> int:
    marks = await _held_marks(session, org_id, held)
    return await channels.channel_deliveries_due_count(session, org_id, before, marks)


async def _delete_channel_deliveries(
    session: AsyncSession, _settings: Settings, org_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    return await channels.delete_channel_deliveries(session, org_id, ids)


async def _purge_read_log(
    session: AsyncSession, _settings: Settings, _org_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    return await read_log_retention.purge_entries(session, ids)


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
        PurgeableKind(
            SubjectKind.CHANNEL_DELIVERIES,
            _(
                "The DingTalk and group-robot delivery log — each notice sent to a channel with "
                "its text and recipients — deleted after it was logged; notices still being "
                "sent stay"
            ),
            (DataClass.BASIC,),
            RetentionEvent.DELIVERY_LOGGED,
            RetentionAction.DELETE,
            _channel_deliveries_due,
            _channel_deliveries_count,
            _delete_channel_deliveries,
        ),
        PurgeableKind(
            SubjectKind.READ_ACCESS_LOG,
            _(
                "The read-access log — who read whose sensitive or evaluation data — deleted "
                "after the read, never before three years (the record of processing)"
            ),
            (DataClass.BASIC,),
            RetentionEvent.DATA_READ,
            RetentionAction.DELETE,
            read_log_retention.entries_due,
            read_log_retention.entries_due_count,
            _purge_read_log,
            minimum_days=read_log_retention.FLOOR_DAYS,
        ),
    )
}
