"""Password policy: strong by zxcvbn's estimate, even with the account's own name taken out.

zxcvbn (Dropbox's estimator) knows common and breached-pattern passwords, keyboard walks,
repeats, sequences and dates. It is scored on the password with every variant of the user's
email and name removed, so "wang.fang2026" counts as ".2026" for Wang Fang.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from zxcvbn import zxcvbn

from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.identity.password_feedback import in_reader_language

_PARTS = re.compile(r"[\W_]+")
_ZXCVBN_MAX = 100
"""zxcvbn's cost grows with length; what makes a longer password strong is in its start."""


def _identifiers(values: Iterable[str]) -> list[str]:
    """Each value, its parts and the email's local part and domain, longest first."""
    found: set[str] = set()
    for raw in values:
        value = raw.lower().strip()
        local, _, domain = value.partition("@")
        for candidate in (value, local, domain.split(".")[0], *_PARTS.split(value)):
            if len(candidate) >= 3:
                found.add(candidate)
    return sorted(found, key=len, reverse=True)


def _without(password: str, identifiers: list[str]) -> str:
    for identifier in identifiers:
        password = re.sub(re.escape(identifier), "", password, flags=re.IGNORECASE)
    return password


def check(password: str, *, personal: Iterable[str], field: str, min_score: int) -> None:
    """422 naming `field` when the password is weak or made of the user's own name or email."""
    identifiers = _identifiers(personal)
    remainder = _without(password, identifiers)
    reasons: list[str] = []
    if remainder:  # zxcvbn fails on an empty string; nothing left is as weak as it gets
        result = zxcvbn(remainder[:_ZXCVBN_MAX], user_inputs=identifiers)
        if int(result["score"]) >= min_score:
            return
        feedback = result["feedback"]
        sentences = [feedback.get("warning") or "", *feedback.get("suggestions", [])]
        reasons = [in_reader_language(sentence) for sentence in sentences if sentence]
    if remainder != password:
        reasons.insert(0, str(_("Without your name and email it is too easy to guess.")))
    message = " ".join(reason for reason in reasons if reason) or str(_("Too easy to guess."))
    raise Unprocessable(
        _("The password is too weak"), errors=[FieldError(field=field, message=message)]
    )
