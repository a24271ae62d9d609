"""5,000 employees check in to one session through the app, all at once (issue 24: under
2 s, exactly 5,000 attendance awards).

    .venv/bin/python bench/training_checkins.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench_checkins

The database must be migrated (`HRCORE_DATABASE_URL=… hrcore migrate`). The script adds an
organization (`checkins-<random>`) with `--people` employees, each with an account, enrolled
in one session starting in an hour, its point rules in place (as after its first award);
serves hrcore (`hrcore serve`), takes the session's code as HR (`GET …/qr?format=json`, again
whenever it is to be refreshed) and posts every employee's check-in with the employee's own
bearer token over `--connections` keep-alive connections (fewer than the server's database
pool). It prints the total time and check-ins/s and stops unless every answer is 200 and the
ledger holds exactly one attendance award per employee. The organization stays (the ledger
refuses deletes); drop the database afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
from run_limit import BIN, REDIS, _settings
from sqlalchemy import text

from hrcore.core import security
from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.identity import service as identity
from hrcore.identity.models import User
from hrcore.org.models import Department
from hrcore.people.models import Employee
from hrcore.training import ledger
from hrcore.training.models import Course, CourseSession, Enrolment

API = "/api/v1"


async def _classroom(runtime: Runtime, people: int) -> tuple[str, str, list[dict[str, str]]]:
    """The session's id, HR's headers and each enrolled employee's headers."""
    slug = f"checkins-{uuid.uuid4().hex[:8]}"
    now = datetime.now(UTC)
    async with unit_of_work(runtime.sessionmaker) as session:
        org, admin, _ = await identity.create_organization(
            session, slug=slug, name=slug, admin_email=f"hr@{slug}.example", locale="zh-CN"
        )
        admin.must_change_password = False
    org_id = org.id
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        department = Department(org_id=org_id, name="Sales", code="S", path="")
        department.path = f"/{department.id}/"
        employees = [
            Employee(
                org_id=org_id,
                employee_number=f"C{number:06d}",
                full_name=f"Learner {number}",
                department_id=department.id,
                manager_path="/",
                hire_date=now.date(),
                status="active",
            )
            for number in range(people)
        ]
        users = [
            User(
                org_id=org_id,
                email=f"learner{number}@{slug}.example",
                display_name=employee.full_name,
                roles=[Role.EMPLOYEE.value],
                employee_id=employee.id,
            )
            for number, employee in enumerate(employees)
        ]
        course = Course(
            org_id=org_id,
            name="Negotiation",
            mode="offline",
            hours=Decimal("3.0"),
            competency_ids=[],
            modules=[],
            completion_threshold=100,
        )
        starts_at = now + timedelta(hours=1)
        course_session = CourseSession(
            org_id=org_id,
            course_id=course.id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            capacity=people,
            late_grace_minutes=10,
            status="scheduled",
        )
        enrolments = [
            Enrolment(
                org_id=org_id,
                course_id=course.id,
                session_id=course_session.id,
                employee_id=employee.id,
                status="enrolled",
                source="hr",
                completed_modules=[],
            )
            for employee in employees
        ]
        session.add(department)
        session.add_all(employees)
        await session.flush()
        session.add_all([*users, course])
        await session.flush()
        session.add(course_session)
        await session.flush()
        session.add_all(enrolments)
        await ledger.ensure_rules(session, org_id)

    def headers(user_id: uuid.UUID) -> dict[str, str]:
        token, _ = security.issue_access_token(
            runtime.settings, user_id=user_id, org_id=org_id, now=now, version=0
        )
        return {"Authorization": f"Bearer {token}"}

    return str(course_session.id), headers(admin.id), [headers(user.id) for user in users]


async def _awards(runtime: Runtime, session_id: str) -> int:
    async with runtime.engine.begin() as connection:
        await connection.execute(text("SET LOCAL ROLE NONE"))
        found = await connection.scalar(
            text(
                "SELECT count(*) FROM points_ledger l JOIN point_rules r ON r.id = l.rule_id"
                " JOIN training_enrolments e ON e.id = l.source_id"
                " WHERE r.code = 'attendance' AND e.session_id = :session"
            ),
            {"session": uuid.UUID(session_id)},
        )
    return int(found or 0)


async def _check_in_all(
    port: int, session_id: str, hr: dict[str, str], learners: list[dict[str, str]], connections: int
) -> tuple[float, list[int]]:
    base = f"http://127.0.0.1:{port}{API}/course-sessions/{session_id}"
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        code: dict[str, str | float] = {}

        async def current_token() -> str:
            if not code or time.time() >= float(code["refresh_at"]):
                shown = await client.get(f"{base}/qr", params={"format": "json"}, headers=hr)
                shown.raise_for_status()
                body = shown.json()
                code["token"] = body["token"]
                code["refresh_at"] = datetime.fromisoformat(body["refresh_at"]).timestamp()
            return str(code["token"])

        await current_token()
        queue: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        for headers in learners:
            queue.put_nowait(headers)
        statuses: list[int] = []

        async def check_in(headers: dict[str, str]) -> int:
            """A connection the server closed as it was reused is tried again: a second
            check-in answers the first one's result."""
            failures = 0
            while True:
                try:
                    answer = await client.post(
                        f"{base}/check-in", json={"token": await current_token()}, headers=headers
                    )
                    return answer.status_code
                except httpx.TransportError:
                    failures += 1
                    if failures == 3:
                        raise
                    retried.append(1)

        retried: list[int] = []

        async def worker() -> None:
            while not queue.empty():
                statuses.append(await check_in(queue.get_nowait()))

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        if retried:
            print(f"{len(retried)} requests tried again after a closed connection")
        return time.perf_counter() - started, statuses


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.5)
    raise SystemExit(f"nothing answers on port {port}")


async def _prepare(
    database_url: str, people: int
) -> tuple[str, dict[str, str], list[dict[str, str]]]:
    runtime = Runtime.open(_settings(database_url), application_name="hrcore-bench")
    try:
        return await _classroom(runtime, people)
    finally:
        await runtime.close()


async def _count(database_url: str, session_id: str) -> int:
    runtime = Runtime.open(_settings(database_url), application_name="hrcore-bench")
    try:
        return await _awards(runtime, session_id)
    finally:
        await runtime.close()


def main(database_url: str, people: int, connections: int, port: int) -> None:
    session_id, hr, learners = asyncio.run(_prepare(database_url, people))
    env = {**os.environ, "HRCORE_DATABASE_URL": database_url, "HRCORE_REDIS_URL": REDIS}
    env["HRCORE_LOG_LEVEL"] = "WARNING"
    server = subprocess.Popen([BIN / "hrcore", "serve", "--port", str(port)], env=env)
    try:
        _wait_ready(port)
        seconds, statuses = asyncio.run(_check_in_all(port, session_id, hr, learners, connections))
    finally:
        server.terminate()
        server.wait()
    awards = asyncio.run(_count(database_url, session_id))
    print(f"{people} check-ins over {connections} connections: {seconds:.2f} s")
    print(f"{people / seconds:.0f} check-ins/s; attendance awards: {awards}")
    refused = [status for status in statuses if status != 200]
    if refused or awards != people:
        raise SystemExit(f"{len(refused)} answers were not 200; {awards} awards for {people}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--connections", type=int, default=12)
    parser.add_argument("--port", type=int, default=8741)
    arguments = parser.parse_args()
    main(arguments.database_url, arguments.people, arguments.connections, arguments.port)
