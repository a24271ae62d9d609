"""The read-access log over HTTP: a read of someone's evaluation data by HR, their manager or
an integration key is buffered off the read's path, drained by the worker's cron into
`read_access_events`, and shown to the person (`/me/read-log`) and to HR
(`/read-access-events`); nothing of another organization or about another person leaks."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, cast

import pytest
from httpx import AsyncClient
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from hrcore.core import read_log
from hrcore.core.authz import Role
from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from hrcore.privacy import read_log_jobs
from hrcore.worker import run_burst
from tests.conftest import recorded_statements
from tests.factories import Account, make_employee, make_org, make_tree, make_user
from tests.problems import assert_problem

MY_LOG = "/api/v1/me/read-log"
EVENTS = "/api/v1/read-access-events"


@dataclass(frozen=True)
class ReadLogWorld:
    """HR; Lead manages Member, who manages Junior; Member and Lead sign in; a sales head."""

    hr: Account
    lead: Employee
    member: Employee
    junior: Employee
    lead_account: Account
    member_account: Account
    sales_head: Account


async def _world(runtime: Runtime) -> ReadLogWorld:
    hr = await make_org(runtime)
    tree = await make_tree(runtime, hr.org_id)
    lead = await make_employee(runtime, hr.org_id, tree.sales, "Lead")
    member = await make_employee(runtime, hr.org_id, tree.sales_east, "Member", manager=lead)
    junior = await make_employee(runtime, hr.org_id, tree.sales_east, "Junior", manager=member)
    return ReadLogWorld(
        hr=hr,
        lead=lead,
        member=member,
        junior=junior,
        lead_account=await make_user(runtime, hr.org_id, Role.EMPLOYEE, employee_id=lead.id),
        member_account=await make_user(runtime, hr.org_id, Role.EMPLOYEE, employee_id=member.id),
        sales_head=await make_user(
            runtime, hr.org_id, Role.DEPT_HEAD, Role.EMPLOYEE, department_scope_id=tree.sales.id
        ),
    )


@pytest.fixture
async def read_log_world(runtime: Runtime, cheap_passwords: None) -> ReadLogWorld:
    return await _world(runtime)


def _profile(employee_id: uuid.UUID) -> str:
    return f"/api/v1/employees/{employee_id}/profile"


async def _drain(runtime: Runtime) -> int:
    """What the worker's every-minute cron does."""
    return await read_log_jobs.drain_read_log({"runtime": runtime})


