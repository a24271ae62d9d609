"""Team capability in a diagnosis's bundle 「团队能力」: how far the department's people meet
their position models (competencies' heat-map rule, where profiles exist), how long they have
been with the organization, and how many left during the streak's periods (people's hire
dates and exit events). Training hours are not read: no source records them yet.

Read once, when the diagnosis opens (the bundle keeps the picture of that day): four
statements besides the team's subtree.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core.i18n import _
from hrcore.org import api as org
from hrcore.people import api as people

TENURE_BANDS = (1.0, 3.0, 5.0)
"""Tenure's distribution, in years: below 1, 1–3, 3–5, 5 and more."""
DAYS_PER_YEAR = 365.25


async def capability(
    session: AsyncSession,
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    periods: Sequence[tuple[str, date, date]],
    today: date,
) -> dict[str, Any]:
    """The bundle's `capability`: `competencies`, `tenure` and `turnover` over `periods`
    (the streak's: name, first day, day after) of the department and those under it."""
    subtree = await org.subtree_ids(session, org_id, department_id)
    posts = await people.active_posts_in(session, org_id, subtree, None)
    attainment = await competencies.team_attainment(session, org_id, posts)
    history = await people.team_history(session, org_id, subtree, periods)
    return {
        "competencies": {
            "members": attainment.members,
            "measured": attainment.measured,
            "attained": attainment.attained,
            "mean_match": attainment.mean_match,
            "competencies": [
                {
                    "competency": {
                        "id": str(column["competency_id"]),
                        "name": column["competency"]["name"],
                    }
                }
                | {k: column[k] for k in ("people", "assessed", "average", "attained_percent")}
                for column in attainment.competencies
            ],
        },
        "tenure": tenure(history.hire_dates, today),
        "turnover": [
            {
                "period": t.period,
                "headcount": t.headcount,
                "leavers": t.leavers,
                "rate": round(t.leavers / t.headcount * 100, 1) if t.headcount else None,
            }
            for t in history.turnover
        ],
    }


def tenure(hire_dates: Sequence[date], today: date) -> dict[str, Any]:
    """Mean years since hire and how many members fall in each of `TENURE_BANDS`."""
    years = [(today - hired).days / DAYS_PER_YEAR for hired in hire_dates]
    lower = (0.0, *TENURE_BANDS)
    upper: tuple[float | None, ...] = (*TENURE_BANDS, None)
    return {
        "members": len(years),
        "mean_years": round(sum(years) / len(years), 1) if years else None,
        "distribution": [
            {
                "at_least_years": low,
                "below_years": high,
                "members": sum(1 for y in years if low <= y and (high is None or y < high)),
            }
            for low, high in zip(lower, upper, strict=True)
        ],
    }


def capability_lines(found: dict[str, Any]) -> list[str]:
    """The capability as the PDF's text lines (`core.pdf`: `# ` lines are headings)."""
    held = found["competencies"]
    lines = ["# " + str(_("Team capability"))]
    if held["measured"]:
        lines.append(
            str(
                _(
                    "Competencies: {attained} of {measured} members with a profile meet "
                    "their position's model (mean match {match} %)",
                    attained=held["attained"],
                    measured=held["measured"],
                    match=held["mean_match"],
                )
            )
        )
        lines += [
            f"{c['competency']['name']}: {c['attained_percent']:g} %" for c in held["competencies"]
        ]
    else:
        lines.append(str(_("Competencies: no member has a profile against a position model")))
    held_tenure = found["tenure"]
    if held_tenure["mean_years"] is not None:
        lines.append(
            str(
                _(
                    "Tenure: {years} years on average over {members} members",
                    years=held_tenure["mean_years"],
                    members=held_tenure["members"],
                )
            )
        )
        for band in held_tenure["distribution"]:
            upper = band["below_years"]
            span = (
                f"{band['at_least_years']:g}–{upper:g}"
                if upper
                else f"≥ {band['at_least_years']:g}"
            )
            lines.append(f"{span}: {band['members']}")
    lines.append(str(_("Turnover (leavers / headcount)")))
    lines += [
        f"{t['period']}: {t['leavers']} / {t['headcount']}"
        + (f" ({t['rate']:g} %)" if t["rate"] is not None else "")
        for t in found["turnover"]
    ]
    return lines
