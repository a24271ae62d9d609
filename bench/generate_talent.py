"""Talent pools, a vacancy and development programs in the 100,000-employee organization.

    .venv/bin/python bench/generate_talent.py --database-url postgresql://postgres@127.0.0.1/hrcore_bench

Run after bench/generate.py (and after bench/generate_reviews.py, which truncates every
review template and so would take this script's review cycle with it). Writes:

- a management position "Department head" and one open vacancy on it;
- the pool "Department head reserve" targeting that position, with 3 screening rules (top
  10 % by mean rating over 3 periods, the latest 2 ratings A, 5 years of tenure) and 200
  active members with readiness and 9-box placements (some placed twice), half of them with
  a published result of a small review cycle;
- the pool "Leadership pipeline" (target family "management") with 2,000 active members and
  a started 5-stage program run of all 2,000 (stages, their tasks in the tasks engine, a mix
  of completed, open, overdue, finished and withdrawn participants);
- a started 200-participant run of the reserve pool, so the vacancy ranking's program factor
  has data.

Idempotent: it deletes its own rows (by name) first. COPY as the schema owner, like the
other generators.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from hrcore.core.models import new_id
from hrcore.workflow.api import end_of_day

ZONE = ZoneInfo("Asia/Shanghai")
POSITION_CODE = "BENCH-HEAD"
RESERVE = "Department head reserve"
PIPELINE = "Leadership pipeline"
TEMPLATE = "Benchmark leadership program"
RUNS = {"Leadership program 2026": PIPELINE, "Reserve program 2026": RESERVE}
REVIEW_TEMPLATE = "Benchmark talent review form"
REVIEW_CYCLE = "Benchmark talent mid-year"
RULES = [
    {"kind": "performance_percentile", "scope": "organization", "periods": 3, "top_percent": 10},
    {"kind": "consecutive_top_ratings", "letter": "A", "count": 2},
    {"kind": "tenure", "min_years": 5},
]
STAGES: list[dict[str, Any]] = [
    {"key": "training", "name": "Leadership training", "kind": "training", "duration_days": 30},
    {"key": "plan", "name": "Development plan", "kind": "submission", "duration_days": 30},
    {
        "key": "evaluation",
        "name": "Supervisor evaluation",
        "kind": "evaluation",
        "duration_days": 21,
    },
    {"key": "project", "name": "Stretch assignment", "kind": "assignment", "duration_days": 60},
    {"key": "decision", "name": "Decision", "kind": "decision", "duration_days": 14},
]
SUPERVISOR_KINDS = ("evaluation", "decision")
POLICY = json.dumps(
    {
        "reminder": {"before_due_days": [3], "repeat_every_days": 2},
        "escalation": {"manager_after_days": 3, "hr_after_days": 7},
    }
)
STARTED_DAYS_AGO = 100
"""Day 100 of the program: on schedule, a participant is in the 4th stage (the assignment)."""
COMPLETED_STAGES = [(0, 1), (1, 3), (2, 12), (3, 70), (4, 10), (5, 3)]
"""(stages completed, weight %): 2 % of the participants more are withdrawn. Those with
fewer than 3 stages done are past their open stage's due time (overdue)."""
WITHDRAWN_SHARE = 0.02


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    department_id: uuid.UUID
    manager_id: uuid.UUID | None


def _stage_config(stage: dict[str, Any]) -> dict[str, Any]:
    """The stage as `StageIn.model_dump(mode="json")` stores it."""
    submission = {"min_text_length": 1, "min_links": 0, "min_attachments": 0}
    return {
        "key": stage["key"],
        "name": stage["name"],
        "kind": stage["kind"],
        "duration_days": stage["duration_days"],
        "description": None,
        "submission": submission if stage["kind"] == "submission" else None,
        "reminder_policy": None,
        "escalation_policy": None,
        "review_template_id": None,
    }


def _windows(starts_on: date) -> list[tuple[date, date]]:
    windows, start = [], starts_on
    for stage in STAGES:
        due = start + timedelta(days=stage["duration_days"] - 1)
        windows.append((start, due))
        start = due + timedelta(days=1)
    return windows


def _noon(day: date) -> datetime:
    return datetime.combine(day, clock_time(12), tzinfo=ZONE)


