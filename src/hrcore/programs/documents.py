"""A dossier as the text of its PDF: headings (`# `) and lines, bilingual labels.

Rendered only from the trimmed `Dossier` its reader was shown, so the PDF can never say more
than the JSON did (no supervisor evaluation or decision reason in the participant's own copy,
360 results only as reviews aggregated them).
"""

from __future__ import annotations

from collections.abc import Iterator

from hrcore.programs.schemas import DecisionRecord, Dossier, DossierStage
from hrcore.reviews.api import ResultOut
from hrcore.workflow.api import TaskOut


def dossier_text(dossier: Dossier) -> str:
    return "\n".join(_lines(dossier))


def _lines(dossier: Dossier) -> Iterator[str]:
    participant = dossier.participant
    yield "# 培养档案 / Development dossier"
    yield f"项目 / Program: {dossier.run.name}"
    yield f"学员 / Participant: {participant.employee.name}"
    yield f"状态 / Status: {participant.status}" + (
        f" · 结果 / Outcome: {participant.outcome}" if participant.outcome else ""
    )
    if participant.withdrawn_reason:
        yield f"退出原因 / Withdrawn: {participant.withdrawn_reason}"
    for number, stage in enumerate(dossier.stages, start=1):
        yield ""
        yield from _stage(number, stage)


def _stage(number: int, stage: DossierStage) -> Iterator[str]:
    yield f"# {number}. {stage.name}"
    timing = f"{stage.starts_on} – {stage.due_on}"
    yield f"{stage.kind} · {timing} · {stage.status}" + (
        ""
        if stage.on_time is None
        else f" · {'按时 / on time' if stage.on_time else '逾期 / late'}"
    )
    for task in stage.tasks:
        yield from _task(task)
    if stage.review_result is not None:
        yield from _review(stage.review_result)
    if stage.decision is not None:
        yield from _decision(stage.decision)


def _task(task: TaskOut) -> Iterator[str]:
    done = f", {task.completed_at:%Y-%m-%d}" if task.completed_at else ""
    yield f"任务 / Task: {task.title} ({task.status}{done})"
    submission = task.submission
    if submission is None:
        return
    if submission.text:
        yield f"提交 / Submission: {submission.text}"
    for link in submission.links:
        yield f"链接 / Link: {link}"
    for attachment in submission.attachments:
        yield f"附件 / Attachment: {attachment}"


def _review(result: ResultOut) -> Iterator[str]:
    overall = "—" if result.overall is None else f"{result.overall:g}"
    yield f"360 评估 / 360 review: {overall} ({result.raters} raters, {result.status})"
    for indicator in result.indicators:
        groups = ", ".join(f"{g.relationship} {g.score:g} ({g.raters})" for g in indicator.groups)
        yield f"  {indicator.name}: {indicator.score:g}" + (f" — {groups}" if groups else "")
    for comment in result.comments:
        yield f"  评语 / Comment: {comment}"


def _decision(decision: DecisionRecord) -> Iterator[str]:
    readiness = f", {decision.readiness}" if decision.readiness else ""
    yield f"决定 / Decision: {decision.outcome}{readiness} ({decision.decided_at:%Y-%m-%d})"
    if decision.reason:
        yield f"理由 / Reason: {decision.reason}"
