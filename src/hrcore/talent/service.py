"""Talent pools: screening rules, nominations, membership and the 9-box.

Who may do what: any user of the organization reads pools (employees nominate themselves);
HR admins write pools, approve, graduate and remove members, set readiness and the 9-box;
department heads screen and nominate within their subtree; an employee nominates only
themself. Members outside the caller's reach are invisible (404). Every membership change
is audited with its reason. Leaving the company ends open memberships (status `left`),
through the employment event people emits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, events
from hrcore.core.authz import Principal, Scope, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.people import service as people
from hrcore.talent import repository, screening
from hrcore.talent.models import (
    MemberStatus,
    NineBoxPlacement,
    NominationSource,
    Readiness,
    TalentPool,
    TalentPoolMember,
)
from hrcore.talent.schemas import (
    CriterionResult,
    MemberOut,
    MemberPatch,
    NineBoxCell,
    NineBoxOut,
    Nomination,
    PlacementOut,
    Rule,
    ScreenCandidate,
    ScreenRequest,
    ScreenResult,
    TalentPoolIn,
    TalentPoolOut,
    TalentPoolPatch,
)

LEFT_JOB = "talent.end_memberships_of_leaver"
MEMBER_REMOVED = "talent_member.removed"
"""Emitted (core.events) when HR removes a member; payload: member_id, pool_id, employee_id."""
events.subscribe(people.EMPLOYMENT_EVENT_RECORDED, LEFT_JOB)
RULES = TypeAdapter(list[Rule])
LEVELS = ("high", "medium", "low")
TRANSITIONS = {
    MemberStatus.ACTIVE: {MemberStatus.NOMINATED},
    MemberStatus.GRADUATED: {MemberStatus.ACTIVE},
    MemberStatus.REMOVED: {MemberStatus.NOMINATED, MemberStatus.ACTIVE},
}
"""Status changes HR makes by hand, from the statuses they may follow. `appointed` comes from
a vacancy, `left` from leaving the company."""


# --- access -------------------------------------------------------------------------------


def _require_reader(principal: Principal) -> None:
    if principal.kind == "api_key" and not principal.has_scope(Scope.ORG_READ):
        raise Forbidden("This integration key lacks the org:read scope")


def _require_screener(principal: Principal) -> None:
    if not (principal.is_hr_admin or principal.is_dept_head):
        raise Forbidden("Only HR admins and department heads screen for talent")


# --- pools --------------------------------------------------------------------------------


async def _pool(session: AsyncSession, principal: Principal, pool_id: uuid.UUID) -> TalentPool:
    _require_reader(principal)
    pool = await repository.pool_by_id(session, principal.org_id, pool_id)
    if pool is None:
        raise NotFound("No such talent pool")
    return pool


async def pool_views(session: AsyncSession, pools: Sequence[TalentPool]) -> list[TalentPoolOut]:
    """Views of many pools; their target positions in one query."""
    if not pools:
        return []
    wanted = [pool.target_position_id for pool in pools if pool.target_position_id]
    positions = await org.position_refs(session, pools[0].org_id, wanted)
    return [
        TalentPoolOut(
            id=pool.id,
            name=pool.name,
            description=pool.description,
            target_position=positions.get(pool.target_position_id)
            if pool.target_position_id
            else None,
            target_family=pool.target_family,
            rules=RULES.validate_python(pool.rules),
            active=pool.active,
            created_at=pool.created_at,
            updated_at=pool.updated_at,
            version=pool.version,
        )
        for pool in pools
    ]


def _snapshot(pool: TalentPool) -> dict[str, Any]:
    return {
        "name": pool.name,
        "target_position_id": str(pool.target_position_id) if pool.target_position_id else None,
        "target_family": pool.target_family,
        "rules": pool.rules,
        "active": pool.active,
    }


async def list_pools(
    session: AsyncSession, principal: Principal, page: PageParams, *, active: bool | None
) -> tuple[list[TalentPool], str | None]:
    _require_reader(principal)
    statement = repository.pools_query(principal.org_id, active=active)
    return await paginate(session, statement, [TalentPool.id], page)


async def get_pool(session: AsyncSession, principal: Principal, pool_id: uuid.UUID) -> TalentPool:
    return await _pool(session, principal, pool_id)


async def _require_free_name(
    session: AsyncSession, org_id: uuid.UUID, name: str, pool_id: uuid.UUID | None = None
) -> None:
    existing = await repository.pool_by_name(session, org_id, name)
    if existing is not None and existing.id != pool_id:
        raise Conflict(f"A talent pool named {name!r} exists")


async def create_pool(
    session: AsyncSession, principal: Principal, body: TalentPoolIn
) -> TalentPool:
    require_hr_admin(principal)
    await _require_free_name(session, principal.org_id, body.name)
    if body.target_position_id is not None:
        await org.require_position(
            session, principal.org_id, body.target_position_id, "target_position_id"
        )
    pool = TalentPool(
        org_id=principal.org_id,
        name=body.name,
        description=body.description,
        target_position_id=body.target_position_id,
        target_family=body.target_family,
        rules=RULES.dump_python(body.rules, mode="json"),
        active=body.active,
    )
    session.add(pool)
    await session.flush()
    audit.record(
        session,
        principal,
        "talent_pool.created",
        "talent_pool",
        pool.id,
        org_id=principal.org_id,
        after=_snapshot(pool),
    )
    return pool


async def update_pool(
    session: AsyncSession,
    principal: Principal,
    pool_id: uuid.UUID,
    body: TalentPoolPatch,
    *,
    if_match: str | None,
) -> TalentPool:
    require_hr_admin(principal)
    pool = await _pool(session, principal, pool_id)
    check_version(pool.version, if_match=if_match, body_version=body.version)
    before = _snapshot(pool)
    fields = body.model_dump(exclude_unset=True, exclude={"version"})
    if fields.get("name") is not None:
        await _require_free_name(session, principal.org_id, fields["name"], pool.id)
    if fields.get("target_position_id") is not None:
        await org.require_position(
            session, principal.org_id, fields["target_position_id"], "target_position_id"
        )
    for name in ("name", "active"):
        if fields.get(name) is not None:
            setattr(pool, name, fields[name])
    for name in ("description", "target_position_id", "target_family"):
        if name in fields:
            setattr(pool, name, fields[name])
    if body.rules is not None:
        pool.rules = RULES.dump_python(body.rules, mode="json")
    await session.flush()
    await session.refresh(pool)
    old, new = audit.changes(before, _snapshot(pool))
    audit.record(
        session,
        principal,
        "talent_pool.updated",
        "talent_pool",
        pool.id,
        org_id=principal.org_id,
        before=old,
        after=new,
    )
    return pool


# --- screening ----------------------------------------------------------------------------


def _plain(value: Any) -> float | str | None:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return float(value)
    return value if value is None or isinstance(value, str) else str(value)


async def screen(
    session: AsyncSession,
    principal: Principal,
    pool_id: uuid.UUID,
    body: ScreenRequest,
    clock: Clock,
) -> ScreenResult:
    """Evaluate the rules over the organization in the database; writes nothing."""
    _require_screener(principal)
    pool = await _pool(session, principal, pool_id)
    rules = body.rules if body.rules is not None else RULES.validate_python(pool.rules)
    today = await people.org_today(session, principal.org_id, clock)
    compiled = screening.compile_rules(people.screening_facts(principal.org_id), rules, today=today)
    population = compiled.population
    statement = compiled.statement
    in_scope = compiled.employees
    scope = await people.visible_employee_ids(session, principal)
    if scope is not None:
        statement = statement.where(population.c.employee_id.in_(scope))
        in_scope = in_scope.where(population.c.employee_id.in_(scope))
    evaluated = await repository.count(session, in_scope)
    if body.only_passing:
        statement = statement.where(statement.selected_columns.passed)
    order: list[Any] = [population.c.full_name, population.c.employee_id]
    if rules and rules[0].kind == "performance_percentile":
        order.insert(0, statement.selected_columns.v0.asc().nulls_last())
    rows = (await session.execute(statement.order_by(*order).limit(body.limit))).all()
    return ScreenResult(
        evaluated=evaluated,
        rules=rules,
        candidates=[_candidate(row, rules) for row in rows],
    )


def _candidate(row: Any, rules: Sequence[Rule]) -> ScreenCandidate:
    return ScreenCandidate(
        employee=Ref(id=row.employee_id, name=row.full_name),
        department_id=row.department_id,
        passed=bool(row.passed),
        criteria=[
            CriterionResult(
                kind=rule.kind,
                value=_plain(getattr(row, f"v{index}")),
                passed=bool(getattr(row, f"p{index}")),
            )
            for index, rule in enumerate(rules)
        ],
    )


# --- members ------------------------------------------------------------------------------


async def _member_scope(session: AsyncSession, principal: Principal) -> Select[Any] | None:
    """Whose memberships the caller sees: HR all; heads their reach; employees their own.
    Integration keys read pool definitions (`org:read`), never who is in a pool (403)."""
    principal.require_key_scope(None)
    if principal.is_hr_admin or principal.is_dept_head:
        return await people.visible_employee_ids(session, principal)
    return people.own_employee_ids(principal)


async def list_members(
    session: AsyncSession,
    principal: Principal,
    pool_id: uuid.UUID,
    page: PageParams,
    *,
    status: MemberStatus | None,
) -> tuple[list[TalentPoolMember], str | None]:
    pool = await _pool(session, principal, pool_id)
    statement = repository.members_query(
        principal.org_id,
        pool.id,
        status=status.value if status else None,
        employee_ids=await _member_scope(session, principal),
    )
    return await paginate(session, statement, [TalentPoolMember.id], page)


async def member_views(
    session: AsyncSession, org_id: uuid.UUID, members: Sequence[TalentPoolMember]
) -> list[MemberOut]:
    """Views of many members in two queries (employees, placements)."""
    people_by_id = await people.employee_summaries(
        session, org_id, [m.employee_id for m in members]
    )
    placements = await repository.latest_placements(session, org_id, [m.id for m in members])
    return [_member_view(m, people_by_id[m.employee_id], placements.get(m.id)) for m in members]


def _member_view(
    member: TalentPoolMember,
    employee: people.EmployeeSummary,
    placement: NineBoxPlacement | None,
) -> MemberOut:
    return MemberOut(
        id=member.id,
        pool_id=member.pool_id,
        employee=employee.ref,
        department_id=employee.department_id,
        status=MemberStatus(member.status),
        readiness=Readiness(member.readiness) if member.readiness else None,
        source=NominationSource(member.source),
        reason=member.reason,
        nominated_at=member.nominated_at,
        activated_at=member.activated_at,
        ended_at=member.ended_at,
        nine_box=PlacementOut(
            performance=placement.performance,
            potential=placement.potential,
            reason=placement.reason,
            placed_at=placement.placed_at,
        )
        if placement
        else None,
        version=member.version,
    )


def _member_snapshot(member: TalentPoolMember) -> dict[str, Any]:
    return {
        "pool_id": str(member.pool_id),
        "employee_id": str(member.employee_id),
        "status": member.status,
        "readiness": member.readiness,
    }


def _source(principal: Principal, employee_id: uuid.UUID) -> NominationSource:
    if principal.employee_id == employee_id:
        return NominationSource.SELF
    if principal.is_hr_admin:
        return NominationSource.HR
    if principal.is_dept_head:
        return NominationSource.DEPT_HEAD
    raise Forbidden("Only HR, department heads and the employee themself nominate")


async def nominate(
    session: AsyncSession, principal: Principal, pool_id: uuid.UUID, body: Nomination, clock: Clock
) -> TalentPoolMember:
    """Put an employee forward; HR approves. A removed, graduated or departed member may be
    nominated again (the membership reopens)."""
    if principal.kind != "user":
        raise Forbidden("Nominations are made by people, not integration keys")
    pool = await _pool(session, principal, pool_id)
    employee = await people.ensure_can_view(session, principal, body.employee_id)
    source = _source(principal, employee.id)
    if not pool.active:
        raise Conflict("This talent pool is closed")
    if employee.status == "exited":
        raise Unprocessable(
            "Only current employees can be nominated",
            errors=[FieldError(field="employee_id", message="the employee has left")],
        )
    member = await repository.member_of(session, principal.org_id, pool.id, employee.id)
    now = clock.now()
    before = _member_snapshot(member) if member else None
    if member is None:
        member = TalentPoolMember(org_id=principal.org_id, pool_id=pool.id, employee_id=employee.id)
        session.add(member)
    elif member.status in (MemberStatus.NOMINATED, MemberStatus.ACTIVE, MemberStatus.APPOINTED):
        raise Conflict(f"The employee is already {member.status} in this pool")
    member.status, member.readiness, member.source = (
        MemberStatus.NOMINATED.value,
        None,
        source.value,
    )
    member.nominated_by, member.reason, member.nominated_at = principal.id, body.reason, now
    member.activated_at = member.ended_at = None
    await session.flush()
    audit.record(
        session,
        principal,
        "talent_member.nominated",
        "talent_member",
        member.id,
        org_id=principal.org_id,
        before=before,
        after=_member_snapshot(member) | {"source": source.value, "reason": body.reason},
    )
    return member


async def _visible_member(
    session: AsyncSession, principal: Principal, pool_id: uuid.UUID, member_id: uuid.UUID
) -> TalentPoolMember:
    member = await repository.member_by_id(session, principal.org_id, pool_id, member_id)
    if member is None:
        raise NotFound("No such member")
    await people.ensure_can_view(session, principal, member.employee_id)
    return member


async def update_member(
    session: AsyncSession,
    principal: Principal,
    pool_id: uuid.UUID,
    member_id: uuid.UUID,
    body: MemberPatch,
    clock: Clock,
    *,
    if_match: str | None,
) -> TalentPoolMember:
    """Approve, graduate or remove; set readiness; place on the 9-box (HR; with a reason)."""
    await _pool(session, principal, pool_id)
    member = await _visible_member(session, principal, pool_id, member_id)
    require_hr_admin(principal)
    check_version(member.version, if_match=if_match, body_version=body.version)
    before = _member_snapshot(member)
    now = clock.now()
    if body.status is not None:
        _transition(member, MemberStatus(body.status), now)
    if body.readiness is not None:
        member.readiness = body.readiness.value
    if body.nine_box is not None:
        session.add(
            NineBoxPlacement(
                org_id=member.org_id,
                member_id=member.id,
                performance=body.nine_box.performance,
                potential=body.nine_box.potential,
                reason=body.reason,
                placed_by=principal.id,
                placed_at=now,
            )
        )
    await session.flush()
    if body.status == MemberStatus.REMOVED.value:
        _announce_removal(session, member)
    old, new = audit.changes(before, _member_snapshot(member))
    if body.nine_box is not None:
        new["nine_box"] = body.nine_box.model_dump()
    audit.record(
        session,
        principal,
        "talent_member.updated",
        "talent_member",
        member.id,
        org_id=principal.org_id,
        before=old,
        after=new | {"reason": body.reason},
    )
    return member


def _announce_removal(session: AsyncSession, member: TalentPoolMember) -> None:
    events.emit(
        session,
        MEMBER_REMOVED,
        {
            "member_id": str(member.id),
            "pool_id": str(member.pool_id),
            "employee_id": str(member.employee_id),
        },
        org_id=member.org_id,
    )


def _transition(member: TalentPoolMember, status: MemberStatus, now: Any) -> None:
    if MemberStatus(member.status) not in TRANSITIONS[status]:
        raise Conflict(f"A {member.status} member cannot become {status.value}")
    member.status = status.value
    if status == MemberStatus.ACTIVE:
        member.activated_at = now
    else:
        member.ended_at = now


# --- for programs --------------------------------------------------------------------------


async def require_pool(
    session: AsyncSession, org_id: uuid.UUID, pool_id: uuid.UUID, field: str = "pool_id"
) -> None:
    """A pool referenced in a request body: 422 when it is not in this organization."""
    if await repository.pool_by_id(session, org_id, pool_id) is None:
        raise Unprocessable(
            "Unknown talent pool", errors=[FieldError(field=field, message="no such pool")]
        )


async def active_member_ids(
    session: AsyncSession, org_id: uuid.UUID, pool_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these employees are active members of the pool, in one query."""
    statement = repository.members_query(
        org_id, pool_id, status=MemberStatus.ACTIVE.value, employee_ids=None
    ).where(TalentPoolMember.employee_id.in_(list(employee_ids)))
    return {member.employee_id for member in await session.scalars(statement)}


