"""The OpenAPI document describes every error as the handlers send it (core/responses.py)."""

from __future__ import annotations

from hrcore.core.errors import PROBLEM_JSON
from hrcore.main import create_app

PROBLEM = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def test_every_error_response_is_a_problem_under_its_media_type() -> None:
    document = create_app().openapi()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status[0] in "45":
                    assert response["content"] == PROBLEM, f"{method} {path} {status}"
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_the_statuses_the_plumbing_gives_are_documented_where_they_apply() -> None:
    paths = create_app().openapi()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            statuses = operation["responses"].keys()
            assert {"400", "500"} <= statuses, f"{method} {path}"
            if operation.get("security"):
                assert {"401", "403", "503"} <= statuses, f"{method} {path}"
            if "{" in path:
                assert {"404", "422"} <= statuses, f"{method} {path}"
    update = paths["/api/v1/review-templates/{template_id}"]["patch"]["responses"]
    assert {"409", "412", "413", "415"} <= update.keys()
    assert "412" not in paths["/api/v1/review-templates"]["get"]["responses"]


def test_an_operation_s_own_description_wins_over_the_common_one() -> None:
    paths = create_app().openapi()["paths"]
    complete = paths["/api/v1/tasks/{task_id}/complete"]["post"]["responses"]
    assert complete["409"]["description"] == "The task is not open"
    assert "429" in paths["/api/v1/auth/token"]["post"]["responses"]
