"""Talent pools: a reserve for a target position or family, with its screening rules.

Every user of the organization reads pools (employees nominate themselves); HR admins
create and change them, audited. The rules are data (`Rule`), stored as JSON.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.references import refs_by_ids
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.talent import access, repository
from hrcore.talent.models import TalentPool
from hrcore.talent.schemas import RULES, TalentPoolIn, TalentPoolOut, TalentPoolPatch


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
    access.require_reader(principal)
    statement = repository.pools_query(principal.org_id, active=active)
    return await paginate(session, statement, [TalentPool.id], page)


async def get_pool(session: AsyncSession, principal: Principal, pool_id: uuid.UUID) -> TalentPool:
    return await access.readable_pool(session, principal, pool_id)


async def _require_free_name(
    session: AsyncSession, org_id: uuid.UUID, name: str, pool_id: uuid.UUID | None = None
) -> None:
    existing = await repository.pool_by_name(session, org_id, name)
    if existing is not None and existing.id != pool_id:
        raise Conflict(_("A talent pool named '{name}' exists", name=name))


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
    pool = await access.readable_pool(session, principal, pool_id)
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


async def require_pool(
    session: AsyncSession, org_id: uuid.UUID, pool_id: uuid.UUID, field: str = "pool_id"
) -> None:
    """A pool another domain's request body names (programs' runs): 422 when it is not in
    this organization."""
    if await repository.pool_by_id(session, org_id, pool_id) is None:
        raise Unprocessable(
            _("Unknown talent pool"), errors=[FieldError(field=field, message=_("no such pool"))]
        )


async def pool_target_position(
    session: AsyncSession, org_id: uuid.UUID, pool_id: uuid.UUID
) -> uuid.UUID | None:
    """The position a pool prepares people for (None for a job family's pool or an unknown
    pool): the program dossier measures competencies against its model."""
    pool = await repository.pool_by_id(session, org_id, pool_id)
    return pool.target_position_id if pool else None


async def pool_refs(
    session: AsyncSession, org_id: uuid.UUID, pool_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Ref]:
    """Links to many pools in one query (another domain's lists: programs' runs)."""
    return await refs_by_ids(session, TalentPool.name, org_id, pool_ids)
