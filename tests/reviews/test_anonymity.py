"""Try to break 360 anonymity from outside: a participant with a supervisor answer and one or
two peer answers (threshold 3), read through every path that shows review data.

The strongest check runs the same scenario twice, in two organizations, with different peer
answers and everything else identical: if no reader but the raw-answer auditor sees a
different body (ids and times normalised), nothing they see — nor any combination of it
with the public weights — can give a peer's answer away. Direct checks follow for what an
identical body cannot show: who rates whom (tasks, escalations, webhooks)."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from hrcore.workflow import api as workflow
from tests.factories import Account, make_department, make_employee, make_org, make_user
from tests.reviews.conftest import API, FORM, START, answer_as, post_ok

SUPERVISOR = {"sales": {"actual": 80}, "teamwork": {"score": 4}, "leadership": {"score": 5}}
"""Shown as 80, 75 and 100: what every figure must be made of, peers answering or not."""
WEIGHTS = {"self": 0, "supervisor": 50, "peer": 30, "subordinate": 20}
HARSH = {"teamwork": {"score": 1}, "leadership": {"score": 2}}
KIND = {"teamwork": {"score": 5}, "leadership": {"score": 4}}
LATE = datetime(2026, 12, 29, 2, 0, tzinfo=UTC)
"""Past the manager's (3 days) and HR's (7 days) escalation of a task due 2026-12-20."""
UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")
"""Ids, and request ids (the same, without hyphens)."""
EMAIL = re.compile(r"[\w.+-]+@[\w.-]+")
"""Test accounts are numbered: two runs cannot share addresses."""
ACCOUNT = re.compile(r"\buser\d+\b")
"""A numbered test account's display name (its address's local part), as audit events name
their actor."""
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?")


@pytest.fixture
async def frozen(runtime: Runtime, cheap_passwords: None) -> AsyncIterator[FrozenClock]:
    """A settable clock, cheap passwords and webhooks that fail fast on a closed local port,
    once: retried, they would fail on beside the aggregation job and, ten failures on, disable
    the subscription, an audit event whose place in the log depends on timing, not answers."""
    clock, original, settings = FrozenClock(START), runtime.clock, runtime.settings
    runtime.clock = clock
    runtime.settings = settings.model_copy(
        update={"webhook_allow_private_targets": True, "webhook_max_attempts": 1}
    )
    try:
        yield clock
    finally:
        runtime.clock, runtime.settings = original, settings


@dataclass
class Run:
    """What one scenario let each reader see, and the handles the direct checks need."""

    seen: dict[str, Any]
    results: list[Any]
    peer_task_ids: list[str]
    readers: dict[str, dict[str, str]]
    auditor: Account
    raters: list[Account]
    org_name: str


async def _get(client: AsyncClient, headers: dict[str, str], path: str) -> Any:
    response = await client.get(f"{API}{path}", headers=headers)
    assert response.status_code == 200, (path, response.text)
    return response.json()


async def _scenario(
    client: AsyncClient,
    runtime: Runtime,
    peer_answers: list[dict[str, Any]],
    supervisor: dict[str, Any] = SUPERVISOR,
) -> Run:
    """Lead is rated by Boss (supervisor), themself and two peers, of whom
    `len(peer_answers)` answer; then the cycle is escalated, closed, aggregated, published."""
    clock = FrozenClock(START)
    runtime.clock = clock
    hr = await make_org(runtime)
    org = hr.org_id
    sales = await make_department(runtime, org, "Sales")
    boss = await make_employee(runtime, org, sales, "Boss")
    lead = await make_employee(runtime, org, sales, "Lead", manager=boss)
    peers = [await make_employee(runtime, org, sales, f"Peer {n}", manager=boss) for n in (1, 2)]
    boss_account = await make_user(runtime, org, employee_id=boss.id)
    lead_account = await make_user(runtime, org, employee_id=lead.id)
    peer_accounts = [await make_user(runtime, org, employee_id=p.id) for p in peers]
    head = await make_user(runtime, org, Role.DEPT_HEAD, department_scope_id=sales.id)
    auditor = await make_user(runtime, org, Role.HR_ADMIN, Role.REVIEW_AUDITOR)
    key = await post_ok(client, hr, "/api-keys", {"name": "CRM", "scopes": ["org:read"]})
    hook = await post_ok(
        client,
        hr,
        "/webhooks",
        {"url": "https://127.0.0.1:9/hook", "event_types": ["task.completed", "task.overdue"]},
    )
    template = await post_ok(client, hr, "/review-templates", FORM)
    cycle = await post_ok(
        client,
        hr,
        "/review-cycles",
        {
            "name": "2026 year-end",
            "kind": "year_end",
            "template_id": template["id"],
            "starts_on": "2026-12-01",
            "due_on": "2026-12-20",
            "relationship_weights": WEIGHTS,
        },
    )
    path = f"/review-cycles/{cycle['id']}"
    await post_ok(client, hr, f"{path}/participants", {"employee_ids": [str(lead.id)]})
    await post_ok(client, hr, f"{path}/open")

    await answer_as(client, boss_account, "Lead", supervisor, "Delivers.")
    await answer_as(client, lead_account, "Lead", {"teamwork": {"score": 5}})
    for account, answers in zip(peer_accounts, peer_answers, strict=False):
        await answer_as(client, account, "Lead", answers, f"Peer says {answers}")
    peer_task_ids = [
        task["id"]
        for account in peer_accounts
        for task in (await _get(client, account.headers, "/me/tasks"))["items"]
    ]
    clock.advance(LATE - START)
    await workflow.sweep(runtime.sessionmaker, clock)
    await post_ok(client, hr, f"{path}/close")
    await run_burst(runtime)
    results = (await _get(client, hr.headers, f"{path}/results"))["items"]
    [result] = results
    pending = {
        f"lead before publication {p}": await _get(client, lead_account.headers, p)
        for p in ("/me/review-results", f"/review-results/{result['id']}")
    }
    await post_ok(client, hr, f"/review-results/{result['id']}/publish")

    readers = {
        "hr": hr.headers,
        "boss": boss_account.headers,
        "head": head.headers,
        "key": {"Authorization": f"Bearer {key['key']}"},
    }
    reads = {
        "hr": [
            f"{path}/results",
            f"/review-results/{result['id']}",
            f"{path}/progress",
            "/tasks?limit=200",
            "/me/notifications",
            f"/webhooks/{hook['id']}/deliveries",
            "/audit-events?limit=200",
        ],
        "boss": [f"/review-results/{result['id']}", "/tasks?limit=200", "/me/notifications"],
        "head": [
            f"{path}/results",
            f"/review-results/{result['id']}",
            f"{path}/progress",
            "/tasks?limit=200",
        ],
        "key": ["/tasks?limit=200"],
        "lead": ["/me/review-results", "/me/notifications", "/me/tasks"],
    }
    readers_all = {**readers, "lead": lead_account.headers}
    seen = {
        f"{who} {UUID.sub('<id>', p)}": await _get(client, readers_all[who], p)
        for who, paths in reads.items()
        for p in paths
    }
    seen.update({UUID.sub("<id>", k): v for k, v in pending.items()})
    org_name = hr.email.split("@")[1].split(".")[0].title()
    return Run(seen, results, peer_task_ids, readers, auditor, peer_accounts, org_name)


def _normalised(value: Any, org_name: str = "") -> Any:
    """Ids by order of first appearance, every timestamp, address, account name and the
    organization's name alike: what stays is what a reader could tell two runs apart by."""
    names: dict[str, str] = {}

    def walk(item: Any) -> Any:
        if isinstance(item, dict):
            return {k: walk(v) for k, v in item.items()}
        if isinstance(item, list):
            return [walk(v) for v in item]
        if isinstance(item, str):
            item = UUID.sub(lambda m: names.setdefault(m.group(), f"<id{len(names)}>"), item)
            item = EMAIL.sub("<email>", TIME.sub("<time>", item))
            item = ACCOUNT.sub("<account>", item)
            return re.sub(re.escape(org_name), "<org>", item, flags=re.I) if org_name else item
        return item

    return walk(value)


