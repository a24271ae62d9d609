"""Pydantic's validation messages in the reader's language.

Pydantic writes English only; each error carries a stable `type` and its context values, so
the message is rebuilt from the catalogs by type (the English msgid is Pydantic's own text, so
English readers see exactly what Pydantic says). A type not listed here keeps Pydantic's text
inside a translated frame. The field path is never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hrcore.core.i18n import Text, _, _n

_Builder = Callable[[Mapping[str, Any]], Text]


def _plain(text: Text) -> _Builder:
    return lambda ctx: text


_BY_TYPE: dict[str, _Builder] = {
    "missing": _plain(_("Field required")),
    "extra_forbidden": _plain(_("Extra inputs are not permitted")),
    "string_type": _plain(_("Input should be a valid string")),
    "string_too_short": lambda ctx: _n(
        "String should have at least {count} character",
        "String should have at least {count} characters",
        ctx["min_length"],
    ),
    "string_too_long": lambda ctx: _n(
        "String should have at most {count} character",
        "String should have at most {count} characters",
        ctx["max_length"],
    ),
    "string_pattern_mismatch": lambda ctx: _(
        "String should match pattern '{pattern}'", pattern=ctx["pattern"]
    ),
    "too_short": lambda ctx: _n(
        "{field_type} should have at least {count} item after validation, not {actual_length}",
        "{field_type} should have at least {count} items after validation, not {actual_length}",
        ctx["min_length"],
        field_type=ctx.get("field_type", ""),
        actual_length=ctx.get("actual_length", ""),
    ),
    "too_long": lambda ctx: _n(
        "{field_type} should have at most {count} item after validation, not {actual_length}",
        "{field_type} should have at most {count} items after validation, not {actual_length}",
        ctx["max_length"],
        field_type=ctx.get("field_type", ""),
        actual_length=ctx.get("actual_length", ""),
    ),
    "int_type": _plain(_("Input should be a valid integer")),
    "int_parsing": _plain(
        _("Input should be a valid integer, unable to parse string as an integer")
    ),
    "int_from_float": _plain(
        _("Input should be a valid integer, got a number with a fractional part")
    ),
    "float_type": _plain(_("Input should be a valid number")),
    "float_parsing": _plain(
        _("Input should be a valid number, unable to parse string as a number")
    ),
    "finite_number": _plain(_("Input should be a finite number")),
    "decimal_parsing": _plain(_("Input should be a valid decimal")),
    "bool_type": _plain(_("Input should be a valid boolean")),
    "bool_parsing": _plain(_("Input should be a valid boolean, unable to interpret input")),
    "greater_than": lambda ctx: _("Input should be greater than {gt}", gt=ctx["gt"]),
    "greater_than_equal": lambda ctx: _(
        "Input should be greater than or equal to {ge}", ge=ctx["ge"]
    ),
    "less_than": lambda ctx: _("Input should be less than {lt}", lt=ctx["lt"]),
    "less_than_equal": lambda ctx: _("Input should be less than or equal to {le}", le=ctx["le"]),
    "multiple_of": lambda ctx: _(
        "Input should be a multiple of {multiple_of}", multiple_of=ctx["multiple_of"]
    ),
    "enum": lambda ctx: _("Input should be {expected}", expected=ctx["expected"]),
    "literal_error": lambda ctx: _("Input should be {expected}", expected=ctx["expected"]),
    "uuid_type": _plain(_("UUID input should be a string, bytes or UUID object")),
    "uuid_parsing": lambda ctx: _(
        "Input should be a valid UUID, {error}", error=ctx.get("error", "")
    ),
    "date_type": _plain(_("Input should be a valid date")),
    "date_parsing": lambda ctx: _(
        "Input should be a valid date in the format YYYY-MM-DD, {error}",
        error=ctx.get("error", ""),
    ),
    "date_from_datetime_parsing": lambda ctx: _(
        "Input should be a valid date or datetime, {error}", error=ctx.get("error", "")
    ),
    "date_from_datetime_inexact": _plain(
        _("Datetimes provided to dates should have zero time - e.g. be exact dates")
    ),
    "datetime_type": _plain(_("Input should be a valid datetime")),
    "datetime_parsing": lambda ctx: _(
        "Input should be a valid datetime, {error}", error=ctx.get("error", "")
    ),
    "datetime_from_date_parsing": lambda ctx: _(
        "Input should be a valid datetime or date, {error}", error=ctx.get("error", "")
    ),
    "timezone_aware": _plain(_("Input should have timezone info")),
    "timezone_naive": _plain(_("Input should not have timezone info")),
    "list_type": _plain(_("Input should be a valid list")),
    "dict_type": _plain(_("Input should be a valid dictionary")),
    "model_attributes_type": _plain(
        _("Input should be a valid dictionary or object to extract fields from")
    ),
    "model_type": lambda ctx: _(
        "Input should be a valid dictionary or instance of {class_name}",
        class_name=ctx.get("class_name", ""),
    ),
    "url_parsing": lambda ctx: _(
        "Input should be a valid URL, {error}", error=ctx.get("error", "")
    ),
    "url_scheme": lambda ctx: _(
        "URL scheme should be {expected_schemes}", expected_schemes=ctx.get("expected_schemes", "")
    ),
    "value_error": lambda ctx: _("Value error, {error}", error=_reason(ctx.get("error"))),
    "assertion_error": lambda ctx: _("Assertion failed, {error}", error=_reason(ctx.get("error"))),
    "union_tag_invalid": lambda ctx: _(
        "Input tag '{tag}' found using {discriminator} does not match any of the expected tags: "
        "{expected_tags}",
        tag=ctx.get("tag", ""),
        discriminator=ctx.get("discriminator", ""),
        expected_tags=ctx.get("expected_tags", ""),
    ),
    "union_tag_not_found": lambda ctx: _(
        "Unable to extract tag using discriminator {discriminator}",
        discriminator=ctx.get("discriminator", ""),
    ),
}


def _reason(error: Any) -> Any:
    """A validator's own message: a `Text` it raised, else its English string."""
    if isinstance(error, BaseException) and error.args:
        return error.args[0]
    return error if error is not None else ""


def translated_message(error: Mapping[str, Any]) -> Text:
    """The message of one Pydantic error (`RequestValidationError.errors()` item)."""
    builder = _BY_TYPE.get(str(error.get("type")))
    context = error.get("ctx") or {}
    if builder is not None:
        try:
            return builder(context)
        except (KeyError, TypeError):
            pass
    return _("Invalid value: {reason}", reason=str(error.get("msg", "")))
