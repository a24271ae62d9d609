"""A session's report PDF: asked for over HTTP (the session as it stands, in the reader's
language, kept as the report's content), drawn by the worker — the 9-box and the boxes'
changes as matplotlib charts, every box's people and every move as text — and stored.
One report per session, revision and language; a failed one is queued again when asked."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import string
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics import talent_review_access as access
from hrcore.analytics import talent_review_charts as charts
from hrcore.analytics.talent_review import LEVELS
from hrcore.analytics.talent_review_models import (
    TalentReviewMove,
    TalentReviewPlacement,
    TalentReviewReport,
    TalentReviewSession,
)
from hrcore.core import audit, i18n, outbox, pdf
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import NotFound
from hrcore.core.i18n import N_, _, translate
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.core.storage import storage_for
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.settings import Settings
from hrcore.talent import api as talent

REPORT_JOB = "analytics.draw_talent_review_report"
logger = logging.getLogger(__name__)
LEVEL_LABELS = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}


@dataclass(frozen=True)
class ReportFile:
    """The report as the reader gets it: `content` once drawn, `error` when it failed."""

    report: TalentReviewReport
    content: bytes | None = None
    error: str | None = None


async def report_pdf(
    session: AsyncSession, principal: Principal, review_id: uuid.UUID, settings: Settings
) -> ReportFile:
    """The whole session's report: HR admins, or a department head whose subtree holds
    every participant (404 otherwise)."""
    row, caller = await access.readable_session(session, principal, review_id)
    if caller.department_ids is not None:
        outside = await session.scalar(
            select(func.count()).where(
                TalentReviewPlacement.org_id == row.org_id,
                TalentReviewPlacement.session_id == row.id,
                TalentReviewPlacement.department_id.is_(None)
                | TalentReviewPlacement.department_id.not_in(caller.department_ids),
            )
        )
        if outside:
            raise NotFound(_("No such talent review"))
    locale = i18n.current_locale()
    key = {"org_id": row.org_id, "session_id": row.id, "locale": locale, "revision": row.revision}
    report = await _report(session, key)
    if report is None:
        content = await _content(session, row)
        readers = [uuid.UUID(i) for i in content["employee_ids"]]
        note_reads(principal, readers, DataClass.EVALUATION, "talent_review")
        await session.execute(
            insert(TalentReviewReport)
            .values(**key, content=content, status="pending", attempts=1)
            .on_conflict_do_nothing(index_elements=["session_id", "locale", "revision"])
        )
        report = await _report(session, key)
        assert report is not None
        _queue(session, report)
        audit.record(
            session,
            principal,
            "talent_review_report.requested",
            "talent_review_report",
            report.id,
            org_id=row.org_id,
            after={"revision": row.revision, "locale": locale},
        )
    if report.status == "failed":
        error = report.error or "unknown"
        report.status, report.attempts = "pending", report.attempts + 1
        _queue(session, report)
        return ReportFile(report, error=error)
    if report.status == "ready" and report.storage_key:
        return ReportFile(report, await storage_for(settings).get(report.storage_key))
    return ReportFile(report)


async def _report(session: AsyncSession, key: dict[str, Any]) -> TalentReviewReport | None:
    return await session.scalar(select(TalentReviewReport).filter_by(**key))


def _queue(session: AsyncSession, report: TalentReviewReport) -> None:
    outbox.enqueue(session, REPORT_JOB, {"report_id": str(report.id)}, org_id=report.org_id)


async def _content(session: AsyncSession, row: TalentReviewSession) -> dict[str, Any]:
    """The session as plain data, names resolved: what the worker draws."""
    placements = list(
        await session.execute(
            select(
                TalentReviewPlacement.employee_id,
                TalentReviewPlacement.proposed_performance,
                TalentReviewPlacement.proposed_potential,
                TalentReviewPlacement.performance,
                TalentReviewPlacement.potential,
            ).where(
                TalentReviewPlacement.org_id == row.org_id,
                TalentReviewPlacement.session_id == row.id,
            )
        )
    )
    moves = list(
        await session.scalars(
            select(TalentReviewMove)
            .where(TalentReviewMove.org_id == row.org_id, TalentReviewMove.session_id == row.id)
            .order_by(TalentReviewMove.moved_at, TalentReviewMove.id)
        )
    )
    ids = [p.employee_id for p in placements]
    names = {
        i: s.ref.name
        for i, s in (await people.employee_summaries(session, row.org_id, ids)).items()
    }
    if row.department_id:
        population = await org.department_refs(session, row.org_id, [row.department_id])
        subject = population[row.department_id].name
    else:
        assert row.pool_id is not None
        subject = (await talent.pool_refs(session, row.org_id, [row.pool_id]))[row.pool_id].name
    ordered = sorted(placements, key=lambda p: names.get(p.employee_id, ""))
    return {
        "name": row.name,
        "subject": subject,
        "status": row.status,
        "revision": row.revision,
        "employee_ids": [str(i) for i in ids],
        "people": [[names.get(p.employee_id, ""), p[1], p[2], p[3], p[4]] for p in ordered],
        "moves": [
            [
                names.get(m.employee_id, ""),
                m.from_performance,
                m.from_potential,
                m.to_performance,
                m.to_potential,
                m.reason,
            ]
            for m in moves
        ],
    }


def _box(performance: str | None, potential: str | None) -> str:
    if performance is None or potential is None:
        return str(_("not placed").render())
    return str(
        _(
            "potential {potential} × performance {performance}",
            potential=translate(LEVEL_LABELS[potential]),
            performance=translate(LEVEL_LABELS[performance]),
        ).render()
    )


def draw(content: dict[str, Any], font_path: Path, created_at: Any) -> bytes:
    """The PDF in the current language: the title, the two charts and the lists."""
    people_rows = content["people"]
    cells: dict[str, dict[str, list[str]]] = {p: {q: [] for q in LEVELS} for p in LEVELS}
    unplaced: list[str] = []
    for name, _pp, _pq, performance, potential in people_rows:
        (cells[performance][potential] if performance else unplaced).append(name)
    boxes = [(p, q) for q in LEVELS for p in LEVELS]
    title = _("Talent review report: {name}", name=content["name"]).render()
    status = translate(N_("closed") if content["status"] == "closed" else N_("open"))
    lines = [
        f"# {title}",
        _(
            "Population: {subject} · {count} people · status {status} · {moves} moves",
            subject=content["subject"],
            count=len(people_rows),
            status=status,
            moves=len(content["moves"]),
        ).render(),
        _("Funnel and bench strength figures are not drawn: analytics has none yet.").render(),
        "![grid]",
        "![changes]",
        "# " + _("People by box").render(),
    ]
    for performance, potential in reversed(boxes):
        names = cells[performance][potential]
        lines.append(f"{_box(performance, potential)} ({len(names)}): {'、'.join(names)}")
    lines.append(f"{_box(None, None)} ({len(unplaced)}): {'、'.join(unplaced)}")
    lines.append("# " + _("Moves").render())
    for name, fp, fq, tp, tq, reason in content["moves"]:
        lines.append(f"{name}: {_box(fp, fq)} → {_box(tp, tq)} · {reason}")
    text = "\n".join(lines)
    labels = {level: translate(label) for level, label in LEVEL_LABELS.items()} | {
        "performance": _("Performance").render(),
        "potential": _("Potential").render(),
        "proposed": _("Proposed").render(),
        "now": _("Now").render(),
        "moved_in": _("Moved in").render(),
        "people": _("People").render(),
    }

    def more(count: int) -> str:
        return _("… and {count} more", count=count).render()

    moved_in = [sum(1 for m in content["moves"] if (m[3], m[4]) == box) for box in boxes]
    proposed = [sum(1 for r in people_rows if (r[1], r[2]) == box) for box in boxes]
    now = [len(cells[p][q]) for p, q in boxes]
    box_names = [f"{translate(LEVEL_LABELS[q])}/{translate(LEVEL_LABELS[p])}" for p, q in boxes]
    with tempfile.TemporaryDirectory(prefix="hrcore-chart-") as scratch:
        # One regular-weight subset for the charts and the text: instancing costs most.
        # matplotlib measures every line's height on "lp", whatever the language.
        glyphs = text + more(0) + string.ascii_letters + string.digits
        glyphs += "".join(labels.values()) + "".join(box_names)
        font = pdf.regular_font(font_path, glyphs, Path(scratch))
        images = {
            "grid": charts.nine_box(font, cells, labels, more),
            "changes": charts.box_changes(font, box_names, proposed, now, moved_in, labels),
        }
        return pdf.render_pdf(
            text, font_path=font, title=title, created_at=created_at, images=images
        )


async def draw_report(
    session: AsyncSession, org_id: uuid.UUID, report_id: uuid.UUID, settings: Settings, clock: Clock
) -> str:
    """Draw and store one pending report; a drawing error marks it failed (the next reader
    queues it again), a storage error propagates so the job retries."""
    report = await session.scalar(
        select(TalentReviewReport).where(
            TalentReviewReport.org_id == org_id, TalentReviewReport.id == report_id
        )
    )
    if report is None or report.status != "pending":
        return report.status if report else "gone"
    try:
        with i18n.using(report.locale):
            content = await asyncio.to_thread(
                draw, report.content, pdf.font_path(settings), report.created_at
            )
    except Exception as exc:  # drawing only reads the font and the content: final
        report.status, report.error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("talent review report %s failed: %s", report_id, exc)
        return report.status
    key = f"{org_id}/talent-reviews/{report.session_id}/{report.id}.pdf"
    await storage_for(settings).put(key, content, pdf.MEDIA_TYPE)
    report.storage_key, report.size = key, len(content)
    report.sha256 = hashlib.sha256(content).hexdigest()
    report.status, report.error, report.generated_at = "ready", None, clock.now()
    return report.status