def _first_difference(left: Any, right: Any, where: str = "") -> str | None:
    if isinstance(left, dict) and isinstance(right, dict) and left.keys() == right.keys():
        found = (_first_difference(left[k], right[k], f"{where}.{k}") for k in left)
        return next((f for f in found if f), None)
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        found = (
            _first_difference(a, b, f"{where}[{n}]")
            for n, (a, b) in enumerate(zip(left, right, strict=True))
        )
        return next((f for f in found if f), None)
    return None if left == right else f"{where}: {left!r} != {right!r}"


def _assert_same(one: Run, other: Run) -> None:
    left, right = _normalised(one.seen, one.org_name), _normalised(other.seen, other.org_name)
    assert left.keys() == right.keys()
    for read in left:
        difference = _first_difference(left[read], right[read])
        assert difference is None, f"{read} depends on the peers' answers: {difference}"


def _assert_supervisor_only(run: Run, peer_answers: list[dict[str, Any]]) -> None:
    """Finding 1's arithmetic: peer = (score × (w_sup + w_peer) − w_sup × sup) / w_peer must
    give back the supervisor's figure, never a peer's answer."""
    [result] = run.results
    indicators = {i["key"]: i for i in result["indicators"]}
    supervisor = {"sales": 80.0, "teamwork": 75.0, "leadership": 100.0}
    assert {k: i["score"] for k, i in indicators.items()} == supervisor
    assert {k: i["raters"] for k, i in indicators.items()} == dict.fromkeys(supervisor, 1)
    assert result["raters"] == 1
    assert result["overall"] == pytest.approx((80 * 60 + 75 * 24 + 100 * 16) / 100)
    assert result["withheld_groups"] == ["peer", "subordinate"]
    assert result["comments"] == ["Delivers."]
    sup, peer = WEIGHTS["supervisor"], WEIGHTS["peer"]
    for key in ("teamwork", "leadership"):
        derived = (indicators[key]["score"] * (sup + peer) - sup * supervisor[key]) / peer
        given = [(a[key]["score"] - 1) / 4 * 100 for a in peer_answers]
        assert all(derived != pytest.approx(value) for value in given), key
        assert derived != pytest.approx(sum(given) / len(given)), key


