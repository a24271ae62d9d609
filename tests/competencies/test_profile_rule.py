"""The profile rule computed in the database (`profiles.RECOMPUTE`) gives, on random
evidence, exactly the figures of the rule written in Python (`tests/competencies/
profile_rule.py`: `profiles.evidence_weight` and `core.scoring.weighted_mean`), and the
profile read explains each figure with its evidence and the weights they counted with."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from hrcore.competencies import profiles, repository
from hrcore.competencies.models import CompetencyEvidence
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.core.schemas import Ref
from tests.competencies.conftest import World, create
from tests.competencies.profile_rule import expected_figures

NOW = datetime(2026, 12, 7, 9, 0, 0, 123_457, tzinfo=UTC)
KIND_WEIGHTS = {"manual": 1.0, "review": 1.7, "program_evaluation": 0.0}
"""`program_evaluation` counts nothing; `training`, not named, counts 1."""
HALF_LIFE_DAYS = 30
DAY = 86_400 * 10**6
"""A day in microseconds: evidence ages are drawn to the microsecond."""

Row = tuple[float, str, float, int]
"""A piece of evidence: value, kind, source weight, age in microseconds (negative: dated
after now)."""

ROWS = st.lists(
    st.tuples(
        st.one_of(st.integers(0, 1000).map(lambda n: n / 100), st.floats(1e-6, 10)),
        st.sampled_from(["manual", "review", "program_evaluation", "training"]),
        st.one_of(st.sampled_from([1.0, 1.5, 2.0]), st.floats(0.01, 5)),
        st.one_of(
            st.sampled_from([0, DAY, 365 * DAY]),
            st.integers(-DAY, 3 * 365 * DAY),
            st.integers(63 * HALF_LIFE_DAYS * DAY, 65 * HALF_LIFE_DAYS * DAY),
            st.integers(0, 200 * 365 * DAY),
        ),
    ),
    min_size=1,
    max_size=8,
)
"""One employee's evidence on one competency: ties on the moment (ordered by id), evidence
dated later than now, around and past the 64 half-lives that count nothing, kinds that
count nothing."""


def _drawn(count: int) -> list[list[Row]]:
    """`count` random evidence sets from hypothesis (its edge cases included), drawn up
    front: the database checks them all in one recompute."""
    drawn: list[list[Row]] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(ROWS)
    def collect(rows: list[Row]) -> None:
        drawn.append(rows)

    collect()
    return drawn


def _evidence_rows(
    org_id: uuid.UUID, slots: Sequence[tuple[uuid.UUID, uuid.UUID]], cases: list[list[Row]]
) -> list[dict[str, Any]]:
    return [
        {
            "id": uuid.uuid4(),
            "org_id": org_id,
            "employee_id": employee_id,
            "competency_id": competency_id,
            "value": value,
            "source_kind": kind,
            "source_id": uuid.uuid4(),
            "observed_at": NOW - timedelta(microseconds=age),
            "source_weight": weight,
            "note": None,
        }
        for (employee_id, competency_id), case in zip(slots, cases, strict=False)
        for value, kind, weight, age in case
    ]


@pytest.mark.commits
async def test_the_database_computes_the_python_rule_on_random_evidence(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    org_id = world.hr.org_id
    people = [world.boss, world.lead, world.member, world.junior, world.peer, world.engineer]
    skills = [uuid.UUID((await create(client, world.hr, f"Skill {n}"))["id"]) for n in range(10)]
    slots = [(person.id, skill) for person in people for skill in skills]
    rows = _evidence_rows(org_id, slots, _drawn(len(slots)))
    settings_ = runtime.settings.model_copy(
        update={
            "competency_source_weights": KIND_WEIGHTS,
            "competency_evidence_half_life_days": HALF_LIFE_DAYS,
        }
    )
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        await session.execute(insert(CompetencyEvidence), rows)
        stored = await profiles.recompute_many(
            session, org_id, [person.id for person in people], settings_, NOW
        )
    assert stored, "the drawn evidence gave someone a figure"
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        for person in people:
            own = [row for row in rows if row["employee_id"] == person.id]
            expected = expected_figures(
                own, kind_weights=KIND_WEIGHTS, half_life_days=HALF_LIFE_DAYS, now=NOW
            )
            snapshots = await repository.snapshots(session, org_id, person.id, 1)
            figures = snapshots[0]["figures"] if snapshots else []
            assert figures == expected, own
            view = await profiles.profile_view(
                session, org_id, Ref(id=person.id, name=person.full_name), settings_
            )
            for figure in view.competencies:
                behind = [r for r in own if r["competency_id"] == figure.competency_id]
                assert sorted((e.id, e.weight) for e in figure.evidence) == sorted(
                    (
                        r["id"],
                        round(
                            profiles.evidence_weight(
                                r,
                                kind_weights=KIND_WEIGHTS,
                                half_life_days=HALF_LIFE_DAYS,
                                now=NOW,
                            ),
                            4,
                        ),
                    )
                    for r in behind
                )
                assert figure.sources == len(behind)