async def _items(client: AsyncClient, path: str, account: Account, **params: Any) -> list[Any]:
    response = await client.get(path, params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    items: list[Any] = response.json()["items"]
    return items


async def _buffered(runtime: Runtime) -> list[bytes]:
    key = read_log.buffer_key(runtime.settings.queue_name)
    return await cast(Awaitable[list[bytes]], runtime.redis.lrange(key, 0, -1))


@pytest.mark.commits
async def test_hrs_read_of_a_profile_reaches_the_persons_read_log_through_the_worker(
    client: AsyncClient, runtime: Runtime, cheap_passwords: None
) -> None:
    world = await _world(runtime)
    read = await client.get(
        _profile(world.member.id),
        headers={**world.hr.headers, "X-Purpose": "promotion committee"},
    )
    assert read.status_code == 200, read.text
    own = await client.get(_profile(world.member.id), headers=world.member_account.headers)
    assert own.status_code == 200, own.text
    assert await _items(client, MY_LOG, world.member_account) == [], (
        "buffered, not yet written: the read itself wrote nothing"
    )
    assert len(await _buffered(runtime)) == 2, "HR's read only: the person's own is not logged"

    assert await _drain(runtime) == 2
    assert await _buffered(runtime) == []
    entries = await _items(client, MY_LOG, world.member_account)
    assert {(e["data_class"], e["what"]) for e in entries} == {
        ("evaluation", "profile"),
        ("sensitive", "profile.contracts"),
    }, "the profile's evaluation sections, and its contracts (HR may see them)"
    for entry in entries:
        assert entry["actor_kind"] == "user"
        assert entry["actor"] == {"id": str(world.hr.user_id), "name": "hr"}
        assert entry["actor_id"] == str(world.hr.user_id)
        assert entry["operation"] == "get_employee_profile"
        assert entry["purpose"] == "promotion committee"
        assert entry["masked"] is False

    manager_read = await client.get(_profile(world.member.id), headers=world.lead_account.headers)
    assert manager_read.status_code == 200
    assert await _drain(runtime) == 1, "a manager gets no contracts, so reads none"
    newest, *older = await _items(client, MY_LOG, world.member_account)
    assert (newest["actor"]["id"], newest["what"]) == (str(world.lead_account.user_id), "profile")
    assert newest["purpose"] is None
    assert {entry["id"] for entry in older} == {entry["id"] for entry in entries}, "newest first"


@pytest.mark.commits
async def test_a_drained_batch_written_again_adds_nothing_and_the_log_is_append_only(
    client: AsyncClient, runtime: Runtime, cheap_passwords: None
) -> None:
    world = await _world(runtime)
    await client.get(_profile(world.member.id), headers=world.hr.headers)
    raw = await _buffered(runtime)
    assert await _drain(runtime) == 2
    key = read_log.buffer_key(runtime.settings.queue_name)
    await cast(
        Awaitable[int], runtime.redis.rpush(key, *raw)
    )  # a crash after the commit, before the trim
    assert await _drain(runtime) == 0
    assert len(await _items(client, EVENTS, world.hr)) == 2

    for statement in (
        "UPDATE read_access_events SET purpose = 'rewritten'",
        "DELETE FROM read_access_events",
    ):
        with pytest.raises(DBAPIError, match="permission denied"):
            async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
                await session.execute(text(statement))
    kept = await _items(client, EVENTS, world.hr)
    assert [entry["purpose"] for entry in kept] == [None, None]


@pytest.mark.commits
async def test_with_the_buffer_down_a_read_logs_through_the_outbox_and_the_worker(
    client: AsyncClient, runtime: Runtime, cheap_passwords: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await _world(runtime)

    async def refused(*_args: Any) -> int:
        raise RedisConnectionError("Redis is down")

    monkeypatch.setattr(runtime.redis, "rpush", refused)
    read = await client.get(_profile(world.member.id), headers=world.hr.headers)
    assert read.status_code == 200, read.text
    monkeypatch.undo()
    assert await _buffered(runtime) == []
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
        jobs = (
            await session.execute(
                text("SELECT count(*) FROM outbox_messages WHERE job = :job"),
                {"job": read_log.RECORD_JOB},
            )
        ).scalar_one()
    assert jobs == 1, "the entry went to the outbox in the read's own transaction"
    await run_burst(runtime)
    logged = await _items(client, MY_LOG, world.member_account)
    assert {entry["what"] for entry in logged} == {"profile", "profile.contracts"}


async def test_the_read_sends_no_statement_for_its_log(
    client: AsyncClient, runtime: Runtime, read_log_world: ReadLogWorld
) -> None:
    world = read_log_world
    with recorded_statements(runtime) as statements:
        read = await client.get(_profile(world.member.id), headers=world.hr.headers)
    assert read.status_code == 200
    assert not [s for s in statements if "outbox" in s or "read_access" in s]
    assert len(await _buffered(runtime)) == 2


async def test_each_person_sees_only_reads_of_their_own_data_and_no_other_organization(
    client: AsyncClient, runtime: Runtime, read_log_world: ReadLogWorld
) -> None:
    world = read_log_world
    other = await make_org(runtime)
    other_tree = await make_tree(runtime, other.org_id)
    stranger = await make_employee(runtime, other.org_id, other_tree.sales, "Stranger")
    for account, employee_id in (
        (world.hr, world.junior.id),
        (world.member_account, world.junior.id),
        (world.hr, world.member.id),
        (other, stranger.id),
    ):
        read = await client.get(_profile(employee_id), headers=account.headers)
        assert read.status_code == 200, read.text
    assert await _drain(runtime) == 7, "HR's three reads with contracts, the manager's one"

    about_member = await _items(client, MY_LOG, world.member_account)
    assert [entry["actor"]["id"] for entry in about_member] == [str(world.hr.user_id)] * 2
    assert await _items(client, MY_LOG, world.lead_account) == []
    ours = await _items(client, EVENTS, world.hr)
    assert {item["subject"]["name"] for item in ours} == {"Junior", "Member"}
    assert len(ours) == 5
    [theirs] = await _items(client, EVENTS, other, data_class="evaluation")
    assert theirs["subject"] == {"id": str(stranger.id), "name": "Stranger"}
    assert await _items(client, EVENTS, world.hr, subject_employee_id=str(stranger.id)) == []


async def test_hr_filters_by_subject_reader_class_and_window(
    client: AsyncClient, runtime: Runtime, read_log_world: ReadLogWorld
) -> None:
    world = read_log_world
    await client.get(_profile(world.junior.id), headers=world.hr.headers)
    await client.get(_profile(world.junior.id), headers=world.member_account.headers)
    await client.get(
        f"/api/v1/employees/{world.member.id}/competency-profile", headers=world.hr.headers
    )
    assert await _drain(runtime) == 4

    by_member = await _items(client, EVENTS, world.hr, actor_id=str(world.member_account.user_id))
    assert [(i["subject"]["name"], i["what"]) for i in by_member] == [("Junior", "profile")]
    about_member = await _items(client, EVENTS, world.hr, subject_employee_id=str(world.member.id))
    assert [(i["what"], i["operation"]) for i in about_member] == [
        ("competency_profile", "get_competency_profile")
    ]
    assert len(await _items(client, EVENTS, world.hr, data_class="evaluation")) == 3
    [contracts] = await _items(client, EVENTS, world.hr, data_class="sensitive")
    assert (contracts["subject"]["name"], contracts["what"]) == ("Junior", "profile.contracts")
    first = (await _items(client, EVENTS, world.hr))[-1]
    assert len(await _items(client, EVENTS, world.hr, occurred_to=first["occurred_at"])) == 0
    assert len(await _items(client, EVENTS, world.hr, occurred_from=first["occurred_at"])) == 4

    page = await client.get(EVENTS, params={"limit": 2}, headers=world.hr.headers)
    rest = await client.get(
        EVENTS, params={"limit": 2, "cursor": page.json()["next_cursor"]}, headers=world.hr.headers
    )
    assert len(page.json()["items"]) == len(rest.json()["items"]) == 2
    assert rest.json()["next_cursor"] is None


async def test_wrong_callers_and_bad_filters_are_refused(
    client: AsyncClient, read_log_world: ReadLogWorld
) -> None:
    world = read_log_world
    for account in (world.sales_head, world.member_account):
        assert_problem(await client.get(EVENTS, headers=account.headers), 403, kind="forbidden")
    key = await client.post(
        "/api/v1/api-keys", json={"name": "sync", "scopes": ["org:read"]}, headers=world.hr.headers
    )
    key_headers = {"Authorization": f"Bearer {key.json()['key']}"}
    assert_problem(await client.get(EVENTS, headers=key_headers), 403)
    assert await _items(client, MY_LOG, world.hr) == [], "HR's account is no one's: empty"
    assert (await client.get(MY_LOG, headers=key_headers)).json()["items"] == []
    assert_problem(
        await client.get(
            EVENTS,
            params={"occurred_from": "2026-12-02T00:00:00Z", "occurred_to": "2026-12-01T00:00:00Z"},
            headers=world.hr.headers,
        ),
        422,
        fields={"query.occurred_to"},
    )
    assert_problem(
        await client.get(
            EVENTS,
            params={"occurred_from": "2026-12-02T00:00:00", "occurred_to": "2026-12-01T08:00:00Z"},
            headers=world.hr.headers,
        ),
        422,
        fields={"query.occurred_to"},
    )
    assert_problem(
        await client.get(EVENTS, params={"data_class": "secret"}, headers=world.hr.headers),
        422,
        fields={"query.data_class"},
    )
    for path in (EVENTS, MY_LOG):
        assert_problem(
            await client.get(path, params={"cursor": "forged"}, headers=world.hr.headers),
            400,
            kind="invalid-cursor",
        )


async def test_an_integration_key_is_named_by_its_name(
    client: AsyncClient, runtime: Runtime, read_log_world: ReadLogWorld
) -> None:
    world = read_log_world
    created = await client.post(
        "/api/v1/api-keys",
        json={"name": "BI export", "scopes": ["profiles:read", "ratings:read"]},
        headers=world.hr.headers,
    )
    assert created.status_code == 201, created.text
    key_headers = {"Authorization": f"Bearer {created.json()['key']}"}
    read = await client.get(_profile(world.member.id), headers=key_headers)
    assert read.status_code == 200, read.text
    assert await _drain(runtime) == 1
    [entry] = await _items(client, MY_LOG, world.member_account)
    assert entry["actor_kind"] == "api_key"
    assert entry["actor"] == {"id": created.json()["id"], "name": "BI export"}
