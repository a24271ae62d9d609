"""Screening facts for talent pools: per-employee figures from people's tables, as
sub-selects talent composes into its rules in one query."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select

from hrcore.people import repository


@dataclass(frozen=True)
class ScreeningFacts:
    """Sub-selects of per-employee figures, `(employee_id, value)` each, to join in one query.

    Owned here because they read people's tables; talent pools compose them into their rules.
    """

    population: Select[Any]
    average_scores: Callable[[int], Select[Any]]
    rating_streaks: Callable[[str], Select[Any]]
    team_lead_counts: Select[Any]
    career_aspirations: Select[Any]


def screening_facts(org_id: uuid.UUID) -> ScreeningFacts:
    """Active employees and what screening rules look at, for one organization."""
    return ScreeningFacts(
        population=repository.active_population(org_id),
        average_scores=lambda periods: repository.average_scores(org_id, periods),
        rating_streaks=lambda letter: repository.rating_streaks(org_id, letter),
        team_lead_counts=repository.team_lead_counts(org_id),
        career_aspirations=repository.career_aspirations(org_id),
    )