async def _assert_rater_tasks_hidden(client: AsyncClient, run: Run) -> None:
    """Who rates whom: the peers' tasks exist for the rater and HR auditors only."""
    for who, headers in run.readers.items():
        listed = (await _get(client, headers, "/tasks?limit=200"))["items"]
        assert not {t["id"] for t in listed} & set(run.peer_task_ids), who
        assert "(peer)" not in str(listed), who
        for task_id in run.peer_task_ids:
            single = await client.get(f"{API}/tasks/{task_id}", headers=headers)
            assert single.status_code == 404, (who, single.text)
    audited = (await _get(client, run.auditor.headers, "/tasks?limit=200"))["items"]
    assert set(run.peer_task_ids) <= {t["id"] for t in audited}
    for rater in run.raters:
        own = (await _get(client, rater.headers, "/me/tasks"))["items"]
        assert [t["title"] for t in own] == ["2026 year-end: review Lead (peer)"]
        assert own[0]["confidential"] is True
        single = await client.get(f"{API}/tasks/{own[0]['id']}", headers=rater.headers)
        assert single.status_code == 200
    escalations = [
        n
        for n in run.seen["boss /me/notifications"]["items"]
        + run.seen["hr /me/notifications"]["items"]
        if n["kind"] == "task.escalation"
    ]
    assert all("Lead" not in n["title"] + n["body"] for n in escalations)
    deliveries = run.seen[next(k for k in run.seen if "/deliveries" in k)]["items"]
    assert deliveries, "the supervisor's and the self-assessment's completions are sent"
    assert not {d["payload"]["task_id"] for d in deliveries} & set(run.peer_task_ids)


@pytest.mark.commits
async def test_one_peer_answer_leaves_no_trace_any_reader_can_see(
    client: AsyncClient, runtime: Runtime, frozen: FrozenClock
) -> None:
    harsh = await _scenario(client, runtime, [HARSH])
    kind = await _scenario(client, runtime, [KIND])
    _assert_same(harsh, kind)
    _assert_supervisor_only(harsh, [HARSH])
    _assert_supervisor_only(kind, [KIND])
    await _assert_rater_tasks_hidden(client, harsh)
    kinds = {n["kind"] for n in harsh.seen["boss /me/notifications"]["items"]}
    assert "task.escalation" in kinds, "the unanswered peer task was escalated, namelessly"


@pytest.mark.commits
async def test_two_peer_answers_leave_no_trace_and_differ_from_one_in_no_figure(
    client: AsyncClient, runtime: Runtime, frozen: FrozenClock
) -> None:
    first = await _scenario(client, runtime, [HARSH, KIND])
    second = await _scenario(client, runtime, [KIND, KIND])
    _assert_same(first, second)
    _assert_supervisor_only(first, [HARSH, KIND])
    one = await _scenario(client, runtime, [HARSH])
    assert _normalised(one.results) == _normalised(first.results), (
        "one more peer answer changes no figure of the result"
    )
    none = await _scenario(client, runtime, [])
    assert _normalised(none.results) == _normalised(one.results), (
        "a result does not tell whether any peer answered at all"
    )
    for run in (first, one):
        await _assert_rater_tasks_hidden(client, run)


def test_normalising_keeps_what_differs() -> None:
    """The comparison would see a figure change (it only forgets ids and times)."""
    one = {"id": str(uuid.uuid4()), "at": "2026-12-20T10:00:00+00:00", "score": 75.0}
    other = {"id": str(uuid.uuid4()), "at": "2026-12-21T10:00:00Z", "score": 75.0}
    assert _normalised(one) == _normalised(other)
    assert _normalised(one) != _normalised({**other, "score": 76.0})


@pytest.mark.commits
async def test_a_pending_result_shows_nothing_of_the_answers_until_published(
    client: AsyncClient, runtime: Runtime, frozen: FrozenClock
) -> None:
    """Two results that differ in every figure look the same to their employee until HR
    publishes them; the published reads then differ (the comparison is live)."""
    low = {"sales": {"actual": 20}, "teamwork": {"score": 1}, "leadership": {"score": 2}}
    high = await _scenario(client, runtime, [], SUPERVISOR)
    other = await _scenario(client, runtime, [], low)
    pending = [k for k in high.seen if k.startswith("lead before publication")]
    assert len(pending) == 2
    left, right = _normalised(high.seen, high.org_name), _normalised(other.seen, other.org_name)
    for read in pending:
        assert _first_difference(left[read], right[read]) is None, read
    [own] = high.seen[pending[0]]["items"]
    assert set(own) == {"id", "cycle_id", "cycle", "employee", "status"}
    assert own["status"] == "pending"
    assert high.seen[pending[1]] == own
    assert _first_difference(left["lead /me/review-results"], right["lead /me/review-results"])
