"""Exams 「理论测试」 over HTTP: HR's question bank, attempts dealt without answers and
shuffled, scoring against the pass mark with the enrolment's best score and first pass, the
attempts allowed, and every refusal with its problem."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.conftest import recorded_statements
from tests.factories import make_employee, make_org, make_tree, make_user
from tests.problems import assert_problem
from tests.training.exam_helpers import (
    ALL_RIGHT,
    API,
    QUESTIONS,
    Exam,
    answers_to,
    enrolment_now,
    make_exam,
    post,
)
from tests.training.factory import make_course, make_enrolment


async def _start(client: AsyncClient, exam: Exam) -> Any:
    return await client.post(
        f"{API}/courses/{exam.course.id}/exam-attempts", headers=exam.examinee.headers
    )


async def _submit(client: AsyncClient, exam: Exam, attempt_id: str, given: dict[int, Any]) -> Any:
    return await client.post(
        f"{API}/exam-attempts/{attempt_id}/submit",
        json=answers_to(exam, given),
        headers=exam.examinee.headers,
    )


async def test_hr_writes_the_bank_and_only_hr_reads_it(
    client: AsyncClient, runtime: Runtime
) -> None:
    exam = await make_exam(runtime, client)
    path = f"{API}/courses/{exam.course.id}/questions"
    listed = await client.get(path, headers=exam.hr.headers)
    assert listed.status_code == 200, listed.text
    assert [(q["kind"], q["answer"], q["points"]) for q in listed.json()["items"]] == [
        ("single_choice", [1], 2),
        ("multiple_choice", [0, 2], 1),
        ("true_false", False, 1),
    ]
    assert_problem(await client.get(path, headers=exam.examinee.headers), 403)
    assert_problem(await client.post(path, json=QUESTIONS[0], headers=exam.examinee.headers), 403)

    single = exam.questions[0]
    one = f"{path}/{single['id']}"
    changed = await client.patch(
        one, json={"answer": [2], "points": 3, "version": 1}, headers=exam.hr.headers
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["answer"], changed.json()["points"], changed.json()["version"]) == (
        [2],
        3,
        2,
    )
    assert_problem(
        await client.patch(one, json={"points": 4, "version": 1}, headers=exam.hr.headers), 409
    )
    assert_problem(
        await client.patch(one, json={"kind": "true_false"}, headers=exam.hr.headers),
        422,
        fields={"body.options"},
    )
    assert_problem(
        await client.patch(one, json={"answer": [0, 1]}, headers=exam.hr.headers),
        422,
        fields={"body.answer"},
    )
    assert_problem(
        await client.patch(one, json={"text": None}, headers=exam.hr.headers),
        422,
        fields={"body.text"},
    )

    other = await make_course(runtime, exam.org_id)
    elsewhere = f"{API}/courses/{other.id}/questions/{single['id']}"
    assert_problem(await client.patch(elsewhere, json={"points": 2}, headers=exam.hr.headers), 404)
    assert_problem(await client.delete(elsewhere, headers=exam.hr.headers), 404)

    deleted = await client.delete(one, headers=exam.hr.headers)
    assert deleted.status_code == 204, deleted.text
    assert_problem(await client.delete(one, headers=exam.hr.headers), 404)
    listed = await client.get(path, headers=exam.hr.headers)
    assert [q["kind"] for q in listed.json()["items"]] == ["multiple_choice", "true_false"]


async def test_questions_that_do_not_fit_their_kind_are_refused(
    client: AsyncClient, runtime: Runtime
) -> None:
    exam = await make_exam(runtime, client)
    path = f"{API}/courses/{exam.course.id}/questions"
    bad = [
        {**QUESTIONS[0], "answer": [0, 1]},
        {**QUESTIONS[0], "answer": [5]},
        {**QUESTIONS[0], "answer": True},
        {**QUESTIONS[0], "options": ["Only one"]},
        {**QUESTIONS[0], "options": ["Same", "Same"]},
        {**QUESTIONS[1], "answer": []},
        {**QUESTIONS[2], "options": ["True", "False"]},
        {**QUESTIONS[2], "answer": [0]},
        {**QUESTIONS[2], "points": 0},
        {**QUESTIONS[2], "kind": "essay"},
    ]
    for body in bad:
        assert_problem(await client.post(path, json=body, headers=exam.hr.headers), 422)
    listed = await client.get(path, headers=exam.hr.headers)
    assert len(listed.json()["items"]) == len(QUESTIONS), "nothing written"


async def test_an_attempt_deals_the_bank_without_answers_and_resumes_while_open(
    client: AsyncClient, runtime: Runtime
) -> None:
    exam = await make_exam(runtime, client)
    started = await _start(client, exam)
    assert started.status_code == 201, started.text
    attempt = started.json()
    assert (attempt["number"], attempt["attempts_allowed"], attempt["pass_mark"]) == (1, 3, 60)
    assert attempt["course"] == {"id": str(exam.course.id), "name": "Negotiation"}
    assert sorted(q["id"] for q in attempt["questions"]) == sorted(q["id"] for q in exam.questions)
    assert all("answer" not in question for question in attempt["questions"])

    again = await _start(client, exam)
    assert again.status_code == 200, again.text
    assert again.json() == attempt, "the open attempt, dealt again in the same order"


async def test_scores_keep_the_best_and_the_first_pass_up_to_the_attempts_allowed(
    client: AsyncClient, runtime: Runtime
) -> None:
    exam = await make_exam(runtime, client)
    first = (await _start(client, exam)).json()
    failed = await _submit(client, exam, first["id"], {0: [1], 1: [0]})
    assert failed.status_code == 200, failed.text
    result = failed.json()
    assert (result["score"], result["passed"], result["best_score"]) == (50.0, False, 50.0)
    verdicts = {q["id"]: (q["given"], q["correct"]) for q in result["questions"]}
    assert verdicts == {
        exam.questions[0]["id"]: ([1], True),
        exam.questions[1]["id"]: ([0], False),
        exam.questions[2]["id"]: (None, False),
    }
    assert all("answer" not in question for question in result["questions"])
    enrolment = await enrolment_now(runtime, exam)
    assert (float(enrolment.exam_score or 0), enrolment.passed_at) == (50.0, None)
    assert_problem(await _submit(client, exam, first["id"], ALL_RIGHT), 409)

    second = (await _start(client, exam)).json()
    assert second["number"] == 2
    passed = (await _submit(client, exam, second["id"], ALL_RIGHT)).json()
    assert (passed["score"], passed["passed"], passed["best_score"]) == (100.0, True, 100.0)
    enrolment = await enrolment_now(runtime, exam)
    assert float(enrolment.exam_score or 0) == 100.0
    first_pass = enrolment.passed_at
    assert first_pass is not None

    third = (await _start(client, exam)).json()
    worse = (await _submit(client, exam, third["id"], {2: False})).json()
    assert (worse["score"], worse["passed"], worse["best_score"]) == (25.0, False, 100.0)
    enrolment = await enrolment_now(runtime, exam)
    assert (float(enrolment.exam_score or 0), enrolment.passed_at) == (100.0, first_pass)
    assert_problem(await _start(client, exam), 409, detail="attempt")

    mine = await client.get(f"{API}/me/exam-attempts", headers=exam.examinee.headers)
    assert mine.status_code == 200, mine.text
    assert [(a["number"], a["status"], a["score"], a["passed"]) for a in mine.json()["items"]] == [
        (3, "submitted", 25.0, False),
        (2, "submitted", 100.0, True),
        (1, "submitted", 50.0, False),
    ]


async def test_answers_that_do_not_fit_the_attempt_are_refused(
    client: AsyncClient, runtime: Runtime
) -> None:
    exam = await make_exam(runtime, client)
    attempt = (await _start(client, exam)).json()
    url = f"{API}/exam-attempts/{attempt['id']}/submit"
    stranger = {"question_id": str(exam.course.id), "answer": True}
    twice = answers_to(exam, {2: True})["answers"] * 2
    shapes = answers_to(exam, {0: [0, 1], 1: True, 2: [0]})
    for body, fields in (
        ({"answers": [stranger]}, {"body.answers.0.question_id"}),
        ({"answers": twice}, {"body.answers.1.question_id"}),
        (shapes, {"body.answers.0.answer", "body.answers.1.answer", "body.answers.2.answer"}),
    ):
        response = await client.post(url, json=body, headers=exam.examinee.headers)
        assert_problem(response, 422, fields=fields)
    mine = await client.get(f"{API}/me/exam-attempts", headers=exam.examinee.headers)
    assert [a["status"] for a in mine.json()["items"]] == ["open"], "nothing scored"


async def test_who_may_not_take_or_submit_an_exam(client: AsyncClient, runtime: Runtime) -> None:
    exam = await make_exam(runtime, client)
    tree = await make_tree(runtime, exam.org_id)
    colleague = await make_employee(runtime, exam.org_id, tree.sales, "Han Meimei")
    colleague_account = await make_user(
        runtime, exam.org_id, Role.EMPLOYEE, employee_id=colleague.id
    )
    start = f"{API}/courses/{exam.course.id}/exam-attempts"
    assert_problem(await client.post(start, headers=colleague_account.headers), 404)
    assert_problem(await client.post(start, headers=exam.hr.headers), 404, detail="employee")
    await make_enrolment(runtime, exam.org_id, exam.course, colleague.id, status="waitlisted")
    assert_problem(
        await client.post(start, headers=colleague_account.headers), 404, detail="not enrolled"
    )

    attempt = (await _start(client, exam)).json()
    submit = f"{API}/exam-attempts/{attempt['id']}/submit"
    body = answers_to(exam, ALL_RIGHT)
    assert_problem(await client.post(submit, json=body, headers=colleague_account.headers), 404)

    outsider = await make_org(runtime)
    outsider_tree = await make_tree(runtime, outsider.org_id)
    stranger = await make_employee(runtime, outsider.org_id, outsider_tree.sales, "Stranger")
    stranger_account = await make_user(
        runtime, outsider.org_id, Role.EMPLOYEE, employee_id=stranger.id
    )
    assert_problem(await client.post(start, headers=stranger_account.headers), 404)
    assert_problem(await client.post(submit, json=body, headers=stranger_account.headers), 404)
    questions = f"{API}/courses/{exam.course.id}/questions"
    assert_problem(await client.get(questions, headers=outsider.headers), 404)
    assert_problem(await client.post(questions, json=QUESTIONS[2], headers=outsider.headers), 404)


async def test_a_course_without_a_pass_mark_or_questions_has_no_exam(
    client: AsyncClient, runtime: Runtime
) -> None:
    exam = await make_exam(runtime, client, pass_mark=None)
    assert_problem(await _start(client, exam), 409, detail="no exam")
    empty = await make_course(runtime, exam.org_id, pass_mark=80)
    await make_enrolment(runtime, exam.org_id, empty, exam.employee.id)
    response = await client.post(
        f"{API}/courses/{empty.id}/exam-attempts", headers=exam.examinee.headers
    )
    assert_problem(response, 409, detail="no exam")


async def test_my_attempts_take_the_same_statements_however_many(
    client: AsyncClient, runtime: Runtime
) -> None:
    exam = await make_exam(runtime, client)
    url = f"{API}/me/exam-attempts?limit=2"

    async def listed() -> tuple[int, dict[str, Any]]:
        with recorded_statements(runtime) as statements:
            response = await client.get(url, headers=exam.examinee.headers)
        assert response.status_code == 200, response.text
        return len(statements), response.json()

    few, page = await listed()
    assert page["items"] == []
    for _ in range(3):
        attempt = await post(client, exam.examinee, f"/courses/{exam.course.id}/exam-attempts")
        await post(client, exam.examinee, f"/exam-attempts/{attempt['id']}/submit", {"answers": []})
    many, page = await listed()
    assert many == few
    assert [a["number"] for a in page["items"]] == [3, 2]
    response = await client.get(
        f"{url}&cursor={page['next_cursor']}", headers=exam.examinee.headers
    )
    assert [a["number"] for a in response.json()["items"]] == [1]
    assert response.json()["next_cursor"] is None
    forged = await client.get(f"{url}&cursor=bm9wZQ", headers=exam.examinee.headers)
    assert_problem(forged, 400)


async def test_the_bank_takes_the_same_statements_however_many_questions(
    client: AsyncClient, runtime: Runtime
) -> None:
    exam = await make_exam(runtime, client)
    fresh = await make_course(runtime, exam.org_id)
    url = f"{API}/courses/{fresh.id}/questions?limit=2"

    async def listed() -> tuple[int, dict[str, Any]]:
        with recorded_statements(runtime) as statements:
            response = await client.get(url, headers=exam.hr.headers)
        assert response.status_code == 200, response.text
        return len(statements), response.json()

    few, page = await listed()
    assert page["items"] == []
    for question in QUESTIONS:
        await post(client, exam.hr, f"/courses/{fresh.id}/questions", question)
    many, page = await listed()
    assert many == few
    assert [q["kind"] for q in page["items"]] == ["single_choice", "multiple_choice"]
    rest = await client.get(f"{url}&cursor={page['next_cursor']}", headers=exam.hr.headers)
    assert [q["kind"] for q in rest.json()["items"]] == ["true_false"]


@pytest.mark.commits
async def test_concurrent_starts_make_one_attempt_and_concurrent_submits_score_once(
    client: AsyncClient, runtime: Runtime
) -> None:
    exam = await make_exam(runtime, client)
    started = await asyncio.gather(*(_start(client, exam) for _ in range(4)))
    assert sorted(response.status_code for response in started) == [200, 200, 200, 201]
    assert len({response.json()["id"] for response in started}) == 1
    attempt_id = started[0].json()["id"]
    submitted = await asyncio.gather(
        *(_submit(client, exam, attempt_id, ALL_RIGHT) for _ in range(3))
    )
    assert sorted(response.status_code for response in submitted) == [200, 409, 409]
    mine = await client.get(f"{API}/me/exam-attempts", headers=exam.examinee.headers)
    assert [(a["number"], a["score"]) for a in mine.json()["items"]] == [(1, 100.0)]
