"""Training's reports as tables for a spreadsheet (`?format=csv|xlsx`): one row per
department or course, with the total or the whole subtree first, headers in the caller's
language. CSV is UTF-8 with a byte-order mark, so Excel opens Chinese text as such."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Response

from hrcore.core import spreadsheets
from hrcore.core.i18n import Text, _
from hrcore.core.pdf import content_disposition
from hrcore.core.responses import Responses
from hrcore.core.spreadsheets import SheetFormat
from hrcore.training.reports_schemas import (
    TrainingCategoryFigures,
    TrainingCostReport,
    TrainingCoursesReport,
    TrainingPointsByCategory,
    TrainingReportFormat,
)

CSV = spreadsheets.MEDIA_TYPES[SheetFormat.CSV]
XLSX = spreadsheets.MEDIA_TYPES[SheetFormat.XLSX]
EXPORTS: Responses = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "The report (JSON), or with `format` its table as CSV or XLSX.",
    }
}

Row = Sequence[Any]


def table_response(
    export_format: TrainingReportFormat, name: str, header: Row, rows: Sequence[Row]
) -> Response:
    """The table as a CSV or XLSX download named `name` (core.spreadsheets' writer)."""
    form = SheetFormat(export_format.value)
    filename = f"{name}.{form.value}"
    return Response(
        spreadsheets.render(form, name, header, rows),
        media_type=spreadsheets.MEDIA_TYPES[form],
        headers={"Content-Disposition": content_disposition(filename, filename)},
    )


def _category_header() -> list[Text]:
    return [
        _("People"),
        _("Total points"),
        *(
            label
            for category in (_("Participation"), _("Outcome"), _("Sharing"))
            for label in (
                _("{category} points", category=category),
                _("{category} share %", category=category),
                _("{category} target %", category=category),
            )
        ),
    ]


def _category_cells(figures: TrainingCategoryFigures) -> list[Any]:
    cells: list[Any] = [figures.people, figures.total]
    for share in (figures.participation, figures.outcome, figures.sharing):
        cells += [share.points, share.share, share.target]
    return cells


def points_table(report: TrainingPointsByCategory) -> tuple[Row, list[Row]]:
    scope = report.department.name if report.department else _("Whole organization")
    rows: list[Row] = [[scope, *_category_cells(report.overall)]]
    rows += [[row.department.name, *_category_cells(row)] for row in report.departments]
    return [_("Department"), *_category_header()], rows


def courses_table(report: TrainingCoursesReport) -> tuple[Row, list[Row]]:
    header = [
        _("Course"),
        _("Mode"),
        _("Sessions"),
        _("Enrolled"),
        _("Attended"),
        _("Late"),
        _("Completed"),
        _("Completion rate %"),
        _("Action plans"),
        _("Mean plan score"),
        _("Adopted plans"),
    ]
    rows: list[Row] = [
        [
            item.course.name,
            item.mode,
            item.sessions,
            item.enrolled,
            item.attended,
            item.late,
            item.completed,
            item.completion_rate,
            item.action_plans,
            item.mean_plan_score,
            item.adopted_plans,
        ]
        for item in report.items
    ]
    return header, rows


def cost_table(report: TrainingCostReport) -> tuple[Row, list[Row]]:
    header = [
        _("Course"),
        _("Fee"),
        _("Participants"),
        _("Sessions"),
        _("Fees"),
        _("Instructor allowance"),
        _("Cost"),
        _("Performance change"),
        _("Measured participants"),
        _("Cost per performance point"),
    ]
    rows: list[Row] = [
        [
            item.course.name,
            item.fee,
            item.participants,
            item.sessions,
            item.fees,
            item.allowance,
            item.cost,
            item.performance.mean_change,
            item.performance.n,
            item.cost_per_performance_point,
        ]
        for item in report.items
    ]
    total = report.total
    rows.append(
        [
            _("Total"),
            None,
            total.participants,
            None,
            None,
            None,
            total.cost,
            total.performance.mean_change,
            total.performance.n,
            total.cost_per_performance_point,
        ]
    )
    return header, rows
