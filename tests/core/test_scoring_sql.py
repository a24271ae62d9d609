"""`weighted_mean_sql` in PostgreSQL gives `weighted_mean` to the last bit on random values
and weights (zero and negative weights left out; none so small that a product underflows),
the rows handed in shuffled and ordered by a sorted subquery, as its callers do."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hrcore.core.db import fetch, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.core.scoring import weighted_mean, weighted_mean_sql

GROUPS = st.lists(
    st.lists(
        st.tuples(
            st.one_of(st.just(0.0), st.floats(1e-6, 10)),
            st.one_of(st.just(0.0), st.floats(-1, -1e-6), st.floats(1e-6, 5)),
        ),
        min_size=1,
        max_size=12,
    ),
    min_size=1,
    max_size=10,
)

MEANS = f"""
SELECT n, {weighted_mean_sql("value", "weight")} AS mean
  FROM (SELECT * FROM unnest($1::int[], $2::int[], $3::float8[], $4::float8[])
                   AS given(n, position, value, weight)
         ORDER BY n, position) AS ordered
 GROUP BY n
"""


def _drawn(count: int) -> list[list[list[tuple[float, float]]]]:
    drawn: list[list[list[tuple[float, float]]]] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(GROUPS)
    def collect(groups: list[list[tuple[float, float]]]) -> None:
        drawn.append(groups)

    collect()
    return drawn


async def test_the_sql_weighted_mean_is_the_python_one(runtime: Runtime) -> None:
    groups = [group for groups in _drawn(40) for group in groups]
    rows = [
        (n, position, value, weight)
        for n, group in enumerate(groups)
        for position, (value, weight) in enumerate(group)
    ]
    random.Random(7).shuffle(rows)
    columns = [list(column) for column in zip(*rows, strict=True)]
    async with unit_of_work(runtime.sessionmaker) as session:
        means = {row["n"]: row["mean"] for row in await fetch(session, MEANS, *columns)}
    expected = {
        n: weighted_mean(
            {str(i): value for i, (value, _) in enumerate(group)},
            {str(i): weight for i, (_, weight) in enumerate(group)},
        )
        for n, group in enumerate(groups)
    }
    assert means == expected
