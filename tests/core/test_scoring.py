"""Properties of the shared scoring module (hypothesis), and a few worked examples."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrcore.core.scoring import (
    Band,
    Formula,
    Rating,
    aggregate,
    formula_score,
    scale_score,
    weighted_mean,
)

GROUPS = ["self", "supervisor", "peer", "subordinate"]
ITEMS = ["output", "quality", "teamwork"]
scores = st.floats(min_value=0, max_value=100, allow_nan=False)
weights = st.floats(min_value=0.5, max_value=100, allow_nan=False)
ratings = st.lists(
    st.builds(
        Rating,
        rater=st.sampled_from(["r1", "r2", "r3", "r4", "r5"]),
        group=st.sampled_from(GROUPS),
        item=st.sampled_from(ITEMS),
        score=scores,
    ),
    max_size=40,
)
group_weights = st.fixed_dictionaries(dict.fromkeys(GROUPS, weights))
item_weights = st.fixed_dictionaries(dict.fromkeys(ITEMS, weights))


@given(ratings, item_weights, group_weights)
def test_every_figure_stays_within_0_and_100(
    rs: list[Rating], iw: dict[str, float], gw: dict[str, float]
) -> None:
    result = aggregate(rs, item_weights=iw, group_weights=gw)
    figures = [result.overall] if result.overall is not None else []
    for item in result.items.values():
        figures.append(item.score)
        figures += [group.score for group in item.groups.values()]
    assert all(-1e-9 <= figure <= 100 + 1e-9 for figure in figures)


@given(ratings, item_weights, group_weights)
def test_overall_lies_between_the_lowest_and_highest_item(
    rs: list[Rating], iw: dict[str, float], gw: dict[str, float]
) -> None:
    result = aggregate(rs, item_weights=iw, group_weights=gw)
    if result.overall is None:
        assert result.items == {}
        return
    item_scores = [item.score for item in result.items.values()]
    assert min(item_scores) - 1e-9 <= result.overall <= max(item_scores) + 1e-9


@given(ratings, item_weights, group_weights, st.floats(min_value=1, max_value=50))
def test_raising_one_rating_never_lowers_any_score(
    rs: list[Rating], iw: dict[str, float], gw: dict[str, float], bump: float
) -> None:
    if not rs:
        return
    before = aggregate(rs, item_weights=iw, group_weights=gw)
    first = rs[0]
    raised = [Rating(first.rater, first.group, first.item, min(100.0, first.score + bump))]
    after = aggregate(raised + rs[1:], item_weights=iw, group_weights=gw)
    assert after.overall is not None
    assert before.overall is not None
    assert after.overall >= before.overall - 1e-9
    assert after.items[first.item].score >= before.items[first.item].score - 1e-9


@given(ratings, item_weights, group_weights, st.floats(min_value=0.1, max_value=10))
def test_scaling_all_weights_changes_nothing(
    rs: list[Rating], iw: dict[str, float], gw: dict[str, float], factor: float
) -> None:
    plain = aggregate(rs, item_weights=iw, group_weights=gw)
    scaled = aggregate(
        rs,
        item_weights={k: v * factor for k, v in iw.items()},
        group_weights={k: v * factor for k, v in gw.items()},
    )
    assert (plain.overall is None) == (scaled.overall is None)
    if plain.overall is not None and scaled.overall is not None:
        assert scaled.overall == pytest.approx(plain.overall)


@given(item_weights, scores, scores)
def test_a_missing_group_is_left_out_not_counted_as_zero(
    iw: dict[str, float], supervisor: float, peer: float
) -> None:
    gw = {"supervisor": 50.0, "peer": 30.0, "subordinate": 20.0}
    rs = [Rating("boss", "supervisor", "output", supervisor), Rating("p", "peer", "output", peer)]
    result = aggregate(rs, item_weights={"output": 1.0}, group_weights=gw)
    assert result.items["output"].score == pytest.approx((supervisor * 50 + peer * 30) / 80)
    assert set(result.items["output"].groups) == {"supervisor", "peer"}


def test_a_worked_example_with_rater_counts() -> None:
    rs = [
        Rating("boss", "supervisor", "output", 80),
        Rating("p1", "peer", "output", 60),
        Rating("p2", "peer", "output", 100),
        Rating("boss", "supervisor", "teamwork", 50),
    ]
    result = aggregate(
        rs,
        item_weights={"output": 60, "teamwork": 40},
        group_weights={"supervisor": 50, "peer": 50},
    )
    assert result.items["output"].score == pytest.approx(80)
    assert result.items["output"].raters == 3
    assert result.items["output"].groups["peer"].raters == 2
    assert result.items["teamwork"].score == pytest.approx(50)
    assert result.overall == pytest.approx(80 * 0.6 + 50 * 0.4)
    assert result.raters == 3


def test_weighted_mean_ignores_zero_weights_and_missing_values() -> None:
    assert weighted_mean({"a": 10, "b": 20}, {"a": 1, "b": 0, "c": 5}) == 10
    assert weighted_mean({}, {"a": 1}) is None


@given(st.floats(min_value=0, max_value=1e6), st.floats(min_value=0.01, max_value=1e6))
def test_formulas_stay_within_bounds(actual: float, target: float) -> None:
    for formula in (
        Formula("ratio", cap=120),
        Formula("linear", floor=0),
        Formula("banded", bands=(Band(0.5 * target, 60), Band(target, 100))),
    ):
        assert 0 <= formula_score(formula, target=target, actual=actual) <= 100


@given(st.floats(min_value=0, max_value=1e6), st.floats(min_value=0, max_value=1e6))
def test_formulas_are_monotonic_in_the_actual(a: float, b: float) -> None:
    low, high = sorted((a, b))
    for formula in (
        Formula("ratio"),
        Formula("linear", floor=10),
        Formula("banded", bands=(Band(50, 70),)),
    ):
        assert formula_score(formula, target=100, actual=low) <= formula_score(
            formula, target=100, actual=high
        )


def test_formula_examples() -> None:
    assert formula_score(Formula("ratio"), target=200, actual=150) == 75
    assert formula_score(Formula("ratio"), target=200, actual=300) == 100
    assert formula_score(Formula("linear", floor=50), target=150, actual=100) == 50
    bands = (Band(80, 60), Band(100, 90), Band(120, 100))
    assert formula_score(Formula("banded", bands=bands), target=100, actual=105) == 90
    assert formula_score(Formula("banded", bands=bands), target=100, actual=10) == 0
    assert scale_score(4, low=1, high=5) == 75
    with pytest.raises(ValueError, match="go up"):
        scale_score(3, low=5, high=5)
