"""Time an own-data export (issue 25) of a person with five years of history: the worker's
whole job — gather the profile and every declared section, lay out the PDF, store both files.

    .venv/bin/python bench/privacy_export.py \
        --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_myrights_test

The database must be migrated. Everything runs in one transaction that is rolled back at the
end (the person, their history and the export leave nothing behind); the files go to a
temporary directory. The history: 20 employment events, 10 half-year ratings, 1,000 tasks,
20 goals of 3 key results, 60 check-ins, 2 consents and 5 privacy requests over five years.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore import domains
from hrcore.core.clock import Clock
from hrcore.core.db import set_tenant
from hrcore.core.models import new_id
from hrcore.core.runtime import Runtime
from hrcore.identity import service as identity
from hrcore.identity.models import User
from hrcore.org.models import Department
from hrcore.people.models import Employee, EmploymentEvent, PerformanceRating
from hrcore.performance.check_in_models import CheckIn
from hrcore.performance.goals_models import Goal, GoalKeyResult
from hrcore.privacy import exports
from hrcore.privacy.consent_models import Consent, ConsentText
from hrcore.privacy.exports_models import DataExport
from hrcore.privacy.requests_models import PrivacyRequest
from hrcore.settings import Settings
from hrcore.workflow import api as workflow

START = date(2021, 12, 1)
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


async def _history(session: AsyncSession, clock: Clock) -> DataExport:
    """A person hired five years ago with everything the sections read; their export."""
    slug = f"privacy-bench-{new_id().hex[:8]}"
    org, admin, _ = await identity.create_organization(
        session, slug=slug, name="Privacy bench", admin_email=f"hr@{slug}.example"
    )
    await set_tenant(session, org.id)
    department = Department(org_id=org.id, name="销售部", code="S", parent_id=None, path="")
    department.path = f"/{department.id}/"
    session.add(department)
    await session.flush()
    manager = Employee(
        org_id=org.id,
        employee_number="E00000",
        full_name="李娜",
        department_id=department.id,
        manager_path="/",
        hire_date=START,
        status="active",
    )
    session.add(manager)
    await session.flush()
    person = Employee(
        org_id=org.id,
        employee_number="E00001",
        full_name="张伟",
        email="zhang.wei@example.com",
        phone="+86 138 0000 0000",
        department_id=department.id,
        manager_path="/",
        hire_date=START,
        status="active",
    )
    session.add(person)
    await session.flush()
    user = User(
        org_id=org.id,
        email="zhang.wei@example.com",
        display_name="张伟",
        roles=["employee"],
        employee_id=person.id,
    )
    session.add(user)
    await session.flush()
    for n in range(20):
        day = START + timedelta(days=90 * n)
        session.add(
            EmploymentEvent(
                org_id=org.id,
                employee_id=person.id,
                kind="transfer",
                effective_date=day,
                department_id=department.id,
                note=f"第 {n + 1} 次调动",
                applied_at=datetime(day.year, day.month, day.day, tzinfo=UTC),
            )
        )
    for n in range(10):
        year, half = 2022 + n // 2, n % 2 + 1
        session.add(
            PerformanceRating(
                org_id=org.id,
                employee_id=person.id,
                period=f"{year}-H{half}",
                letter="B",
                score=Decimal("3.50"),
                comment="稳定",
            )
        )
    for n in range(20):
        goal = Goal(
            org_id=org.id,
            level="person",
            employee_id=person.id,
            title=f"目标 {n + 1}",
            description="提升客户满意度",
            period=f"{2022 + n // 4}-Q{n % 4 + 1}",
            status="active",
            created_by=admin.id,
        )
        session.add(goal)
        await session.flush()
        for k in range(3):
            session.add(
                GoalKeyResult(
                    org_id=org.id,
                    goal_id=goal.id,
                    position=k,
                    title=f"关键结果 {k + 1}",
                    unit="%",
                    start=0.0,
                    target=100.0,
                    weight=1.0,
                )
            )
    for n in range(60):
        session.add(
            CheckIn(
                org_id=org.id,
                manager_id=manager.id,
                report_id=person.id,
                scheduled_at=NOW - timedelta(days=30 * n),
                status="held",
                agenda=["进展", "困难"],
                shared_notes="按计划推进",
                created_by=admin.id,
            )
        )
    text = ConsentText(
        org_id=org.id,
        purpose="sensitive_data",
        text_version=1,
        title_zh="敏感个人信息处理同意书",
        title_en="Sensitive data consent",
        body_zh="正文",
        body_en="Body",
        published_at=NOW - timedelta(days=400),
    )
    session.add(text)
    await session.flush()
    for n in range(2):
        session.add(
            Consent(
                org_id=org.id,
                employee_id=person.id,
                text_id=text.id,
                purpose=text.purpose,
                given_at=NOW - timedelta(days=300 - 100 * n),
                withdrawn_at=NOW - timedelta(days=250) if n == 0 else None,
            )
        )
    for n in range(5):
        session.add(
            PrivacyRequest(
                org_id=org.id,
                employee_id=person.id,
                requested_by=user.id,
                kind="correct",
                message="请更正我的电话号码",
                status="done",
                due_on=date(2026, 1, 1) + timedelta(days=30 * n),
            )
        )
    await workflow.create_tasks(
        session,
        org_id=org.id,
        tasks=[
            workflow.NewTask(
                subject_type="employee",
                subject_id=person.id,
                kind="workflow.report",
                assignee_employee_id=person.id,
                title=f"提交第 {n + 1} 周周报",
                due=START + timedelta(days=(n * 1826) // 1000),
            )
            for n in range(1000)
        ],
    )
    export = DataExport(
        org_id=org.id,
        employee_id=person.id,
        requested_by=user.id,
        locale="zh-CN",
        status="pending",
        requested_at=clock.now(),
    )
    session.add(export)
    await session.flush()
    return export


async def main(database_url: str) -> None:
    domains.install()
    with tempfile.TemporaryDirectory(prefix="hrcore-privacy-bench-") as scratch:
        settings = Settings(
            database_url=database_url,
            redis_url=os.environ.get("HRCORE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
            log_json=False,
            storage_dir=Path(scratch),
        )
        runtime = Runtime.open(settings, application_name="bench-privacy-export")
        try:
            async with runtime.sessionmaker() as session, session.begin():
                export = await _history(session, runtime.clock)
                started = time.perf_counter()
                status = await exports.build(
                    session, export.org_id, export.id, settings, runtime.clock
                )
                wall = time.perf_counter() - started
                sizes = (export.json_size, export.pdf_size, export.sections)
                await session.rollback()
        finally:
            await runtime.close()
    print(
        f"export {status}: {wall:.2f} s wall, JSON {sizes[0]:,} bytes, PDF {sizes[1]:,} bytes, "
        f"{sizes[2]} sections (load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url))
