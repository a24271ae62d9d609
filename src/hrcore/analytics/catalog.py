"""Every figure, by name: the refresh job recollects them, the drill-down path's
`{figure}` names one. A figure's module declares its `FIGURE`; add it here."""

from __future__ import annotations

from hrcore.analytics import on_time, retention
from hrcore.analytics.figures import Figure

FIGURES: dict[str, Figure] = {figure.name: figure for figure in (on_time.FIGURE, retention.FIGURE)}
