"""The demo's turnover 「离职」: four people hired in the last year — three of them gone
again, each with an exit reason (pay, development, personal) — so `/analytics/retention`
shows new hires' turnover against the rest and turnover by reason after the worker's first
refresh. Written after every other part of the demo, which therefore never meets them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.people.models import Employee, EmploymentEvent
from hrcore.seed.company import SECTIONS, Company

NEWCOMERS = [  # name, section, position, hired days ago, left days ago, exit reason, note
    ("吴新宇 Wu Xinyu", "SALES-E", "SALES-REP", 330, 120, "pay", "另一家公司薪酬高 30%"),
    ("郑晓彤 Zheng Xiaotong", "SALES-N", "SALES-REP", 280, 60, "development", None),
    ("冯子涵 Feng Zihan", "PROD-A", "PROD-OP", 250, 40, "personal", "随家人迁居"),
    ("陈思远 Chen Siyuan", "RD-A", "ENG", 150, None, None, None),
]


async def add_exits(session: AsyncSession, company: Company, clock: Clock) -> None:
    today = clock.now().date()
    for number, (name, section, position, hired_ago, left_ago, reason, note) in enumerate(
        NEWCOMERS, start=1
    ):
        hired = today - timedelta(days=hired_ago)
        chief = _chief(company, section)
        employee = Employee(
            org_id=company.org_id,
            employee_number=f"N{number:04d}",
            full_name=name,
            email=f"n{number:04d}@demo.example",
            department_id=company.departments[section].id,
            position_id=company.positions[position].id,
            manager_id=chief.id,
            manager_path=chief.reports_prefix,
            hire_date=hired,
            status="active" if left_ago is None else "exited",
        )
        session.add(employee)
        await session.flush()
        moves: list[tuple[str, date, str | None, str | None]] = [("hire", hired, None, None)]
        if left_ago is not None:
            moves.append(("exit", today - timedelta(days=left_ago), reason, note))
        for kind, day, exit_reason, exit_note in moves:
            session.add(
                EmploymentEvent(
                    org_id=company.org_id,
                    employee_id=employee.id,
                    kind=kind,
                    effective_date=day,
                    department_id=employee.department_id if kind == "hire" else None,
                    position_id=employee.position_id if kind == "hire" else None,
                    applied_at=datetime.combine(day, time(9), tzinfo=UTC),
                    exit_reason=exit_reason,
                    exit_reason_note=exit_note,
                )
            )
    await session.flush()


def _chief(company: Company, section: str) -> Employee:
    """The section's chief (the staff's manager), as `company.add_people` made them."""
    chief_code = SECTIONS[section][0]
    return next(
        person
        for person in company.employees
        if person.department_id == company.departments[section].id
        and person.position_id == company.positions[chief_code].id
    )
