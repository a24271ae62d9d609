"""Every figure, by name: the refresh job recollects them, the drill-down path's
`{figure}` names one. A figure's module declares its `FIGURE`; add it here."""

from __future__ import annotations

from hrcore.analytics import (
    bench_strength,
    funnel,
    mentoring_effect,
    on_time,
    retention,
    selection,
    training_effect,
    vacancy_fill,
)
from hrcore.analytics.figures import Figure

FIGURES: dict[str, Figure] = {
    figure.name: figure
    for figure in (
        on_time.FIGURE,
        funnel.FIGURE,
        vacancy_fill.FIGURE,
        bench_strength.FIGURE,
        selection.FIGURE,
        retention.FIGURE,
        mentoring_effect.FIGURE,
        training_effect.FIGURE,
    )
}