async def record_program_outcome(
    session: AsyncSession,
    actor: Principal,
    *,
    pool_id: uuid.UUID,
    employee_id: uuid.UUID,
    readiness: Readiness | None,
    remove: bool,
    reason: str,
    clock: Clock,
) -> None:
    """A development program's decision on an active member: new readiness, or removal
    (audited with the decision's reason; a member no longer active is left alone)."""
    member = await repository.member_of(session, actor.org_id, pool_id, employee_id)
    if member is None or member.status != MemberStatus.ACTIVE:
        return
    before = _member_snapshot(member)
    if readiness is not None:
        member.readiness = readiness.value
    if remove:
        _transition(member, MemberStatus.REMOVED, clock.now())
    await session.flush()
    if remove:
        _announce_removal(session, member)
    old, new = audit.changes(before, _member_snapshot(member))
    audit.record(
        session,
        actor,
        "talent_member.updated",
        "talent_member",
        member.id,
        org_id=member.org_id,
        before=old,
        after=new | {"reason": reason, "source": "program_decision"},
    )


# --- 9-box --------------------------------------------------------------------------------


async def nine_box(session: AsyncSession, principal: Principal, pool_id: uuid.UUID) -> NineBoxOut:
    """Current placements of the nominated and active members the caller may see."""
    _require_screener(principal)
    pool = await _pool(session, principal, pool_id)
    statement = repository.members_query(
        principal.org_id, pool.id, status=None, employee_ids=await _member_scope(session, principal)
    ).where(TalentPoolMember.status.in_(repository.OPEN_STATUSES))
    members = list((await session.scalars(statement.order_by(TalentPoolMember.id))).all())
    views = await member_views(session, principal.org_id, members)
    cells: dict[tuple[str, str], list[Ref]] = {(p, q): [] for p in LEVELS for q in LEVELS}
    unplaced: list[Ref] = []
    for view in views:
        if view.nine_box is None:
            unplaced.append(view.employee)
        else:
            cells[(view.nine_box.potential, view.nine_box.performance)].append(view.employee)
    return NineBoxOut(
        pool_id=pool.id,
        cells=[
            NineBoxCell(potential=potential, performance=performance, members=refs)
            for (potential, performance), refs in cells.items()
        ],
        unplaced=unplaced,
    )


# --- leaving the company ------------------------------------------------------------------


async def end_memberships_of_leaver(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, clock: Clock
) -> int:
    """Mark the open memberships of an employee who left as `left` (idempotent)."""
    members = await repository.open_members_of_employee(session, org_id, employee_id)
    if not members:
        return 0
    await repository.end_memberships(
        session, [m.id for m in members], status=MemberStatus.LEFT.value, at=clock.now()
    )
    for member in members:
        audit.record(
            session,
            None,
            "talent_member.left",
            "talent_member",
            member.id,
            org_id=org_id,
            before={"status": member.status},
            after={"status": MemberStatus.LEFT.value},
        )
    return len(members)
