"""The catalogs keep up with the code, and every message reads in both languages.

`make test` runs this: a message used in code but missing from either catalog, an empty or
fuzzy entry, or a translation that drops or invents a placeholder fails here (run
`make messages` and translate what is new).
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from hrcore.core import i18n
from hrcore.core.errors import PROBLEM_TYPES
from hrcore.core.i18n import Text, _, _n

SOURCE = Path(i18n.__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "_n": (1, 2)}
HAN = re.compile(r"[\u4e00-\u9fff]")
NOT_WORDS = {
    "Value error, {error}",
    "{problem} (starts_on)",
    "{problem} (`from`)",
    "{kind} · {starts} – {due} · {status}",
    "{program}: {stage}",
    ", ",
    "; ",
    "{program}: {stage} — {employee}",
    "{name}: {before} → {after}",
}
"""Messages whose Chinese is only their placeholders (a validator's own message)."""


def _used_in_code() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for _filename, _line, message, _comments, _context in extract_from_dir(
        str(SOURCE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def _catalog(locale: str) -> dict[str | tuple[str, str], list[str]]:
    path = i18n.LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalog = read_po(po)
    entries: dict[str | tuple[str, str], list[str]] = {}
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, f"fuzzy entry in {locale}: {message.id!r}"
        key = message.id if isinstance(message.id, str) else (message.id[0], message.id[1])
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        entries[key] = strings
    return entries


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_every_message_in_code_is_translated(locale: str) -> None:
    used = _used_in_code()
    catalog = _catalog(locale)
    missing = sorted(map(str, used - catalog.keys()))
    assert not missing, f"not in {locale} (run `make messages`): {missing}"
    empty = sorted(str(key) for key in used if not all(catalog[key]))
    assert not empty, f"empty in {locale}: {empty}"
    for key in used:
        source = key if isinstance(key, str) else key[1]
        for translated in catalog[key]:
            assert _placeholders(translated) <= _placeholders(source), (locale, key, translated)


def test_the_english_catalog_is_the_code() -> None:
    for key, strings in _catalog("en").items():
        expected = [key] if isinstance(key, str) else list(key)
        assert strings == expected, key


def test_every_problem_type_reads_in_both_languages() -> None:
    for kind in PROBLEM_TYPES:
        assert i18n.translate(kind.title, "en") == kind.title
        chinese = i18n.translate(kind.title, "zh-CN")
        assert HAN.search(chinese), (kind.slug, chinese)


def test_every_message_renders_in_both_languages() -> None:
    """Every message, the notification and task texts among them, renders with its
    placeholders filled: a translation that breaks `str.format` fails here, not in a job."""
    for key in _used_in_code():
        for locale in i18n.SUPPORTED_LOCALES:
            if isinstance(key, str):
                params = dict.fromkeys(_placeholders(key), "X")
                rendered = Text(key, params=params).render(locale)
            else:
                params = dict.fromkeys(_placeholders(key[1]) - {"count"}, "X")
                rendered = _n(key[0], key[1], 2, **params).render(locale)
            assert rendered.strip(), (key, locale)
            if locale == "zh-CN" and key not in NOT_WORDS:
                assert HAN.search(rendered), (key, rendered)


def test_plurals_follow_each_language() -> None:
    one = _n("Overdue {count} day: {title}", "Overdue {count} days: {title}", 1, title="A")
    many = _n("Overdue {count} day: {title}", "Overdue {count} days: {title}", 3, title="A")
    assert (one.render("en"), many.render("en")) == ("Overdue 1 day: A", "Overdue 3 days: A")
    assert many.render("zh-CN") == "已逾期 3 天：A"


def test_dates_and_money_follow_the_locale() -> None:
    from datetime import UTC, date, datetime

    assert i18n.format_date(date(2026, 12, 6), "zh-CN") == "2026年12月6日"
    assert i18n.format_date(date(2026, 12, 6), "en") == "6 Dec 2026"
    moment = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert i18n.format_datetime(moment, "Asia/Shanghai", "zh-CN") == "2026年12月1日 18:00"
    assert i18n.format_datetime(moment, "Asia/Shanghai", "en") == "1 Dec 2026, 18:00"
    assert i18n.format_currency(1200, locale="zh-CN") == "¥1,200.00"
    assert i18n.format_currency(1200, locale="en") == "¥1,200.00"
    assert i18n.format_number(1234567.5, "en") == "1,234,567.5"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("fr;q=1, zh;q=0.5", "zh-CN"),
        ("zh-TW", "zh-CN"),
        ("en;q=0.2, zh-CN;q=0.8", "zh-CN"),
        ("fr, de", None),
        ("*", None),
        ("en;q=0", None),
        ("", None),
        (";;;q=abc,,,", None),
        ("en;q=2", "en"),
        ("\u00ff\u00fe", None),
        ("x" * 5000, None),
    ],
)
def test_accept_language_is_negotiated_or_ignored(header: str, expected: str | None) -> None:
    assert i18n.negotiate(header) == expected


def test_a_recipient_locale_overrides_the_current_one() -> None:
    message = _("No such {what}", what=_("an employee"))
    with i18n.using("en"):
        assert str(message) == "No such an employee"
    with i18n.using("zh-CN"):
        assert str(message) == "一名员工不存在"
