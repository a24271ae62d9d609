"""The README and docs/ point at what exists: every local link resolves, every command is listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from hrcore.cli import app
from hrcore.settings import PROJECT_ROOT

DOCUMENTS = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_local_link_resolves(document: Path) -> None:
    targets = [target for target in LINK.findall(document.read_text()) if "://" not in target]
    missing = [target for target in targets if not (document.parent / target).exists()]
    assert missing == []


def test_readme_lists_every_command() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    commands = typer.main.get_group(app).commands
    assert "create-org" in commands
    assert [name for name in commands if f"`{name}" not in readme] == []
