"""Text in the reader's language: message catalogs, the request's locale and formats.

Every sentence a person reads is written in code as its English text with named
placeholders, `_("No such {what}", what=...)`, and rendered late — when the response is
written, or for a recipient's locale in the worker — from the gettext catalogs in
`hrcore/locale/<locale>/LC_MESSAGES/messages.po` (Babel). The `.po` files are read once per
process (no compiled `.mo` files to build or commit); docs/platform.md, "Text and languages".
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from babel import dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from pydantic import BeforeValidator

SUPPORTED_LOCALES = ("zh-CN", "en")
"""The locales hrcore speaks, as BCP 47 tags (the API's and `Organization.locale`'s form)."""
DEFAULT_LOCALE = "zh-CN"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
_CATALOG_NAMES = {"zh-CN": "zh_CN", "en": "en"}
_FORMAT_LOCALES = {"zh-CN": "zh_Hans_CN", "en": "en_GB"}
"""Babel's locale for dates and numbers: British English writes `6 Dec 2026`."""
_QUALITY = re.compile(r"^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$")


def supported(locale: str | None) -> str | None:
    """The supported tag `locale` names (case and `_` forgiven), else None."""
    if not locale:
        return None
    wanted = locale.replace("_", "-").lower()
    return next((tag for tag in SUPPORTED_LOCALES if tag.lower() == wanted), None)


@functools.cache
def translations(locale: str) -> Translations:
    """The catalog of `locale`, read from its `.po` file once per process."""
    path = LOCALE_DIR / _CATALOG_NAMES[locale] / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=_CATALOG_NAMES[locale])
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def load_catalogs() -> None:
    """Read every catalog now (at start, ~50 ms): a broken `.po` stops the process instead of
    failing the first request that needs it."""
    for locale in SUPPORTED_LOCALES:
        translations(locale)


@dataclass(frozen=True, slots=True)
class Text:
    """A message not yet rendered: its English msgid (and plural), its count and parameters.

    `str(text)` renders it in the current locale; `render(locale)` in a given one (a
    recipient's). Parameters that are `Text`, `Lines`, `Moment` or `Day` render in the same
    locale.
    """

    msgid: str
    plural: str | None = None
    count: int | None = None
    params: Mapping[str, Any] | None = None

    def render(self, locale: str | None = None) -> str:
        catalog = translations(supported(locale) or current_locale())
        if self.plural is None:
            template = catalog.gettext(self.msgid)
        else:
            template = catalog.ngettext(self.msgid, self.plural, self.count or 0)
        values = {
            name: value.render(locale) if isinstance(value, Text | Lines | Moment | Day) else value
            for name, value in (self.params or {}).items()
        }
        return template.format(**values)

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True, slots=True)
class Lines:
    """Messages as one parameter, one per line (or joined by `separator`): a list inside a
    message (the tasks of a digest, what still refers to a department), each rendered in the
    reader's locale."""

    items: Sequence[Text]
    separator: str = "\n"

    def render(self, locale: str | None = None) -> str:
        separator = translate(self.separator, locale) if self.separator.strip() else self.separator
        return separator.join(item.render(locale) for item in self.items)


@dataclass(frozen=True, slots=True)
class Moment:
    """A point in time as a message parameter: shown in `timezone` (the organization's) in the
    reader's format, `2026年12月1日 18:00` / `1 Dec 2026, 18:00`."""

    value: datetime
    timezone: str | tzinfo

    def render(self, locale: str | None = None) -> str:
        return format_datetime(self.value, self.timezone, locale)


@dataclass(frozen=True, slots=True)
class Day:
    """A date as a message parameter: `2026年12月6日` / `6 Dec 2026`."""

    value: date

    def render(self, locale: str | None = None) -> str:
        return format_date(self.value, locale)


def _(msgid: str, /, **params: Any) -> Text:
    """A message: the English text with `{named}` placeholders (`{{` for a literal brace),
    rendered in the reader's locale. Never concatenate messages: put the variable parts in
    placeholders."""
    return Text(msgid, params=params or None)


def _n(singular: str, plural: str, count: int, /, **params: Any) -> Text:
    """A message with plural forms chosen by `count` (English needs two, Chinese one)."""
    return Text(singular, plural, count, {"count": count, **params})


def N_(msgid: str, /) -> str:  # noqa: N802 (the gettext convention)
    """Mark a constant for the catalogs without translating it yet (problem titles, labels
    kept in tables); render it later with `translate`."""
    return msgid


def translate(msgid: str, locale: str | None = None) -> str:
    """A constant marked with `N_`, in `locale` (default: the current one)."""
    return translations(supported(locale) or current_locale()).gettext(msgid)


def bilingual(msgid: str) -> str:
    """`中文 / English` for documents both parties sign (the contract amendment)."""
    chinese, english = translate(msgid, "zh-CN"), translate(msgid, "en")
    return english if chinese == english else f"{chinese} / {english}"


