"""The `hrcore` command: every subcommand documents itself; openapi is reproducible."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from hrcore.cli import OPENAPI_PATH, app
from hrcore.main import create_app

runner = CliRunner()


@pytest.mark.parametrize(
    "command",
    [
        "dev",
        "serve",
        "worker",
        "migrate",
        "create-org",
        "seed",
        "openapi",
        "competencies recompute-all",
    ],
)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_committed_openapi_matches_the_app() -> None:
    assert json.loads(OPENAPI_PATH.read_text()) == create_app().openapi()


def test_every_operation_is_documented() -> None:
    document = create_app().openapi()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("operationId"), f"{method} {path} has no operationId"
            assert operation.get("summary"), f"{method} {path} has no summary"


def test_readme_documents_every_setting() -> None:
    from hrcore.settings import PROJECT_ROOT, Settings

    readme = (PROJECT_ROOT / "README.md").read_text()
    missing = [name for name in Settings.model_fields if f"`HRCORE_{name.upper()}`" not in readme]
    assert missing == []
