"""The demo's value-based performance 「价值绩效」: the sales representatives' scheme with the
seed articles' five weights, and a year of monthly observations for each of them — one rep's
customer response time worsening over the last months — scored by the worker; the East Sales
Section's own quality, below target the last three ended months, opens the demo's diagnosis
for the sales head."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import outbox
from hrcore.core.clock import Clock
from hrcore.identity.models import User
from hrcore.performance import api as performance
from hrcore.performance.models import PERFORMANCE_SCHEMES, MetricObservation, PerformanceScheme
from hrcore.performance.schemas import IndicatorSpec
from hrcore.seed.company import Company

RATIO = {"kind": "ratio"}
# key, name, unit, direction, weight, target, formula, aggregation
INDICATORS = [
    ("output", "产出 Output", "orders", "higher", 30, 20, RATIO, "sum"),
    ("quality", "质量 Quality", "%", "higher", 25, 95, RATIO, "mean"),
    (
        "customer_feedback",
        "客户响应 Customer response",
        "h",
        "lower",
        20,
        1,
        {"kind": "linear", "floor": 3},
        "mean",
    ),
    (
        "innovation_proposals",
        "创新提案 Innovation",
        "proposals",
        "higher",
        15,
        2,
        {"kind": "ratio"},
        "sum",
    ),
    ("teamwork", "团队协作 Teamwork", "points", "higher", 10, 4, RATIO, "last"),
]
MONTHS = 12
DECLINING_HOURS = (1.0, 1.0, 1.5, 2.0, 3.0)
"""The first rep's customer response time over the last five months: 1 h → 3 h."""
SECTION_QUALITY = (96, 96, 97, 95, 96, 97, 96, 95, 91, 89, 90)
"""The East Sales Section's own quality (%, target 95) over the ended months: missed the last
three (the current month has none yet)."""


def _months(today: date) -> list[date]:
    """The first days of the last `MONTHS` months, this one included, oldest first."""
    firsts = []
    year, month = today.year, today.month
    for _ in range(MONTHS):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def _value(key: str, rng: random.Random) -> float:
    """A steady month: within ±8 % of typical, so only the declining response time crosses a
    decline alert's 25 % threshold."""
    typical = {"output": 20, "quality": 95, "customer_feedback": 1.2, "innovation_proposals": 2}
    if key == "teamwork":
        return float(rng.randint(4, 5))
    return round(typical[key] * rng.uniform(0.92, 1.08), 1)


async def add_performance(
    session: AsyncSession, company: Company, today: date, clock: Clock
) -> None:
    """The scheme for the sales representatives (and the sales department's own figures)
    and their observations, one recompute job for every (rep, month) the worker scores, and
    the diagnosis the section's quality opens."""
    rep_post = company.positions["SALES-REP"]
    scheme = PerformanceScheme(
        org_id=company.org_id,
        revision=1,
        name="销售价值绩效 Sales value",
        period="month",
        position_ids=[str(rep_post.id)],
        department_ids=[str(company.departments["SALES"].id)],
        indicators=[
            IndicatorSpec.model_validate(
                {
                    "key": key,
                    "name": name,
                    "unit": unit,
                    "direction": direction,
                    "weight": weight,
                    "target": target,
                    "formula": formula,
                    "aggregation": aggregation,
                }
            ).model_dump(mode="json")
            for key, name, unit, direction, weight, target, formula, aggregation in INDICATORS
        ],
        department_overrides=[],
    )
    session.add(scheme)
    await session.flush()
    PERFORMANCE_SCHEMES.keep_revision(session, scheme)
    hr = await session.scalar(select(User.id).where(User.email == "hr@demo.example"))
    assert hr is not None
    reps = [e for e in company.employees if e.position_id == rep_post.id]
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    months = _months(today)
    rows: list[dict[str, Any]] = []
    for index, rep in enumerate(reps):
        for number, first in enumerate(months):
            for key, *_ in INDICATORS:
                value = _value(key, rng)
                late = number - (MONTHS - len(DECLINING_HOURS))
                if index == 0 and key == "customer_feedback" and late >= 0:
                    value = DECLINING_HOURS[late]
                rows.append(
                    {
                        "org_id": company.org_id,
                        "employee_id": rep.id,
                        "indicator": key,
                        "value": value,
                        "observed_at": datetime(first.year, first.month, 1, 2, tzinfo=UTC),
                        "source": "demo",
                        "external_id": f"{rep.employee_number}:{key}:{first:%Y-%m}",
                        "revision": 1,
                        "recorded_by": hr,
                    }
                )
    section = company.departments["SALES-E"].id
    for key, values in (("quality", SECTION_QUALITY), ("customer_feedback", (0.9,) * 11)):
        for first, value in zip(months, values, strict=False):
            rows.append(
                {
                    "org_id": company.org_id,
                    "department_id": section,
                    "indicator": key,
                    "value": value,
                    "observed_at": datetime(first.year, first.month, 1, 2, tzinfo=UTC),
                    "source": "demo",
                    "external_id": f"SALES-E:{key}:{first:%Y-%m}",
                    "revision": 1,
                    "recorded_by": hr,
                }
            )
    session.add_all(MetricObservation(**row) for row in rows)
    await session.flush()
    await performance.open_diagnoses(session, company.org_id, clock)
    payload = {"months": {str(rep.id): [f"{first:%Y-%m}" for first in months] for rep in reps}}
    outbox.enqueue(session, performance.RECOMPUTE_JOB, payload, org_id=company.org_id)
