"""The OpenAPI document generates clean clients: plain names, summaries, declared headers."""

from __future__ import annotations

import re

from hrcore.main import create_app

PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*_?")


def test_schema_names_carry_no_module_path() -> None:
    names = create_app().openapi()["components"]["schemas"].keys()
    leaked = [
        name for name in names if "__" in name or "hrcore" in name or not PLAIN_NAME.fullmatch(name)
    ]
    assert leaked == []


def test_every_operation_has_a_summary_and_an_id() -> None:
    for path, operations in create_app().openapi()["paths"].items():
        for method, operation in operations.items():
            assert operation.get("operationId"), f"{method} {path}"
            summary = operation.get("summary", "")
            # FastAPI's fallback is the handler's name in title case: a route that says nothing
            generated = operation["operationId"].replace("_", " ").title()
            assert summary not in ("", generated), f"{method} {path}"


def test_every_operation_has_a_description() -> None:
    """A client's developer reads who may call it and what it does (the route's docstring)."""
    bare = [
        f"{method.upper()} {path}"
        for path, operations in create_app().openapi()["paths"].items()
        for method, operation in operations.items()
        if len(operation.get("description", "").strip()) < 40
    ]
    assert bare == [], "give these routes a docstring"


def test_every_post_declares_the_idempotency_key_it_honours() -> None:
    for path, operations in create_app().openapi()["paths"].items():
        for method, operation in operations.items():
            headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            assert ("Idempotency-Key" in headers) == (method == "post"), f"{method} {path}"


def test_every_success_with_a_body_declares_it() -> None:
    for path, operations in create_app().openapi()["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith("2") and status != "204":
                    assert response.get("content"), f"{method} {path} {status}"