async def _clear(connection: asyncpg.Connection, org: uuid.UUID) -> None:
    """This script's rows, children first (program runs hold their pool with RESTRICT)."""
    runs = await connection.fetch(
        "SELECT id FROM program_runs WHERE org_id = $1 AND name = ANY($2::text[])", org, list(RUNS)
    )
    run_ids = [r["id"] for r in runs]
    await connection.execute(
        "DELETE FROM tasks WHERE id IN (SELECT t.task_id FROM program_stage_tasks t"
        " JOIN program_participant_stages s ON s.id = t.stage_id WHERE s.run_id = ANY($1::uuid[]))",
        run_ids,
    )
    await connection.execute("DELETE FROM program_runs WHERE id = ANY($1::uuid[])", run_ids)
    await connection.execute(
        "DELETE FROM program_templates WHERE org_id = $1 AND name = $2", org, TEMPLATE
    )
    await connection.execute(
        "DELETE FROM talent_pools WHERE org_id = $1 AND name = ANY($2::text[])",
        org,
        [RESERVE, PIPELINE],
    )
    await connection.execute(
        "DELETE FROM positions WHERE org_id = $1 AND code = $2", org, POSITION_CODE
    )
    await connection.execute(
        "DELETE FROM review_cycles WHERE org_id = $1 AND name = $2", org, REVIEW_CYCLE
    )
    await connection.execute(
        "DELETE FROM review_templates WHERE org_id = $1 AND name = $2", org, REVIEW_TEMPLATE
    )


