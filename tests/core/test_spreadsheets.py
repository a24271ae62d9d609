"""Exports never hand a spreadsheet a formula someone typed as a name."""

from __future__ import annotations

import csv
import io

import pytest

from hrcore.core.spreadsheets import inert
from hrcore.training.reports_export import table_response
from hrcore.training.reports_schemas import TrainingReportFormat


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_formulas_are_quoted_as_text(typed: str) -> None:
    assert inert(typed) == f"'{typed}"


def test_plain_text_is_kept() -> None:
    assert inert("谈判技巧 Negotiation") == "谈判技巧 Negotiation"


def test_a_report_table_quotes_a_formula_name() -> None:
    response = table_response(
        TrainingReportFormat.CSV, "courses", ["Course", "Cost"], [["=cmd|' /C calc'!A0", 10]]
    )
    rows = list(csv.reader(io.StringIO(bytes(response.body).decode("utf-8-sig"))))
    assert rows[1] == ["'=cmd|' /C calc'!A0", "10"]
