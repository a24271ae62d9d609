"""Properties of lower-is-better formulas (response time, defects): a better (lower) result
never scores less, the target scores full marks, every score stays within 0 and the cap, and
a lower-is-better result mirrors the higher-is-better one on negated values."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from hrcore.core.scoring import Band, Formula, formula_score

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)
caps = st.floats(min_value=0, max_value=150, allow_nan=False)
kinds = st.sampled_from(["ratio", "linear", "banded"])
bands = st.lists(
    st.builds(Band, at_least=values, score=st.floats(min_value=0, max_value=100)), max_size=5
)


def _lower(kind: str, floor: float, cap: float, band_list: list[Band]) -> Formula:
    return Formula(kind, cap=cap, floor=floor, bands=band_list, direction="lower")  # type: ignore[arg-type]


@given(kinds, values, values, values, values, caps, bands)
def test_a_lower_result_never_scores_less(
    kind: str, target: float, a: float, b: float, floor: float, cap: float, band_list: list[Band]
) -> None:
    formula = _lower(kind, floor, cap, band_list)
    better, worse = min(a, b), max(a, b)
    assert formula_score(formula, target=target, actual=better) >= formula_score(
        formula, target=target, actual=worse
    )


@given(kinds, values, values, values, caps, bands)
def test_every_score_stays_within_0_and_the_cap(
    kind: str, target: float, actual: float, floor: float, cap: float, band_list: list[Band]
) -> None:
    score = formula_score(_lower(kind, floor, cap, band_list), target=target, actual=actual)
    assert 0 <= score <= min(cap, 100)


@given(positive, positive, caps)
def test_meeting_the_target_scores_full_marks(target: float, above: float, cap: float) -> None:
    """At the target (or better) a ratio and a linear formula score the cap."""
    ratio = Formula("ratio", cap=cap, direction="lower")
    linear = Formula("linear", cap=cap, floor=target + above, direction="lower")
    for formula in (ratio, linear):
        assert formula_score(formula, target=target, actual=target) == min(cap, 100)
        assert formula_score(formula, target=target, actual=target / 2) == min(cap, 100)


@given(st.sampled_from(["linear", "banded"]), values, values, values, caps, bands)
def test_lower_mirrors_higher_on_negated_values(
    kind: str, target: float, actual: float, floor: float, cap: float, band_list: list[Band]
) -> None:
    lower = _lower(kind, floor, cap, band_list)
    mirrored = Formula(
        kind,  # type: ignore[arg-type]
        cap=cap,
        floor=-floor,
        bands=[Band(-band.at_least, band.score) for band in band_list],
    )
    expected = formula_score(mirrored, target=-target, actual=-actual)
    assert abs(formula_score(lower, target=target, actual=actual) - expected) < 1e-6


@given(positive, positive)
def test_a_ratio_is_the_target_over_the_actual(target: float, actual: float) -> None:
    assume(actual >= target)
    score = formula_score(Formula("ratio", direction="lower"), target=target, actual=actual)
    assert abs(score - target / actual * 100) < 1e-6


def test_response_time_one_hour_against_three() -> None:
    """Target 1 h: answering in 3 h scores a third on a ratio, 0 on a line to a 3 h floor."""
    assert round(formula_score(Formula("ratio", direction="lower"), target=1, actual=3), 2) == 33.33
    linear = Formula("linear", floor=3, direction="lower")
    assert formula_score(linear, target=1, actual=3) == 0
    assert formula_score(linear, target=1, actual=2) == 50
