"""Transactional outbox: work is written in the same transaction as the change that needs it.

A service calls `enqueue` and only flushes; the request's commit makes the change and the job
visible together. The worker's relay moves due rows to the queue (row locks with SKIP LOCKED,
so concurrent relays never send a row twice) and `execute` runs a job inside a transaction
that also marks its row done, so a crash repeats a job but never skips it.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    and_,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core import live
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker, set_tenant, unit_of_work
from hrcore.core.jobs import JobContext, get_job
from hrcore.core.models import Base, IdMixin
from hrcore.core.queue import JobQueue, Queued, RecoverableQueue, Revived
from hrcore.settings import Settings

logger = logging.getLogger("hrcore.outbox")

Status = Literal["pending", "queued", "done", "failed"]
UNFINISHED: tuple[Status, ...] = ("pending", "queued")


class OutboxMessage(IdMixin, Base):
    """One unit of background work and its fate."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'queued', 'done', 'failed')", name="status"),
        Index(
            "ix_outbox_messages_due",
            "available_at",
            postgresql_where="status = 'pending'",
        ),
        Index("ix_outbox_messages_status_finished_at", "status", "finished_at"),
    )

    org_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    job: Mapped[str] = mapped_column(String(100), nullable=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    available_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def enqueue(
    session: AsyncSession,
    job: str,
    payload: dict[str, Any] | None = None,
    *,
    org_id: uuid.UUID | None = None,
    not_before: datetime | None = None,
) -> uuid.UUID:
    """Add a job to the caller's transaction. Payloads carry ids, never objects."""
    message = OutboxMessage(job=job, payload=payload or {}, org_id=org_id, status="pending")
    if not_before is not None:
        message.available_at = not_before
    session.add(message)
    return message.id


async def enqueue_once(session: AsyncSession, job: str, *, org_id: uuid.UUID) -> None:
    """Add `job` (empty payload) unless one of the organization's is still pending: for jobs
    that drain work their callers leave in a table, so a burst of callers costs one run.

    The pending row found is share-locked until the caller commits: the relay takes rows
    `FOR UPDATE SKIP LOCKED`, so it cannot start that job before the caller's work is
    visible (it takes it at its next poll). A row the relay holds is skipped and a new one
    added. Call it last in the transaction: the lock is held until the commit."""
    pending = await session.scalar(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.job == job,
            OutboxMessage.org_id == org_id,
            OutboxMessage.status == "pending",
        )
        .limit(1)
        .with_for_update(read=True, skip_locked=True)
    )
    if pending is None:
        enqueue(session, job, org_id=org_id)


async def relay_once(
    sessionmaker: SessionMaker,
    queue: JobQueue,
    *,
    batch_size: int,
    requeue_after: timedelta = timedelta(minutes=15),
) -> int:
    """Move one batch of due rows to the queue; returns how many. Redis down: nothing moves.

    Rows queued longer than `requeue_after` without finishing (Redis lost them, or the job
    crashed outside its transaction) are sent again under the same job id.
    """
    async with unit_of_work(sessionmaker) as session:
        due = (
            await session.execute(
                select(OutboxMessage.id, OutboxMessage.job)
                .where(
                    or_(
                        and_(
                            OutboxMessage.status == "pending",
                            OutboxMessage.available_at <= func.now(),
                        ),
                        and_(
                            OutboxMessage.status == "queued",
                            OutboxMessage.queued_at < func.now() - requeue_after,
                        ),
                    )
                )
                .order_by(OutboxMessage.available_at, OutboxMessage.id)
                .limit(batch_size)
                .with_for_update(skip_locked=True)
            )
        ).all()
        for message_id, job in due:
            await queue.enqueue(job, message_id=str(message_id))
        if due:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_([message_id for message_id, _ in due]))
                .values(status="queued", queued_at=func.now())
            )
        return len(due)


async def relay_all(
    sessionmaker: SessionMaker,
    queue: JobQueue,
    *,
    batch_size: int,
    requeue_after: timedelta = timedelta(minutes=15),
) -> int:
    """Relay until nothing is due."""
    total = 0
    while moved := await relay_once(
        sessionmaker, queue, batch_size=batch_size, requeue_after=requeue_after
    ):
        total += moved
    return total