async def generate(url: str, reserve: int, participants: int, seed: int) -> None:
    rng = random.Random(seed)
    connection = await asyncpg.connect(url)
    started = time.perf_counter()
    now = datetime.now(UTC)
    try:
        org = await connection.fetchval("SELECT id FROM organizations WHERE slug = 'bench'")
        rows = await connection.fetch(
            "SELECT id, department_id, manager_id FROM employees"
            " WHERE org_id = $1 AND status = 'active' AND manager_id IS NOT NULL ORDER BY id",
            org,
        )
        people = [Person(r["id"], r["department_id"], r["manager_id"]) for r in rows]
        chosen = rng.sample(people, reserve + participants)
        reserve_people, pipeline_people = chosen[:reserve], chosen[reserve:]
        async with connection.transaction():
            await _clear(connection, org)
            root = await connection.fetchval(
                "SELECT id FROM departments WHERE org_id = $1 AND parent_id IS NULL", org
            )
            position = await _position_and_vacancy(connection, org, root, now)
            reserve_pool = await _pool(connection, org, RESERVE, position, None, RULES)
            pipeline_pool = await _pool(connection, org, PIPELINE, None, "management", RULES[:1])
            reserve_members = await _members(
                connection, org, reserve_pool, reserve_people, now, rng
            )
            await _members(connection, org, pipeline_pool, pipeline_people, now, rng)
            await _nine_box(connection, org, reserve_members, now, rng)
            await _review_results(connection, org, reserve_people[: reserve // 2], now, rng)
            template = await _template(connection, org)
            tasks = 0
            for name, pool_name in RUNS.items():
                pool, group = (
                    (pipeline_pool, pipeline_people)
                    if pool_name == PIPELINE
                    else (reserve_pool, reserve_people)
                )
                tasks += await _run(connection, org, name, template, pool, group, now, rng)
        await connection.execute(
            "ANALYZE talent_pools; ANALYZE talent_pool_members; ANALYZE nine_box_placements;"
            " ANALYZE vacancies; ANALYZE review_results; ANALYZE program_runs;"
            " ANALYZE program_participants; ANALYZE program_participant_stages;"
            " ANALYZE program_stage_tasks; ANALYZE tasks"
        )
    finally:
        await connection.close()
    print(
        f"generated 2 pools ({reserve} + {participants} members), 1 vacancy, program runs of "
        f"{participants} and {reserve} participants with {tasks} tasks in "
        f"{time.perf_counter() - started:.1f}s"
    )


async def _position_and_vacancy(
    connection: asyncpg.Connection, org: uuid.UUID, department: uuid.UUID, now: datetime
) -> uuid.UUID:
    position = new_id()
    await connection.execute(
        "INSERT INTO positions (id, org_id, code, title, department_id, grade, is_management,"
        " description, description_revision, version)"
        " VALUES ($1, $2, $3, 'Department head', $4, 'M2', true, '{}', 0, 1)",
        position,
        org,
        POSITION_CODE,
        department,
    )
    await connection.execute(
        "INSERT INTO vacancies (id, org_id, position_id, department_id, status, reason, note,"
        " opened_at, version) VALUES ($1, $2, $3, $4, 'open', 'manual', 'Benchmark', $5, 1)",
        new_id(),
        org,
        position,
        department,
        now - timedelta(days=30),
    )
    return position


async def _pool(
    connection: asyncpg.Connection,
    org: uuid.UUID,
    name: str,
    position: uuid.UUID | None,
    family: str | None,
    rules: list[dict[str, Any]],
) -> uuid.UUID:
    pool = new_id()
    await connection.execute(
        "INSERT INTO talent_pools (id, org_id, name, target_position_id, target_family, rules,"
        " active, version) VALUES ($1, $2, $3, $4, $5, $6, true, 1)",
        pool,
        org,
        name,
        position,
        family,
        json.dumps(rules),
    )
    return pool


async def _members(
    connection: asyncpg.Connection,
    org: uuid.UUID,
    pool: uuid.UUID,
    people: list[Person],
    now: datetime,
    rng: random.Random,
) -> list[uuid.UUID]:
    readiness = ["ready_now"] * 3 + ["one_to_two_years"] * 4 + ["three_plus_years"] * 2 + [None]
    records, ids = [], []
    for person in people:
        ids.append(new_id())
        nominated = now - timedelta(days=rng.randint(60, 1000))
        activated = nominated + timedelta(days=rng.randint(1, 30))
        records.append(
            (
                ids[-1],
                org,
                pool,
                person.id,
                "active",
                rng.choice(readiness),
                "hr",
                "Benchmark nomination",
                nominated,
                activated,
                1,
            )
        )
    await connection.copy_records_to_table(
        "talent_pool_members",
        records=records,
        columns=[
            "id",
            "org_id",
            "pool_id",
            "employee_id",
            "status",
            "readiness",
            "source",
            "reason",
            "nominated_at",
            "activated_at",
            "version",
        ],
    )
    return ids


async def _nine_box(
    connection: asyncpg.Connection,
    org: uuid.UUID,
    members: list[uuid.UUID],
    now: datetime,
    rng: random.Random,
) -> None:
    """90 % placed, a third of them twice (the ranking reads the latest)."""
    levels = ["low", "medium", "medium", "high", "high"]
    records = []
    for member in members:
        if rng.random() < 0.1:
            continue
        for n in range(2 if rng.random() < 0.33 else 1):
            placed = now - timedelta(days=30 + 200 * n + rng.randint(0, 20))
            records.append(
                (
                    new_id(),
                    org,
                    member,
                    rng.choice(levels),
                    rng.choice(levels),
                    "Calibration",
                    placed,
                )
            )
    await connection.copy_records_to_table(
        "nine_box_placements",
        records=records,
        columns=["id", "org_id", "member_id", "performance", "potential", "reason", "placed_at"],
    )


async def _review_results(
    connection: asyncpg.Connection,
    org: uuid.UUID,
    people: list[Person],
    now: datetime,
    rng: random.Random,
) -> None:
    """A small aggregated cycle with a published result for each of these people."""
    indicators = [
        {
            "key": "b0",
            "name": "Leadership",
            "section": "Behaviour",
            "kind": "qualitative",
            "weight": 100,
            "scale": {"min": 1, "max": 5, "labels": {}},
        }
    ]
    template, cycle = new_id(), new_id()
    await connection.execute(
        "INSERT INTO review_templates (id, org_id, name, indicators, kind_weights,"
        " department_overrides, revision, version) VALUES ($1, $2, $3, $4, $5, '[]', 1, 1)",
        template,
        org,
        REVIEW_TEMPLATE,
        json.dumps(indicators),
        json.dumps({"qualitative": 100}),
    )
    form = {
        "indicators": indicators,
        "kind_weights": {"qualitative": 100},
        "department_overrides": [],
    }
    await connection.execute(
        "INSERT INTO review_cycles (id, org_id, name, kind, template_id, template_revision, form,"
        " relationship_weights, starts_on, due_on, status, opened_at, closed_at, version)"
        " VALUES ($1, $2, $3, 'mid_year', $4, 1, $5, $6, $7, $8, 'aggregated', $9, $10, 1)",
        cycle,
        org,
        REVIEW_CYCLE,
        template,
        json.dumps(form),
        json.dumps({"self": 0, "supervisor": 100, "peer": 0, "subordinate": 0}),
        (now - timedelta(days=120)).date(),
        (now - timedelta(days=100)).date(),
        now - timedelta(days=120),
        now - timedelta(days=99),
    )
    participants, results = [], []
    recommendations = ["promote", "continue_development", "continue_development", None]
    for person in people:
        participant = new_id()
        participants.append((participant, org, cycle, person.id, person.department_id))
        overall = Decimal(f"{rng.uniform(55, 98):.2f}")
        scores = json.dumps({"overall": float(overall)})
        published = now - timedelta(days=rng.randint(80, 95))
        recommendation = rng.choice(recommendations)
        results.append(
            (
                new_id(),
                org,
                cycle,
                participant,
                person.id,
                overall,
                scores,
                "{}",
                "[]",
                "published",
                published,
                recommendation,
                1,
            )
        )
    await connection.copy_records_to_table(
        "review_participants",
        records=participants,
        columns=["id", "org_id", "cycle_id", "employee_id", "department_id"],
    )
    await connection.copy_records_to_table(
        "review_results",
        records=results,
        columns=[
            "id",
            "org_id",
            "cycle_id",
            "participant_id",
            "employee_id",
            "overall",
            "scores",
            "comments",
            "adjustments",
            "status",
            "published_at",
            "recommendation",
            "version",
        ],
    )


async def _template(connection: asyncpg.Connection, org: uuid.UUID) -> uuid.UUID:
    template = new_id()
    await connection.execute(
        "INSERT INTO program_templates (id, org_id, name, stages, department_variants, revision,"
        " version) VALUES ($1, $2, $3, $4, '[]', 1, 1)",
        template,
        org,
        TEMPLATE,
        json.dumps([_stage_config(stage) for stage in STAGES]),
    )
    return template


def _completed_stages(rng: random.Random) -> int | None:
    """How many stages a participant has completed; None: withdrawn."""
    if rng.random() < WITHDRAWN_SHARE:
        return None
    counts, weights = zip(*COMPLETED_STAGES, strict=True)
    return rng.choices(counts, weights)[0]


async def _run(
    connection: asyncpg.Connection,
    org: uuid.UUID,
    name: str,
    template: uuid.UUID,
    pool: uuid.UUID,
    people: list[Person],
    now: datetime,
    rng: random.Random,
) -> int:
    """A running program: participants, their 5 stage rows and the stages' tasks."""
    run = new_id()
    starts_on = (now.astimezone(ZONE) - timedelta(days=STARTED_DAYS_AGO)).date()
    snapshot = {"stages": [_stage_config(s) for s in STAGES], "department_variants": []}
    await connection.execute(
        "INSERT INTO program_runs (id, org_id, name, template_id, pool_id, starts_on, status,"
        " template_revision, snapshot, started_at, version)"
        " VALUES ($1, $2, $3, $4, $5, $6, 'running', 1, $7, $8, 1)",
        run,
        org,
        name,
        template,
        pool,
        starts_on,
        json.dumps(snapshot),
        _noon(starts_on),
    )
    windows = _windows(starts_on)
    participants, stages, tasks, links = [], [], [], []
    for person in people:
        participant = new_id()
        done = _completed_stages(rng)
        withdrawn = done is None
        completed = done if done is not None else rng.randint(0, 3)
        finished = completed == len(STAGES)
        ended: datetime | None = None
        previous_end = _noon(starts_on)
        for position, (stage, (start, due)) in enumerate(zip(STAGES, windows, strict=True)):
            stage_id, due_at = new_id(), end_of_day(due, ZONE)
            opened = previous_end if position <= completed else None
            finished_at = None
            if position < completed:
                finished_at = _finished(rng, stage, due, previous_end, now)
                state = "completed"
            elif position == completed and not withdrawn:
                state = "open"
            elif position == completed:
                state, ended = (
                    "cancelled",
                    previous_end + (now - previous_end) * rng.uniform(0.3, 0.9),
                )
            else:
                state = "cancelled" if withdrawn else "pending"
            decision = None
            if state == "completed" and stage["kind"] == "decision":
                decision = json.dumps(
                    {
                        "outcome": "continue",
                        "reason": "Benchmark",
                        "readiness": None,
                        "decided_at": finished_at.isoformat() if finished_at else None,
                    }
                )
            stages.append(
                (
                    stage_id,
                    org,
                    run,
                    participant,
                    person.department_id,
                    position,
                    stage["key"],
                    stage["kind"],
                    stage["name"],
                    json.dumps(_stage_config(stage)),
                    start,
                    due,
                    due_at,
                    state,
                    opened,
                    finished_at,
                    finished_at <= due_at if finished_at else None,
                    decision,
                )
            )
            if state in ("completed", "open") or (withdrawn and position == completed):
                assignee = person.manager_id if stage["kind"] in SUPERVISOR_KINDS else person.id
                task_status = {"completed": "completed", "open": "open"}.get(state, "cancelled")
                task = _task(org, stage_id, stage, name, assignee, person, due_at)
                tasks.append(task + _task_state(task_status, finished_at, due_at, ended))
                links.append((new_id(), org, stage_id, task[0], task_status == "completed"))
            if finished_at is not None:
                previous_end = finished_at
        if finished:
            ended = previous_end
        status = "withdrawn" if withdrawn else "completed" if finished else "active"
        current = None if finished or withdrawn else completed
        participants.append(
            (
                participant,
                org,
                run,
                person.id,
                person.department_id,
                status,
                current,
                "left the company" if withdrawn else None,
                ended,
                1,
            )
        )
    await _copy_run(connection, participants, stages, tasks, links)
    return len(tasks)


def _finished(
    rng: random.Random, stage: dict[str, Any], due: date, previous: datetime, now: datetime
) -> datetime:
    """When a completed stage was completed: mostly on time, 15 % a few days late; a stage
    whose window has not ended yet was finished early, between the previous one and now."""
    if rng.random() < 0.15:
        at = end_of_day(due, ZONE) + timedelta(days=rng.randint(1, 5))
    else:
        at = _noon(due) - timedelta(days=rng.randint(0, stage["duration_days"] // 2))
    at = max(at, previous + timedelta(hours=1))
    if at >= now:
        at = previous + (now - previous) * rng.uniform(0.3, 0.9)
    return at


def _task(
    org: uuid.UUID,
    stage_id: uuid.UUID,
    stage: dict[str, Any],
    run_name: str,
    assignee: uuid.UUID | None,
    person: Person,
    due_at: datetime,
) -> tuple[object, ...]:
    # The supervisor's department is not looked up: the participant's stands in for it.
    return (
        new_id(),
        org,
        "program_stage",
        stage_id,
        f"program.{stage['kind']}",
        f"{run_name}: {stage['name']}"[:200],
        assignee or person.id,
        person.department_id,
        due_at,
        stage["kind"] in ("submission", "evaluation"),
        POLICY,
        1,
        1,
    )


def _task_state(
    status: str, completed_at: datetime | None, due_at: datetime, ended: datetime | None
) -> tuple[object, ...]:
    on_time = completed_at <= due_at if completed_at else None
    return (status, completed_at, on_time, ended if status == "cancelled" else None)


async def _copy_run(
    connection: asyncpg.Connection,
    participants: list[tuple[object, ...]],
    stages: list[tuple[object, ...]],
    tasks: list[tuple[object, ...]],
    links: list[tuple[object, ...]],
) -> None:
    await connection.copy_records_to_table(
        "program_participants",
        records=participants,
        columns=[
            "id",
            "org_id",
            "run_id",
            "employee_id",
            "department_id",
            "status",
            "current_position",
            "ended_reason",
            "ended_at",
            "version",
        ],
    )
    await connection.copy_records_to_table(
        "program_participant_stages",
        records=stages,
        columns=[
            "id",
            "org_id",
            "run_id",
            "participant_id",
            "department_id",
            "position",
            "key",
            "kind",
            "name",
            "config",
            "starts_on",
            "due_on",
            "due_at",
            "status",
            "opened_at",
            "completed_at",
            "on_time",
            "decision",
        ],
    )
    await connection.copy_records_to_table(
        "tasks",
        records=tasks,
        columns=[
            "id",
            "org_id",
            "subject_type",
            "subject_id",
            "kind",
            "title",
            "assignee_employee_id",
            "department_id",
            "due_at",
            "submission_required",
            "policy",
            "schedule",
            "version",
            "status",
            "completed_at",
            "on_time",
            "cancelled_at",
        ],
    )
    await connection.copy_records_to_table(
        "program_stage_tasks",
        records=links,
        columns=["id", "org_id", "stage_id", "task_id", "done"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--reserve", type=int, default=200, help="active reserve members")
    parser.add_argument("--participants", type=int, default=2_000, help="program participants")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    asyncio.run(generate(args.database_url, args.reserve, args.participants, args.seed))


if __name__ == "__main__":
    main()
