"""Template rendering rules, directly: strict values, a sandbox that also caps allocation."""

from __future__ import annotations

import pytest

from hrcore.contracts.documents import GenerationFailed, render_text, validate_template
from hrcore.core.errors import Unprocessable


@pytest.mark.parametrize(
    "body",
    [
        "{{ organization.missing }}",
        "{{ 'x' * 1000000 }}",
        "{{ [1] * 10 ** 9 }}",
        "{{ 2 ** 100000 }}",
        "{{ organization.__class__.__mro__ }}",
        "{% for i in range(10) %}{{ 'y' * 20000 }}{% endfor %}",
    ],
)
def test_unsafe_or_failing_templates_fail_generation(body: str) -> None:
    validate_template(body)  # only names are checked at save time
    with pytest.raises(GenerationFailed):
        render_text(body, {"organization": {"name": "甲"}})


def test_templates_render_with_the_allowed_names() -> None:
    body = "{{ organization.name }}: {{ 'ab' * 3 }} {{ 2 ** 10 }}"
    assert render_text(body, {"organization": {"name": "甲"}}) == "甲: ababab 1024"
    with pytest.raises(Unprocessable):
        validate_template("{{ self }}{{ config }}")