async def recover(
    sessionmaker: SessionMaker,
    queue: RecoverableQueue,
    *,
    batch_size: int,
    orphan_after: float,
    in_progress_ttl: float,
) -> Revived:
    """Make every `queued` row's job runnable again if the queue lost it or its worker died.

    Each batch is read `FOR UPDATE SKIP LOCKED`: a running job holds its row's lock for the
    whole attempt, so the rows seen here are exactly the ones no live worker is running, and
    a job can neither finish nor start its work while they are checked. Re-sent rows keep
    their id as the job id; should one still be running somewhere, the row lock and its
    status make the second run a no-op, so nothing ever runs twice in effect.
    """
    resent: list[str] = []
    released: list[str] = []
    after: uuid.UUID | None = None
    while True:
        async with unit_of_work(sessionmaker) as session:
            statement = select(OutboxMessage.id, OutboxMessage.job).where(
                OutboxMessage.status == "queued"
            )
            if after is not None:
                statement = statement.where(OutboxMessage.id > after)
            rows = (
                await session.execute(
                    statement.order_by(OutboxMessage.id)
                    .limit(batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return Revived(resent=resent, released=released)
            revived = await queue.revive(
                [Queued(str(message_id), job) for message_id, job in rows],
                orphan_after=orphan_after,
                in_progress_ttl=in_progress_ttl,
            )
            if revived.resent:
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_([uuid.UUID(i) for i in revived.resent]))
                    .values(queued_at=func.now())
                )
        resent += revived.resent
        released += revived.released
        after = rows[-1][0]


@dataclass(frozen=True)
class Outcome:
    """What happened to one attempt: done, or an error and whether it was the last try; the
    live updates (`core.live`) a committed attempt announced, for the worker to publish."""

    error: BaseException | None = None
    final: bool = False
    announcements: tuple[live.Announcement, ...] = ()


async def execute(
    sessionmaker: SessionMaker,
    message_id: uuid.UUID,
    *,
    attempt: int,
    max_tries: int,
    clock: Clock,
    settings: Settings,
) -> Outcome:
    """Run the job of one outbox row once; its effects and the row's status commit together."""
    async with unit_of_work(sessionmaker) as session:
        message = await session.get(OutboxMessage, message_id, with_for_update=True)
        if message is None or message.status in ("done", "failed"):
            return Outcome()
        if message.org_id is not None:
            await set_tenant(session, message.org_id)
        spec = get_job(message.job)
        message.attempts = attempt
        context = JobContext(
            session=session,
            sessionmaker=sessionmaker,
            settings=settings,
            org_id=message.org_id,
            payload=message.payload,
            message_id=message.id,
            attempt=attempt,
            clock=clock,
        )
        try:
            async with session.begin_nested():
                await spec.handler(context)
        except Exception as exc:
            live.take(session)
            final = attempt >= (spec.max_tries or max_tries)
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if final:
                message.status = "failed"
                message.finished_at = func.now()
            logger.warning("job %s attempt %d failed: %s", message.job, attempt, exc)
            return Outcome(error=exc, final=final)
        message.status = "done"
        message.last_error = None
        message.finished_at = func.now()
        return Outcome(announcements=live.take(session))


async def prune(sessionmaker: SessionMaker, *, retention: timedelta) -> int:
    """Housekeeping: delete finished-and-done rows older than `retention` (failed ones stay)."""
    async with unit_of_work(sessionmaker) as session:
        result = await session.execute(
            delete(OutboxMessage)
            .where(
                OutboxMessage.status == "done", OutboxMessage.finished_at < func.now() - retention
            )
            .returning(OutboxMessage.id)
        )
        return len(result.all())


async def has_due(session: AsyncSession) -> bool:
    """Whether any row is waiting to be relayed now."""
    due = select(OutboxMessage.id).where(
        OutboxMessage.status == "pending", OutboxMessage.available_at <= func.now()
    )
    return bool(await session.scalar(select(due.exists())))


@dataclass(frozen=True)
class OutboxStats:
    counts: dict[tuple[str, str], int]
    backlog: int
    oldest_age_seconds: float


async def stats(session: AsyncSession) -> OutboxStats:
    """Counts by job and status, backlog and the age of the oldest unfinished row."""
    rows = (
        await session.execute(
            select(OutboxMessage.job, OutboxMessage.status, func.count()).group_by(
                OutboxMessage.job, OutboxMessage.status
            )
        )
    ).all()
    counts = {(job, status): count for job, status, count in rows}
    oldest = (
        await session.execute(
            select(func.extract("epoch", func.now() - func.min(OutboxMessage.created_at))).where(
                OutboxMessage.status.in_(UNFINISHED)
            )
        )
    ).scalar_one()
    backlog = sum(count for (_, status), count in counts.items() if status in UNFINISHED)
    return OutboxStats(counts=counts, backlog=backlog, oldest_age_seconds=float(oldest or 0))
