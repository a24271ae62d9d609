"""What a domain that computes its kind's facts gets of the engine: a returned approval
resubmitted through `approvals.api.resubmit` with recomputed facts, and decision tasks due
in three days counted as the organization counts its tasks' days (working days on its
calendar when its default task policy does)."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.approvals import api, kinds
from hrcore.core.authz import Principal, Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.errors import Conflict, NotFound
from hrcore.core.runtime import Runtime
from tests.approvals.conftest import ACTED, ENDED, SPEC
from tests.approvals.test_approvals import APPROVALS, CHAINS, MANAGER_HEAD_HR, _act, _ok
from tests.approvals.test_approvals import _chain as _promotion_chain
from tests.approvals.test_approvals import _open_tasks as _decision_tasks
from tests.approvals.test_approvals import _submit as _request
from tests.conftest import frozen_clock
from tests.factories import make_user
from tests.people.conftest import World, world

__all__ = ["world"]
DOMAIN_KIND = "test.computed_promotion"
LEAD_THEN_HR_FOR_M2 = [MANAGER_HEAD_HR[0], MANAGER_HEAD_HR[2]]
FRIDAY = datetime(2027, 3, 5, 2, 0, tzinfo=UTC)
"""Friday 5 March 2027, 10:00 in Asia/Shanghai."""


@pytest.fixture
def computed_kind() -> Iterator[None]:
    """A kind whose facts its domain computes (the requester states none)."""
    spec = dataclasses.replace(SPEC, kind=DOMAIN_KIND, requested_over_http=False)
    with kinds.declared_for_test(spec):
        yield


async def _resubmit(runtime: Runtime, world: World, approval_id: str, **options: Any) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        await api.resubmit(
            session,
            org_id=world.hr.org_id,
            approval_id=uuid.UUID(approval_id),
            clock=runtime.clock,
            **{"kind": DOMAIN_KIND, "facts": {"grade": "M2"}} | options,
        )


@pytest.mark.usefixtures("computed_kind")
async def test_a_domain_resubmits_its_returned_approval_with_recomputed_facts(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    hr = await make_user(runtime, world.hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    chain = {"name": "Computed", "kind": DOMAIN_KIND, "steps": LEAD_THEN_HR_FOR_M2}
    _ok(await client.post(CHAINS, json=chain, headers=world.hr.headers), 201)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        approval_id = str(
            await api.submit(
                session,
                org_id=world.hr.org_id,
                kind=DOMAIN_KIND,
                title="Promote to team lead",
                subject_employee_id=world.member.id,
                subject_id=uuid.uuid4(),
                requester_employee_id=world.member.id,
                facts={"grade": "M1"},
                clock=runtime.clock,
            )
        )
    approval = {"id": approval_id}
    with pytest.raises(Conflict):  # pending: nothing to resubmit
        await _resubmit(runtime, world, approval_id)
    _ok(await _act(client, world.lead_account, approval, "return", comment="Grade is M2 now"))
    with pytest.raises(NotFound):  # another kind's approval is not the domain's
        await _resubmit(runtime, world, approval_id, kind="test.promotion")

    await _resubmit(runtime, world, approval_id, comment="Recomputed")
    again = _ok(await client.get(f"{APPROVALS}/{approval_id}", headers=world.hr.headers))
    assert (again["status"], again["round"], again["current_step"]) == ("pending", 2, 0)
    assert again["facts"] == {"grade": "M2"}
    parts = [(a["round"], a["approver"]["name"], a["status"]) for a in again["assignments"]]
    assert parts == [(1, "Lead", "returned"), (2, "Lead", "pending")]
    to_hr = _ok(await _act(client, world.lead_account, approval, "approve"))
    assert to_hr["current_step"] == 1, "the recomputed grade needs HR"
    assert _ok(await _act(client, hr, approval, "approve"))["status"] == "approved"
    assert [dict(a.facts) for a in ACTED] == [{"grade": "M2"}]
    audit = _ok(
        await client.get(
            f"/api/v1/audit-events?object_type=approval&object_id={approval_id}",
            headers=world.hr.headers,
        )
    )
    [resubmitted] = [e for e in audit["items"] if e["action"] == "approval.resubmitted"]
    assert resubmitted["before"]["facts"] == {"grade": "M1"}
    assert (resubmitted["after"]["facts"], resubmitted["after"]["comment"]) == (
        {"grade": "M2"},
        "Recomputed",
    )


async def test_decisions_are_due_in_three_working_days_when_the_organization_counts_them(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await _promotion_chain(client, world.hr, LEAD_THEN_HR_FOR_M2[:1])
    async with frozen_clock(runtime, FRIDAY):
        await _request(client, world.member_account, world.member)
        [calendar_days] = await _decision_tasks(client, world.lead_account)
        assert calendar_days["due_at"].startswith("2027-03-08")  # Monday
        working = {"reminder": {"days_are": "working"}, "escalation": {"days_are": "working"}}
        saved = await client.put(
            "/api/v1/task-policy-defaults", json=working, headers=world.hr.headers
        )
        assert saved.status_code == 200, saved.text
        await _request(client, world.member_account, world.member)
        tasks = await _decision_tasks(client, world.lead_account)
    # Monday 8, Tuesday 9, Wednesday 10 March
    assert sorted(t["due_at"][:10] for t in tasks) == ["2027-03-08", "2027-03-10"]


async def test_a_domain_returning_an_approval_by_authority_ends_nothing(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    """A return is not an end: the requester may resubmit, so the kind's `on_ended` is not
    told of it, whether an approver returns it or a domain does on its authority."""
    await _promotion_chain(client, world.hr, [MANAGER_HEAD_HR[0]])
    approval = await _request(client, world.member_account, world.member, grade="M1")
    hr = Principal(
        kind="user", id=world.hr.user_id, org_id=world.hr.org_id, roles=frozenset({Role.HR_ADMIN})
    )
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        status = await api.decide_current_step(
            session,
            hr,
            uuid.UUID(approval["id"]),
            "returned",
            runtime.clock,
            authority=True,
            comment="Fix the grade",
        )
    assert status == "returned"
    assert list(ENDED) == [], "a returned approval may still be resubmitted"
    again = _ok(await client.get(f"{APPROVALS}/{approval['id']}", headers=world.hr.headers))
    assert again["status"] == "returned"
