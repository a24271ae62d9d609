"""Why people leave: the categories an exit is recorded under 「离职原因」, with their labels
in the catalogs. A category, not free text, so that turnover can be counted by reason
(analytics' retention); the optional note says the rest."""

from __future__ import annotations

from typing import Literal, get_args

from hrcore.core.i18n import N_, translate

ExitReason = Literal[
    "ability_mismatch",
    "pay",
    "development",
    "personal",
    "relocation",
    "health",
    "dismissal",
    "contract_end",
    "retirement",
    "other",
]
EXIT_REASONS: tuple[str, ...] = get_args(ExitReason)

LABELS = {
    "ability_mismatch": N_("Ability mismatch"),
    "pay": N_("Pay"),
    "development": N_("Development opportunities"),
    "personal": N_("Personal reasons"),
    "relocation": N_("Relocation"),
    "health": N_("Health"),
    "dismissal": N_("Dismissal"),
    "contract_end": N_("Contract ended"),
    "retirement": N_("Retirement"),
    "other": N_("Other"),
}


def label(reason: str | None) -> str | None:
    """The category in the reader's language; None for an exit recorded without one."""
    return translate(LABELS[reason]) if reason is not None else None
