"""The notes mentoring writes on competency evidence (a skill test about the mentee, a
mentor's effectiveness about the mentor). Competencies keeps one note per evidence row and
shows it to every reader of the profile, in whatever language they read, and the worker that
writes the effectiveness note has no reader at all: so each note carries both languages,
each rendered from the catalogs through `core.i18n` — `中文 / English` as the contract
amendment's bilingual labels — never only the Chinese of the default locale."""

from __future__ import annotations

from hrcore.core.i18n import Text, render


def bilingual_note(text: Text) -> str:
    """`text` in Chinese and in English (once when the two read the same)."""
    chinese, english = render(text, "zh-CN"), render(text, "en")
    return english if chinese == english else f"{chinese} / {english}"
