"""Competency levels on the profile's 0–10 scale: level r of a competency with N levels is
r / N × 10 (level 4 of 5 is 8.0). The one rule for a model's required level, a stretch
assignment's start level and a development plan's target."""

from __future__ import annotations


def on_scale(level: int, levels: int) -> float:
    """Level `level` (capped at `levels`) of `levels` on the 0–10 scale."""
    return round(min(level, levels) / levels * 10, 2)
