"""Background work of programs (thin: the use-case modules do the work)."""

from __future__ import annotations

import uuid
from typing import Any

from hrcore.core.jobs import JobContext
from hrcore.core.runtime import Runtime
from hrcore.programs import dossier_pdf, stages, stretch_stages, training_stages, withdrawal


async def withdraw_leaver(context: JobContext) -> None:
    """Subscribed to people's employment events, recorded and applied: only an exit that
    took effect withdraws (one dated later does on its date)."""
    if context.org_id is None or not _exit_in_effect(context.payload):
        return
    await withdrawal.withdraw(
        context.session,
        context.org_id,
        uuid.UUID(str(context.payload["employee_id"])),
        context.clock,
        reason="left the company",
    )


def _exit_in_effect(payload: dict[str, Any]) -> bool:
    return payload.get("kind") == "exit" and payload.get("applied", True) is not False


async def withdraw_removed_member(context: JobContext) -> None:
    """Subscribed to talent's member removal: the runs of that pool lose the participant."""
    if context.org_id is None:
        return
    await withdrawal.withdraw(
        context.session,
        context.org_id,
        uuid.UUID(str(context.payload["employee_id"])),
        context.clock,
        reason="removed from the talent pool",
        pool_id=uuid.UUID(str(context.payload["pool_id"])),
    )


async def generate_dossier_document(context: JobContext) -> None:
    if context.org_id is None:
        return
    await dossier_pdf.generate_dossier_document(
        context.session,
        context.org_id,
        uuid.UUID(str(context.payload["document_id"])),
        context.settings,
        context.clock,
    )


async def assign_stretch_stage(context: JobContext) -> None:
    """Queued when a stretch-assignment stage opens, and again when HR's task is done."""
    if context.org_id is None:
        return
    await stretch_stages.assign(
        context.session,
        context.org_id,
        uuid.UUID(str(context.payload["stage_id"])),
        context.clock,
        context.settings,
    )


async def complete_stretch_stage(context: JobContext) -> None:
    """Subscribed to competencies' stretch outcome: the stage waiting for it completes."""
    if context.org_id is None:
        return
    await stretch_stages.complete_on_outcome(
        context.session,
        context.org_id,
        uuid.UUID(str(context.payload["assignee_id"])),
        context.clock,
    )


async def check_training_stage(context: JobContext) -> None:
    """Queued when a training stage naming courses opens: courses done before count."""
    if context.org_id is None:
        return
    await training_stages.check_opened(
        context.session, context.org_id, uuid.UUID(str(context.payload["stage_id"])), context.clock
    )


async def complete_training_stages(context: JobContext) -> None:
    """Subscribed to training's completed enrolments and first passed exams."""
    if context.org_id is None:
        return
    await training_stages.check_enrolment(
        context.session,
        context.org_id,
        uuid.UUID(str(context.payload["enrolment_id"])),
        context.clock,
    )


async def close_overdue_reviewed_stages(ctx: dict[str, Any]) -> int:
    """arq cron entry point (hourly)."""
    runtime: Runtime = ctx["runtime"]
    return await stages.close_overdue_reviewed_stages(
        runtime.sessionmaker, runtime.clock, runtime.settings
    )


async def prune_dossier_documents(ctx: dict[str, Any]) -> int:
    """arq cron entry point (daily)."""
    runtime: Runtime = ctx["runtime"]
    return await dossier_pdf.prune_dossier_documents(
        runtime.sessionmaker, runtime.clock, runtime.settings
    )