def render(value: str | Text, locale: str | None = None) -> str:
    """A `Text` rendered in `locale` (default: the current one); plain strings (data people
    typed) unchanged."""
    return value.render(locale) if isinstance(value, Text) else value


class Preference:
    """The locale of the request in progress. Mutable on purpose: authentication settles it
    after the request middleware made it, and every copy of the context shares the one object."""

    __slots__ = ("accepted", "chosen")

    def __init__(self, accepted: str | None) -> None:
        self.accepted = accepted
        self.chosen = accepted or DEFAULT_LOCALE

    def prefer_user(self, user_locale: str | None) -> bool:
        """The reader's own locale wins, then `Accept-Language`; False when neither decides
        and the organization's locale is needed."""
        own = supported(user_locale)
        if own:
            self.chosen = own
        return own is not None or self.accepted is not None

    def fall_back_to(self, org_locale: str | None) -> None:
        self.chosen = supported(org_locale) or DEFAULT_LOCALE


_preference: ContextVar[Preference | None] = ContextVar("locale_preference", default=None)
_override: ContextVar[str | None] = ContextVar("locale_override", default=None)


def current_locale() -> str:
    """`using`'s locale, else the request's, else the default (background work without one)."""
    preference = _preference.get()
    return _override.get() or (preference.chosen if preference else DEFAULT_LOCALE)


def request_preference() -> Preference | None:
    """The request's preference for authentication to settle; None outside a request."""
    return _preference.get()


@contextmanager
def using(locale: str | None) -> Iterator[str]:
    """Render in `locale` (a recipient's) inside the block."""
    chosen = supported(locale) or DEFAULT_LOCALE
    token = _override.set(chosen)
    try:
        yield chosen
    finally:
        _override.reset(token)


def negotiate(accept_language: str | None) -> str | None:
    """The supported locale an `Accept-Language` header asks for first (by quality, then
    order; `zh-TW` or `zh` reads zh-CN, `en-US` en), or None when absent, malformed or only
    unsupported languages: the caller falls back. At most 20 entries are read."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((accept_language or "").split(",")[:20]):
        tag, *parameters = (part.strip() for part in item.split(";"))
        if not re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*|\*", tag):
            continue
        quality = 1.0
        for parameter in parameters:
            if _QUALITY.match(parameter.replace(" ", "").lower()):
                quality = float(parameter.split("=")[1])
        if quality > 0 and tag != "*":
            ranked.append((-quality, position, tag))
    for _quality, _position, tag in sorted(ranked):
        language = tag.split("-")[0].lower()
        match = supported(tag) or next(
            (ours for ours in SUPPORTED_LOCALES if ours.split("-")[0].lower() == language), None
        )
        if match:
            return match
    return None


def begin_request(accept_language: str | None) -> tuple[Preference, Token[Preference | None]]:
    """The request's preference from its `Accept-Language`, current until `end_request`
    (`RequestContextMiddleware` calls both and answers with `Content-Language`)."""
    preference = Preference(negotiate(accept_language))
    return preference, _preference.set(preference)


def end_request(token: Token[Preference | None]) -> None:
    _preference.reset(token)


def _format_locale(locale: str | None) -> str:
    return _FORMAT_LOCALES[supported(locale) or current_locale()]


def format_date(value: date, locale: str | None = None) -> str:
    """`2026年12月6日` / `6 Dec 2026`."""
    return dates.format_date(value, "medium", locale=_format_locale(locale))


_DATETIME_PATTERNS = {"zh-CN": "y年M月d日 HH:mm", "en": "d MMM y, HH:mm"}


def format_datetime(value: datetime, timezone: str | tzinfo, locale: str | None = None) -> str:
    """A moment in the organization's time zone to the minute: `2026年12月1日 18:00` /
    `1 Dec 2026, 18:00`."""
    zone = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    chosen = supported(locale) or current_locale()
    return dates.format_datetime(
        value, _DATETIME_PATTERNS[chosen], tzinfo=zone, locale=_FORMAT_LOCALES[chosen]
    )


def format_number(value: int | float | Decimal, locale: str | None = None) -> str:
    return numbers.format_decimal(value, locale=_format_locale(locale))


def format_currency(
    value: int | float | Decimal, currency: str = "CNY", locale: str | None = None
) -> str:
    """`¥1,200.00` in both languages (the yuan's own sign, not `CN¥`)."""
    return numbers.format_currency(
        value, currency, locale=_format_locale(locale), currency_digits=True
    ).replace("CN¥", "¥")


def _rendered(value: Any) -> Any:
    return value.render() if isinstance(value, Text) else value


Rendered = Annotated[str, BeforeValidator(_rendered)]
"""A response field that takes a `Text` and holds it rendered in the current locale (its
schema stays a plain string)."""
