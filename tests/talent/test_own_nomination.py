"""Nobody decides their own nomination: an HR admin who is the nominee gets 403 on every
path (no approval when nobody else could approve, the engine's default chain — its HR
fallback included —, an organization's own chain) and nothing is written; the decision
goes to another HR admin, and the nominator, who requested the approval, decides it only
when it runs on none."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.factories import Account, make_user
from tests.people.conftest import World, world

__all__ = ["world"]
API = "/api/v1"
POOLS = f"{API}/talent-pools"
ZH = {"Accept-Language": "zh-CN"}
OWN_MEMBERSHIP = "任何人都不能修改自己的人才池成员信息：由其他 HR 管理员处理"


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _nominate(
    client: AsyncClient, account: Account, employee: Any, hr: Account, pool: str = "Experts"
) -> Any:
    pool_ = _ok(await client.post(POOLS, json={"name": pool}, headers=hr.headers), 201)
    body = {"employee_id": str(employee.id), "reason": "Deep knowledge"}
    return _ok(
        await client.post(f"{POOLS}/{pool_['id']}/members", json=body, headers=account.headers),
        201,
    )


async def _decide(client: AsyncClient, account: Account, member: Any, **headers: str) -> Any:
    return await client.patch(
        f"{POOLS}/{member['pool_id']}/members/{member['id']}",
        json={"status": "active", "reason": "I approve myself"},
        headers=account.headers | headers,
    )


async def _refused_and_unchanged(
    client: AsyncClient, nominee: Account, hr: Account, member: Any
) -> None:
    refused = await _decide(client, nominee, member, **ZH)
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["detail"] == "任何人都不能审批自己的提名：由其他 HR 管理员审批"
    path = f"{POOLS}/{member['pool_id']}/members/{member['id']}"
    after = _ok(await client.get(f"{path}/history", headers=hr.headers))
    assert [c["status"] for c in after["items"]] == ["nominated"], "nothing written"
    page = _ok(await client.get(f"{POOLS}/{member['pool_id']}/members", headers=hr.headers))
    assert [(m["status"], m["version"]) for m in page["items"]] == [
        ("nominated", member["version"])
    ]


async def _tasks(client: AsyncClient, account: Account) -> list[str]:
    page = _ok(await client.get(f"{API}/me/tasks?status=open", headers=account.headers))
    return [t["kind"] for t in page["items"]]


async def test_the_decision_goes_to_another_hr_admin_and_the_nominee_is_refused(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    """The nominator has no employee record and requests the approval by their account: the
    boss is the nominee, so the lead gets the decision task; the nominator none."""
    org_id = world.hr.org_id
    nominee = await make_user(runtime, org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    other = await make_user(runtime, org_id, Role.HR_ADMIN, employee_id=world.lead.id)
    member = await _nominate(client, world.hr, world.boss, world.hr)
    assert await _tasks(client, nominee) == []
    assert await _tasks(client, other) == ["approvals.decision"]
    mine = _ok(await client.get(f"{API}/me/approvals", headers=world.hr.headers))
    assert mine["items"] == [], "the requesting account never approves its own request"
    await _refused_and_unchanged(client, nominee, world.hr, member)
    assert _ok(await _decide(client, other, member))["status"] == "active"


async def test_with_nobody_but_nominator_and_nominee_as_hr_no_approval_starts(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    """The only other HR admin is the nominating account: nobody could approve, so no
    approval starts and HR decides on the member alone — never the nominee."""
    nominee = await make_user(runtime, world.hr.org_id, Role.HR_ADMIN, employee_id=world.member.id)
    member = await _nominate(client, world.hr, world.member, world.hr)
    assert await _tasks(client, nominee) == []
    listed = _ok(await client.get(f"{API}/approvals", headers=world.hr.headers))
    assert listed["items"] == []
    await _refused_and_unchanged(client, nominee, world.hr, member)
    assert _ok(await _decide(client, world.hr, member))["status"] == "active"


async def test_the_engines_fallback_never_asks_the_nominee_nor_the_hr_nominator(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    """HR on the peer's record nominates the member, an HR admin too: the default chain's
    step leaves both out and asks the HR admin who has only an account."""
    org_id = world.hr.org_id
    nominator = await make_user(runtime, org_id, Role.HR_ADMIN, employee_id=world.peer.id)
    nominee = await make_user(runtime, org_id, Role.HR_ADMIN, employee_id=world.member.id)
    member = await _nominate(client, nominator, world.member, world.hr)
    assert await _tasks(client, nominee) == []
    mine = _ok(await client.get(f"{API}/me/approvals", headers=nominee.headers))
    assert mine["items"] == []
    await _refused_and_unchanged(client, nominee, world.hr, member)
    own = await _decide(client, nominator, member, **ZH)
    assert own.status_code == 403, own.text
    assert own.json()["detail"] == "申请人和当事人都不能审批与自己相关的申请"
    [awaiting] = _ok(await client.get(f"{API}/me/approvals", headers=world.hr.headers))["items"]
    assert awaiting["subject_id"] == member["id"]
    assert _ok(await _decide(client, world.hr, member))["status"] == "active"


async def test_on_the_default_chain_and_on_the_organizations_own_the_nominee_is_refused(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    await make_user(runtime, org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    nominee = await make_user(runtime, org_id, Role.HR_ADMIN, employee_id=world.member.id)
    head = await make_user(
        runtime,
        org_id,
        Role.DEPT_HEAD,
        Role.EMPLOYEE,
        employee_id=world.peer.id,
        department_scope_id=world.sales.id,
    )
    on_default = await _nominate(client, head, world.member, world.hr)
    await _refused_and_unchanged(client, nominee, world.hr, on_default)

    chain = {
        "name": "Nominations",
        "kind": "talent.pool_nomination",
        "steps": [{"name": "Manager", "approver": {"rule": "manager"}}],
    }
    _ok(await client.post(f"{API}/approval-chains", json=chain, headers=world.hr.headers), 201)
    own = await _nominate(client, head, world.member, world.hr, "Chiefs")
    await _refused_and_unchanged(client, nominee, world.hr, own)


async def test_an_hr_admin_never_changes_their_own_membership(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    """Once active, the member who is an HR admin sets neither their readiness nor their
    9-box place, nor graduates themself: another HR admin does (403, nothing written)."""
    org_id = world.hr.org_id
    other = await make_user(runtime, org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    member = await _nominate(client, world.hr, world.member, world.hr)
    member = _ok(await _decide(client, other, member))
    nominee = await make_user(runtime, org_id, Role.HR_ADMIN, employee_id=world.member.id)
    path = f"{POOLS}/{member['pool_id']}/members/{member['id']}"
    for change in (
        {"readiness": "ready_now", "reason": "I am ready"},
        {"status": "graduated", "reason": "Done"},
    ):
        refused = await client.patch(path, json=change, headers=nominee.headers | ZH)
        assert refused.status_code == 403, refused.text
        assert refused.json()["detail"] == OWN_MEMBERSHIP
    page = _ok(await client.get(f"{POOLS}/{member['pool_id']}/members", headers=world.hr.headers))
    assert [(m["status"], m["readiness"], m["version"]) for m in page["items"]] == [
        ("active", member["readiness"], member["version"])
    ]
    changed = await client.patch(
        path, json={"readiness": "ready_now", "reason": "Seen at work"}, headers=other.headers
    )
    assert _ok(changed)["readiness"] == "ready_now"
