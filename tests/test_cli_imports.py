"""`hrcore --help` imports no application: each command imports what it runs when it runs."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("fastapi", "sqlalchemy", "asyncpg", "arq", "hrcore.main", "hrcore.domains")

PROBE = """
import json, sys
from hrcore.cli import app
try:
    app(["--help"])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def test_help_imports_neither_the_app_nor_the_models_nor_the_database() -> None:
    # A fresh interpreter: this test process has imported everything already.
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    assert "create-org" in result.stdout
    modules = json.loads(result.stderr.strip().splitlines()[-1])
    loaded = [
        name
        for name in modules
        if name.startswith(HEAVY) or (name.startswith("hrcore.") and name.endswith(".models"))
    ]
    assert loaded == []
