"""Peak memory of a streamed spreadsheet export (issue #26: a 100,000-row XLSX export
streamed with flat memory), through core.spreadsheets' writer as the drill-down download and
the worker use it: batches of 1,000 rows of the drill-down's shape (a Chinese name, a
department, a step label, a breakdown, a day, a value, a reason sentence), written and read
back a chunk at a time, the bytes counted and dropped as a response body's are.

    .venv/bin/python bench/export_xlsx.py --rows 100000 --format xlsx

Prints the rows, the file's size, the time, the resident memory before writing, its peak
(the process's high-water mark) and its samples along the way. Run each size in its own
process: the high-water mark never goes down."""

from __future__ import annotations

import argparse
import asyncio
import resource
import time
from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hrcore.core.spreadsheets import SheetFormat, stream

BATCH = 1_000
HEADER = ["员工", "部门", "环节", "维度", "日期", "数值", "原因"]


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def _rows(total: int, samples: list[int]) -> AsyncIterator[list[list[Any]]]:
    start = date(2026, 1, 1)
    for first in range(0, total, BATCH):
        yield [
            [
                f"员工{n:06d} Employee {n}",
                f"销售{n % 40}部",
                "逾期完成",
                "program_stage",
                start + timedelta(days=n % 365),
                Decimal(n % 100) / 4,
                f"任务「第{n}号培训」于 2026年3月{n % 28 + 1}日截止，于截止之后完成",
            ]
            for n in range(first, min(first + BATCH, total))
        ]
        if (first // BATCH) % 10 == 0:
            samples.append(_rss_kib())


async def main(total: int, form: SheetFormat) -> None:
    before = _rss_kib()
    samples: list[int] = []
    size = 0
    began = time.perf_counter()
    async for chunk in stream(form, "people", HEADER, _rows(total, samples)):
        size += len(chunk)
    elapsed = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{form.value} rows={total} size={size / 1e6:.1f} MB time={elapsed:.1f} s "
        f"rss_before={before / 1024:.0f} MiB peak={peak / 1024:.0f} MiB "
        f"samples(MiB)={[round(kib / 1024) for kib in samples]}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=[form.value for form in SheetFormat], default="xlsx")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rows, SheetFormat(arguments.format)))
