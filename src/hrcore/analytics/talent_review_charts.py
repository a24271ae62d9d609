"""The report's pictures, drawn with matplotlib in the document's font (the same file
`core.pdf` embeds, so Chinese renders): the 9-box with each box's count and names, and
each box's count as proposed against now, with the moves into it."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

LEVELS = ("low", "medium", "high")
NAMES_SHOWN = 6
"""Names written in a box of the picture; the text lists them all."""


def _figure(width: float, height: float) -> Any:
    # matplotlib costs a second to import: only the worker drawing a report pays it.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=150)


def _png(figure: Any) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def _font(path: Path, size: float) -> Any:
    from matplotlib.font_manager import FontProperties

    return FontProperties(fname=str(path), size=size)


def nine_box(
    font: Path,
    cells: dict[str, dict[str, list[str]]],
    labels: dict[str, str],
    more: Callable[[int], str],
) -> bytes:
    """The grid: potential up, performance right, each box its count and first names;
    `cells[performance][potential]` the names, `more` says how many are not shown."""
    figure = _figure(7.5, 6.5)
    axes = figure.add_subplot()
    shades = {0: "#f3d9d5", 1: "#fbefd5", 2: "#e5f2dd", 3: "#cfe8c3", 4: "#b3dba0"}
    for x, performance in enumerate(LEVELS):
        for y, potential in enumerate(LEVELS):
            names = cells[performance][potential]
            axes.add_patch(_rectangle((x, y), shades[x + y], edgecolor="#555555", linewidth=1.2))
            axes.text(
                x + 0.05,
                y + 0.9,
                str(len(names)),
                fontproperties=_font(font, 16),
                va="top",
                ha="left",
                weight="bold",
            )
            shown = names[:NAMES_SHOWN]
            if len(names) > NAMES_SHOWN:
                shown.append(more(len(names) - NAMES_SHOWN))
            axes.text(
                x + 0.05,
                y + 0.68,
                "\n".join(shown),
                fontproperties=_font(font, 8),
                va="top",
                ha="left",
            )
    axes.set_xlim(0, 3)
    axes.set_ylim(0, 3)
    axes.set_xticks([0.5, 1.5, 2.5], [labels[level] for level in LEVELS])
    axes.set_yticks([0.5, 1.5, 2.5], [labels[level] for level in LEVELS])
    for tick in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
        tick.set_fontproperties(_font(font, 10))
    axes.set_xlabel(labels["performance"], fontproperties=_font(font, 11))
    axes.set_ylabel(labels["potential"], fontproperties=_font(font, 11))
    axes.set_aspect("equal")
    return _png(figure)


def _rectangle(corner: tuple[int, int], color: str, **style: Any) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle(corner, 1, 1, facecolor=color, **style)


def box_changes(
    font: Path,
    boxes: list[str],
    proposed: list[int],
    now: list[int],
    moved_in: list[int],
    labels: dict[str, str],
) -> bytes:
    """Per box (named potential/performance): participants as proposed, now, and the moves
    into it (grouped bars)."""
    figure = _figure(8, 4.2)
    axes = figure.add_subplot()
    width = 0.27
    positions = range(len(boxes))
    for offset, values, label, color in (
        (-width, proposed, labels["proposed"], "#9db4d3"),
        (0.0, now, labels["now"], "#3f6fb0"),
        (width, moved_in, labels["moved_in"], "#e39b4a"),
    ):
        bars = axes.bar([p + offset for p in positions], values, width, label=label, color=color)
        axes.bar_label(bars, fontproperties=_font(font, 7))
    axes.set_xticks(list(positions), boxes)
    for tick in axes.get_xticklabels():
        tick.set_fontproperties(_font(font, 8))
        tick.set_rotation(30)
        tick.set_horizontalalignment("right")
    axes.set_xlabel(
        f"{labels['potential']} / {labels['performance']}", fontproperties=_font(font, 9)
    )
    axes.set_ylabel(labels["people"], fontproperties=_font(font, 10))
    axes.legend(prop=_font(font, 9))
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)
