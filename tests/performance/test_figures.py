"""The pure parts of live scores: each aggregation over a period, the periods a month falls
in, and a department override's weights and targets."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from hrcore.performance.figures import Observation, period_value, score_period
from hrcore.performance.periods import month_of, period_of
from tests.performance.conftest import indicator

AT = datetime(2026, 11, 30, 23, tzinfo=UTC)
SEEN = [Observation(str(n), "x", value, AT) for n, value in enumerate([2.0, 0.0, 4.0, 6.0])]


@pytest.mark.parametrize(
    ("aggregation", "expected"), [("sum", 12), ("mean", 3), ("last", 6), ("rate", 75)]
)
def test_each_aggregation(aggregation: str, expected: float) -> None:
    assert period_value(aggregation, SEEN) == expected


def test_periods_are_where_the_organization_is() -> None:
    assert month_of(AT, UTC) == "2026-11"
    assert month_of(AT, ZoneInfo("Asia/Shanghai")) == "2026-12"
    assert period_of("2026-11", "month") == ("2026-11", date(2026, 11, 1), date(2026, 12, 1))
    assert period_of("2026-12", "month")[2] == date(2027, 1, 1)
    assert period_of("2026-11", "quarter") == ("2026-Q4", date(2026, 10, 1), date(2027, 1, 1))
    assert period_of("2026-02", "quarter") == ("2026-Q1", date(2026, 1, 1), date(2026, 4, 1))


def _spec(**more: object) -> dict[str, object]:
    base = indicator("x", 60, 10) | {
        "formula": {"kind": "ratio", "cap": 100, "floor": 0, "bands": []}
    }
    return base | more


def test_an_override_and_an_unobserved_indicator() -> None:
    scheme = {"indicators": [_spec(), _spec(key="y", weight=40)]}
    override = {"weights": {"x": 50, "y": 50}, "targets": {"x": 24}}
    overall, figures = score_period(scheme, override, SEEN) or (None, [])
    assert overall == 50  # only x observed: 12 of 24, y left out rather than counted as 0
    x, y = figures
    assert (x["target"], x["target_from"], x["weight_from"], x["score"]) == (
        24,
        "department",
        "department",
        50,
    )
    assert (y["observations"], y["value"], y["score"], y["inputs"]) == (0, None, None, [])
    assert score_period(scheme, {}, []) is None
