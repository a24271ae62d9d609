"""Membership of a talent pool: nominations, HR's decisions, programs' outcomes, leavers.

HR, department heads (within their reach) and the employee themself nominate; HR approves
or rejects a nomination (a rejection is kept, with its reason, and the employee may be
nominated again), graduates or removes members, sets readiness and places them on the
9-box, each with a reason, audited and kept in the member's history. A development
program's decision changes readiness or removes a member. Leaving the company ends open
memberships (`left`), through the employment event people emits; a removal is announced
(`MEMBER_REMOVED`) for programs to withdraw the member.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, events
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, Forbidden, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.labels import label
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.core.references import refs_by_ids
from hrcore.core.schemas import Ref
from hrcore.identity import api as identity
from hrcore.people import api as people
from hrcore.talent import access, approving, history, nominations, repository
from hrcore.talent.models import (
    ChangeSource,
    MemberStatus,
    NineBoxPlacement,
    NominationSource,
    Readiness,
    TalentPool,
    TalentPoolMember,
)
from hrcore.talent.schemas import MemberOut, MemberPatch, Nomination, PlacementOut

LEFT_JOB = "talent.end_memberships_of_leaver"
MEMBER_REMOVED = "talent_member.removed"
"""Emitted (core.events) when HR removes a member; payload: member_id, pool_id, employee_id."""
TRANSITIONS = {
    MemberStatus.ACTIVE: {MemberStatus.NOMINATED},
    MemberStatus.REJECTED: {MemberStatus.NOMINATED},
    MemberStatus.GRADUATED: {MemberStatus.ACTIVE},
    MemberStatus.REMOVED: {MemberStatus.ACTIVE},
}
"""Status changes HR makes by hand, from the statuses they may follow: a nomination is
approved or rejected, an active member graduates or is removed. `appointed` comes from a
vacancy, `left` from leaving the company."""


async def list_members(
    session: AsyncSession,
    principal: Principal,
    pool_id: uuid.UUID,
    page: PageParams,
    *,
    status: MemberStatus | None,
    readiness: Readiness | None,
) -> tuple[list[TalentPoolMember], str | None]:
    pool = await access.readable_pool(session, principal, pool_id)
    statement = repository.members_query(
        principal.org_id,
        pool.id,
        status=status.value if status else None,
        readiness=readiness.value if readiness else None,
        employee_ids=await access.member_employee_ids(session, principal),
    )
    rows, cursor = await paginate(session, statement, [TalentPoolMember.id], page)
    note_reads(
        principal, [row.employee_id for row in rows], DataClass.EVALUATION, "talent_pool_member"
    )
    return rows, cursor


@dataclass(frozen=True)
class MemberLinks:
    """The names members link beside their ids: pools and the users who decided."""

    pools: dict[uuid.UUID, Ref]
    users: dict[uuid.UUID, Ref]


async def member_links(
    session: AsyncSession, org_id: uuid.UUID, members: Sequence[TalentPoolMember]
) -> MemberLinks:
    """One statement for the pools, one for the deciders (none when nobody decided)."""
    return MemberLinks(
        pools=await refs_by_ids(session, TalentPool.name, org_id, [m.pool_id for m in members]),
        users=await identity.user_refs(
            session, org_id, [m.decided_by for m in members if m.decided_by is not None]
        ),
    )


async def member_views(
    session: AsyncSession, org_id: uuid.UUID, members: Sequence[TalentPoolMember]
) -> list[MemberOut]:
    """Views of many members in a fixed number of queries (employees, placements, links)."""
    people_by_id = await people.employee_summaries(
        session, org_id, [m.employee_id for m in members]
    )
    placements = await repository.latest_placements(session, org_id, [m.id for m in members])
    links = await member_links(session, org_id, members)
    return [
        member_view(m, people_by_id[m.employee_id], placements.get(m.id), links) for m in members
    ]


def member_view(
    member: TalentPoolMember,
    employee: people.EmployeeSummary,
    placement: NineBoxPlacement | None,
    links: MemberLinks,
) -> MemberOut:
    return MemberOut(
        id=member.id,
        pool_id=member.pool_id,
        pool=links.pools[member.pool_id],
        employee=employee.ref,
        department_id=employee.department_id,
        department=employee.department,
        status=MemberStatus(member.status),
        readiness=Readiness(member.readiness) if member.readiness else None,
        source=NominationSource(member.source),
        reason=member.reason,
        nominated_at=member.nominated_at,
        activated_at=member.activated_at,
        ended_at=member.ended_at,
        ended_reason=member.ended_reason,
        nine_box=PlacementOut(
            performance=placement.performance,
            potential=placement.potential,
            reason=placement.reason,
            placed_at=placement.placed_at,
        )
        if placement
        else None,
        decided_by=member.decided_by,
        decided_by_user=links.users.get(member.decided_by) if member.decided_by else None,
        decided_at=member.decided_at,
        decision_reason=member.decision_reason,
        version=member.version,
    )


def _member_snapshot(member: TalentPoolMember) -> dict[str, Any]:
    return {
        "pool_id": str(member.pool_id),
        "employee_id": str(member.employee_id),
        "status": member.status,
        "readiness": member.readiness,
    }


async def nominate(
    session: AsyncSession, principal: Principal, pool_id: uuid.UUID, body: Nomination, clock: Clock
) -> TalentPoolMember:
    """Put an employee forward; HR approves. A removed, graduated or departed member may be
    nominated again (the membership reopens)."""
    if principal.kind != "user":
        raise Forbidden(_("Nominations are made by people, not integration keys"))
    pool = await access.readable_pool(session, principal, pool_id)
    employee = await people.ensure_can_view(session, principal, body.employee_id)
    source = access.nomination_source(principal, employee.id)
    if not pool.active:
        raise Conflict(_("This talent pool is closed"))
    if employee.status == "exited":
        raise Unprocessable(
            _("Only current employees can be nominated"),
            errors=[FieldError(field="employee_id", message=_("the employee has left"))],
        )
    member = await repository.member_of(session, principal.org_id, pool.id, employee.id)
    now = clock.now()
    before = _member_snapshot(member) if member else None
    if member is None:
        member = TalentPoolMember(org_id=principal.org_id, pool_id=pool.id, employee_id=employee.id)
        session.add(member)
    elif member.status in (MemberStatus.NOMINATED, MemberStatus.ACTIVE, MemberStatus.APPOINTED):
        raise Conflict(
            _("The employee is already {status} in this pool", status=label(member.status))
        )
    cleared = member.readiness is not None
    member.status, member.readiness, member.source = (
        MemberStatus.NOMINATED.value,
        None,
        source.value,
    )
    member.nominated_by, member.reason, member.nominated_at = principal.id, body.reason, now
    member.activated_at = member.ended_at = member.decided_at = member.decided_by = None
    member.decision_reason = None
    await session.flush()
    record = functools.partial(
        history.record,
        session,
        member,
        source=ChangeSource(source.value),
        by=principal.id,
        at=now,
        reason=body.reason,
    )
    record("status", status=member.status)
    if cleared:
        record("readiness", readiness=None)
    name = (await people.employee_summaries(session, principal.org_id, [employee.id]))[
        employee.id
    ].ref.name
    on_engine = await approving.start(
        session,
        principal,
        member,
        employee,
        employee_name=name,
        pool=pool,
        source=source,
        clock=clock,
    )
    if source != NominationSource.SELF:
        await nominations.tell_nominee(session, member, pool=pool.name, approval=on_engine)
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
    """Approve or reject a nomination, graduate or remove; set readiness; place on the
    9-box (HR; with a reason; never on one's own membership: 403). Each change goes to the member's
    history; a decision tells the nominee."""
    pool = await access.readable_pool(session, principal, pool_id)
    member = await access.member_in_reach(session, principal, pool_id, member_id)
    require_hr_admin(principal)
    if body.status is not None and _own_nomination(principal, member):
        raise Forbidden(_("Nobody decides their own nomination: another HR admin does"))
    if principal.employee_id is not None and principal.employee_id == member.employee_id:
        raise Forbidden(_("Nobody changes their own talent pool membership: another HR admin does"))
    check_version(member.version, if_match=if_match, body_version=body.version)
    before = _member_snapshot(member)
    now = clock.now()
    record = functools.partial(
        history.record,
        session,
        member,
        source=ChangeSource.HR,
        by=principal.user_id,
        at=now,
        reason=body.reason,
    )
    approval = await approving.running(session, member) if body.status is not None else None
    if approval is not None and body.status is not None:
        _check_transition(member, MemberStatus(body.status))
        await approving.decide(
            session, principal, approval, MemberStatus(body.status), body.reason, clock
        )
    elif body.status is not None:
        _transition(member, MemberStatus(body.status), now)
        record("status", status=member.status)
    deciding = (
        before["status"] == MemberStatus.NOMINATED.value
        and body.status is not None
        and approval is None
    )
    if deciding:
        member.decided_by, member.decided_at = principal.user_id, now
        member.decision_reason = body.reason
    if body.readiness is not None and body.readiness.value != member.readiness:
        member.readiness = body.readiness.value
        record("readiness", readiness=member.readiness)
    if body.nine_box is not None:
        record("placement", nine_box=body.nine_box)
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
    if deciding:
        await nominations.publish_decided(session, member)
        await nominations.decided(session, member, pool=pool.name)
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


def _own_nomination(principal: Principal, member: TalentPoolMember) -> bool:
    """The nominee never decides their nomination, on any path (the engine's, HR's task,
    an organization's chain); an HR admin who nominated someone else may."""
    return member.status == MemberStatus.NOMINATED and principal.employee_id == member.employee_id


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


def _check_transition(member: TalentPoolMember, status: MemberStatus) -> None:
    if member.status == MemberStatus.NOMINATED and status == MemberStatus.REMOVED:
        raise Conflict(_("A nomination is rejected (status rejected, with a reason), not removed"))
    if MemberStatus(member.status) not in TRANSITIONS[status]:
        raise Conflict(
            _(
                "A {status} member cannot become {status_value}",
                status=label(member.status),
                status_value=label(status.value),
            )
        )


def _transition(member: TalentPoolMember, status: MemberStatus, now: datetime) -> None:
    _check_transition(member, status)
    member.status = status.value
    if status == MemberStatus.ACTIVE:
        member.activated_at = now
    else:
        member.ended_at = now


# --- for programs --------------------------------------------------------------------------


async def active_member_ids(
    session: AsyncSession, org_id: uuid.UUID, pool_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these employees are active members of the pool, in one query."""
    statement = repository.members_query(
        org_id, pool_id, status=MemberStatus.ACTIVE.value, employee_ids=None
    ).where(TalentPoolMember.employee_id.in_(list(employee_ids)))
    return {member.employee_id for member in await session.scalars(statement)}


async def active_pools_of(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Ref]]:
    """The pools each of these employees is an active member of, by name, in one query
    (competencies' stretch matching asks through its `PoolMembershipProvider`)."""
    pools: dict[uuid.UUID, list[Ref]] = {}
    for employee_id, pool_id, name in await repository.active_pools_of(
        session, org_id, employee_ids
    ):
        pools.setdefault(employee_id, []).append(Ref(id=pool_id, name=name))
    return pools


async def members_of_any_pool(session: AsyncSession, org_id: uuid.UUID) -> list[uuid.UUID]:
    """The employees `active_pools_of` names any pool for, without asking about each: a
    ranking over a whole organization scores the pool factor in its own statement."""
    return await repository.members_of_any_pool(session, org_id)


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
    now = clock.now()
    record = functools.partial(
        history.record,
        session,
        member,
        source=ChangeSource.PROGRAM,
        by=actor.user_id,
        at=now,
        reason=reason,
    )
    if readiness is not None and readiness.value != member.readiness:
        member.readiness = readiness.value
        record("readiness", readiness=member.readiness)
    if remove:
        _transition(member, MemberStatus.REMOVED, now)
        record("status", status=member.status)
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


# --- leaving the company ------------------------------------------------------------------


async def end_memberships_of_leaver(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, clock: Clock
) -> int:
    """Mark the open memberships of an employee who left as `left` (idempotent)."""
    members = await repository.open_members_of_employee(session, org_id, employee_id)
    if not members:
        return 0
    now = clock.now()
    await repository.end_memberships(
        session, [m.id for m in members], status=MemberStatus.LEFT.value, at=now
    )
    nominated = [m for m in members if m.status == MemberStatus.NOMINATED]
    await approving.cancel(session, org_id, nominated, clock)
    for member in members:
        history.record(
            session,
            member,
            "status",
            source=ChangeSource.SYSTEM,
            by=None,
            at=now,
            reason=None,
            status=MemberStatus.LEFT.value,
        )
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
