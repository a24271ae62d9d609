"""Enum values as a sentence shows them: `The cycle is {status}` reads `closed` in English
and `已关闭` in Chinese, while the JSON keeps the code.

Each code is its own English msgid (so English reads exactly the code, as before); a code
missing here renders as itself in every language.
"""

from __future__ import annotations

from hrcore.core.i18n import N_, Text

STATUS_LABELS = frozenset(
    {
        N_("draft"),
        N_("open"),
        N_("closed"),
        N_("aggregated"),
        N_("pending"),
        N_("submitted"),
        N_("completed"),
        N_("cancelled"),
        N_("active"),
        N_("running"),
        N_("enrolled"),
        N_("withdrawn"),
        N_("nominated"),
        N_("approved"),
        N_("rejected"),
        N_("returned"),
        N_("superseded"),
        N_("graduated"),
        N_("appointed"),
        N_("removed"),
        N_("left"),
        N_("answered"),
        N_("upheld"),
        N_("filled"),
        N_("confirmed"),
        N_("terminated"),
        N_("computed"),
        N_("published"),
        N_("exited"),
        N_("hr"),
        N_("department"),
    }
)


def label(code: str) -> Text:
    """`code` in the reader's language (itself when it has no entry)."""
    return Text(code)
