"""An organization with a course, its exam's bank and an enrolled examinee, for the exam
tests and the programs' training stage."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from httpx import AsyncClient
from sqlalchemy import select

from hrcore.core.authz import Role
from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from hrcore.training.models import Course, Enrolment
from tests.factories import Account, make_employee, make_org, make_tree, make_user
from tests.training.factory import make_course, make_enrolment

API = "/api/v1"
QUESTIONS = [
    {
        "kind": "single_choice",
        "text": "Which opening anchors a negotiation?",
        "options": ["Silence", "The first offer", "A concession"],
        "answer": [1],
        "points": 2,
    },
    {
        "kind": "multiple_choice",
        "text": "What belongs to a BATNA?",
        "options": ["Walk-away point", "Favourite colour", "Alternative supplier"],
        "answer": [0, 2],
    },
    {"kind": "true_false", "text": "Concede early to build trust.", "answer": False},
]
ALL_RIGHT = {0: [1], 1: [2, 0], 2: False}
"""The right answer to each of QUESTIONS by index (a multiple choice in any order)."""


@dataclass(frozen=True)
class Exam:
    org_id: uuid.UUID
    hr: Account
    course: Course
    employee: Employee
    examinee: Account
    enrolment: Enrolment
    questions: list[dict[str, Any]]


async def post(client: AsyncClient, account: Account, path: str, body: Any = None) -> Any:
    response = await client.post(f"{API}{path}", json=body, headers=account.headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def make_exam(
    runtime: Runtime, client: AsyncClient, *, pass_mark: int | None = 60, **course: Any
) -> Exam:
    """An organization's course with the three QUESTIONS and an enrolled employee."""
    hr = await make_org(runtime)
    tree = await make_tree(runtime, hr.org_id)
    employee = await make_employee(runtime, hr.org_id, tree.sales, "Li Lei")
    examinee = await make_user(runtime, hr.org_id, Role.EMPLOYEE, employee_id=employee.id)
    row = await make_course(runtime, hr.org_id, name="Negotiation", pass_mark=pass_mark, **course)
    enrolment = await make_enrolment(runtime, hr.org_id, row, employee.id, status="completed")
    questions = [
        await post(client, hr, f"/courses/{row.id}/questions", question) for question in QUESTIONS
    ]
    return Exam(hr.org_id, hr, row, employee, examinee, enrolment, questions)


def answers_to(exam: Exam, given: dict[int, Any]) -> dict[str, Any]:
    """A submission answering QUESTIONS by index."""
    return {
        "answers": [
            {"question_id": exam.questions[index]["id"], "answer": answer}
            for index, answer in given.items()
        ]
    }


async def enrolment_now(runtime: Runtime, exam: Exam) -> Enrolment:
    async with tenant_transaction(runtime.sessionmaker, exam.org_id) as session:
        row = await session.scalar(select(Enrolment).where(Enrolment.id == exam.enrolment.id))
    assert row is not None
    return row
