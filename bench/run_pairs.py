"""Compare `bench/run.py` between a base checkout and this one, in alternating pairs.

    git archive main | tar -x -C /tmp/base
    .venv/bin/python bench/run_pairs.py --base-src /tmp/base/src \
        --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench --pairs 5

Each pair runs `bench/run.py` once on the base's `src` and once on this checkout's (the order
flips every pair), on the same data, so a machine growing slower or faster weighs on both
sides alike. Prints, per scenario, every pair's medians and the median of the pairs' ratios
(this checkout / base): what a change costs the hot reads (masking: docs/performance.md,
"Privacy (issue 25)").
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LINE = re.compile(r"^(?P<name>.+?)\s+(?P<median>[0-9.]+)ms\s+(?P<p95>[0-9.]+)ms\s+(?P<sql>\d+)$")


def _run(src: Path, database_url: str, runs: int) -> dict[str, float]:
    """Medians by scenario of one `bench/run.py` run importing hrcore from `src`."""
    environment = {**os.environ, "PYTHONPATH": str(src)}
    output = subprocess.run(
        [sys.executable, str(HERE / "run.py"), "--database-url", database_url, "--runs", str(runs)],
        check=True,
        capture_output=True,
        text=True,
        env=environment,
    ).stdout
    found = {}
    for line in output.splitlines():
        match = LINE.match(line.strip())
        if match:
            found[match["name"].strip()] = float(match["median"])
    return found


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--base-src", type=Path, required=True, help="the base checkout's src")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--runs", type=int, default=100)
    arguments = parser.parse_args()
    here = HERE.parent / "src"
    pairs: list[tuple[dict[str, float], dict[str, float]]] = []
    for number in range(arguments.pairs):
        order = [arguments.base_src, here] if number % 2 == 0 else [here, arguments.base_src]
        measured = {src: _run(src, arguments.database_url, arguments.runs) for src in order}
        pairs.append((measured[arguments.base_src], measured[here]))
    print(f"{'scenario':<72} {'base ms':>24} {'this ms':>24} {'ratio':>6}")
    for name in pairs[0][0]:
        base = [pair[0][name] for pair in pairs]
        this = [pair[1][name] for pair in pairs]
        ratio = statistics.median(t / b for b, t in zip(base, this, strict=True))
        print(
            f"{name:<72} {' '.join(f'{value:.1f}' for value in base):>24} "
            f"{' '.join(f'{value:.1f}' for value in this):>24} {ratio:>6.3f}"
        )


if __name__ == "__main__":
    cli()
