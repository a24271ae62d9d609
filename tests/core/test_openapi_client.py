"""A Python client generates from the OpenAPI document with every operation and no warning."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hrcore.main import create_app

# PDFs are bytes to a client; `post_hooks: []` keeps the generator from formatting its output.
CONFIG = "content_type_overrides:\n  application/pdf: application/octet-stream\npost_hooks: []\n"


@pytest.mark.slow
def test_openapi_python_client_generates_every_operation_without_warnings(tmp_path: Path) -> None:
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(create_app().openapi()))
    config = tmp_path / "config.yml"
    config.write_text(CONFIG)
    generator = Path(sys.executable).parent / "openapi-python-client"
    run = subprocess.run(
        [
            generator,
            "generate",
            "--path",
            document,
            "--output-path",
            tmp_path / "client",
            "--meta",
            "none",
            "--config",
            config,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "warning" not in output.lower(), output
