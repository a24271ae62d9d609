"""Competency models per position 「岗位能力模型」: what a position (or its variant in one
department) needs — a required level and a weight per competency. A change is a new version;
every version stays readable, so a gap or a profile can say what it was measured against."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import model_uses, repository
from hrcore.competencies.models import CompetencyModel
from hrcore.competencies.schemas import CompetencyModelIn, CompetencyModelOut
from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.schemas import Ref
from hrcore.org import api as org


async def _post(
    session: AsyncSession,
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    department_id: uuid.UUID | None,
) -> tuple[Ref, Ref | None]:
    """The position and department named in the path or query, else 404."""
    position = (await org.position_refs(session, org_id, [position_id])).get(position_id)
    if position is None:
        raise NotFound(_("No such position"))
    if department_id is None:
        return position, None
    department = await org.department_ref(session, org_id, department_id)
    if department is None:
        raise NotFound(_("No such department"))
    return position, department


async def _check_entries(
    session: AsyncSession, org_id: uuid.UUID, body: CompetencyModelIn
) -> dict[uuid.UUID, tuple[str, int]]:
    """404 for a competency the organization does not have; 422 naming the field for a
    repeated competency, a level the competency does not have, or weights not summing to 100."""
    ids = [entry.competency_id for entry in body.entries]
    known = await repository.competency_levels(session, org_id, ids)
    if any(competency_id not in known for competency_id in ids):
        raise NotFound(_("No such competency"))
    errors: list[FieldError] = []
    seen: set[uuid.UUID] = set()
    for index, entry in enumerate(body.entries):
        if entry.competency_id in seen:
            message = _("the competency is already in the model")
            errors.append(FieldError(field=f"entries.{index}.competency_id", message=message))
        seen.add(entry.competency_id)
        levels = known[entry.competency_id][1]
        if entry.required_level > levels:
            message = _("the competency has levels 1 to {levels}", levels=levels)
            errors.append(FieldError(field=f"entries.{index}.required_level", message=message))
    total = sum(entry.weight for entry in body.entries)
    if total != 100:
        message = _("the weights sum to {total}, not 100", total=total)
        errors.append(FieldError(field="entries", message=message))
    if errors:
        raise Unprocessable(_("The competency model is not valid"), errors=errors)
    return known


def _view(
    row: Any, position: Ref, department: Ref | None, names: dict[uuid.UUID, tuple[str, int]]
) -> CompetencyModelOut:
    entries = [
        {
            "competency_id": entry["competency_id"],
            "competency": {"id": entry["competency_id"], "name": names[cid][0]},
            "required_level": entry["required_level"],
            "weight": entry["weight"],
            "levels": names[cid][1],
        }
        for entry in row["entries"]
        if (cid := uuid.UUID(entry["competency_id"])) in names
    ]
    return CompetencyModelOut.model_validate(
        {
            "position_id": row["position_id"],
            "position": position,
            "department_id": row["department_id"],
            "department": department if row["department_id"] is not None else None,
            "version": row["version"],
            "entries": entries,
            "created_at": row["created_at"],
        }
    )


async def read_model(
    session: AsyncSession,
    principal: Principal,
    position_id: uuid.UUID,
    department_id: uuid.UUID | None,
    version: int | None,
) -> CompetencyModelOut:
    """The department's variant when it has one, else the position's general model; the
    newest version unless `version` names an older one."""
    position, department = await _post(session, principal.org_id, position_id, department_id)
    row = await repository.model_row(session, principal.org_id, position_id, department_id, version)
    if row is None:
        raise NotFound(_("No competency model for this position"))
    ids = [uuid.UUID(entry["competency_id"]) for entry in row["entries"]]
    names = await repository.competency_levels(session, principal.org_id, ids)
    return _view(row, position, department, names)


async def replace_model(
    session: AsyncSession,
    principal: Principal,
    position_id: uuid.UUID,
    department_id: uuid.UUID | None,
    body: CompetencyModelIn,
    *,
    if_match: str | None,
) -> CompetencyModelOut:
    """Save the entries as the variant's next version (HR admins; audited)."""
    require_hr_admin(principal)
    org_id = principal.org_id
    position, department = await _post(session, org_id, position_id, department_id)
    await repository.lock_model_variant(session, position_id, department_id)
    current = await repository.latest_version(session, org_id, position_id, department_id)
    check_version(current, if_match=if_match, body_version=body.version)
    names = await _check_entries(session, org_id, body)
    entries = [entry.model_dump(mode="json") for entry in body.entries]
    model = CompetencyModel(
        org_id=org_id,
        position_id=position_id,
        department_id=department_id,
        version=current + 1,
        entries=entries,
        created_by=principal.user_id,
    )
    session.add(model)
    await session.flush()
    await session.refresh(model, ["created_at"])
    audit.record(
        session,
        principal,
        "competency_model.versioned",
        "position",
        position_id,
        org_id=org_id,
        after={"department_id": str(department_id) if department_id else None}
        | {"version": model.version, "entries": entries},
    )
    row = {
        "position_id": position_id,
        "department_id": department_id,
        "version": model.version,
        "entries": entries,
        "created_at": model.created_at,
    }
    return _view(row, position, department, names)


async def delete_version(
    session: AsyncSession,
    principal: Principal,
    position_id: uuid.UUID,
    department_id: uuid.UUID | None,
    version: int,
) -> None:
    """Delete one version of the general model or of a department's variant (HR admins;
    audited): 404 when it does not exist, 409 naming every use when something goes by it (a
    talent pool aiming at the position uses the newest version). Deleting the newest makes
    the one before it the model readers get."""
    require_hr_admin(principal)
    org_id = principal.org_id
    await _post(session, org_id, position_id, department_id)
    await repository.lock_model_variant(session, position_id, department_id)
    newest = await repository.latest_version(session, org_id, position_id, department_id)
    if not await repository.delete_version(session, org_id, position_id, department_id, version):
        raise NotFound(_("No such version of the competency model"))
    found = await model_uses.uses(
        session, org_id, position_id, department_id, version, current=version == newest
    )
    if found:  # the refusal rolls the deletion back with the request's transaction
        raise Conflict(
            _("Version {version} of the competency model is in use", version=version),
            errors=[
                FieldError(field="version", message=_(what, names=", ".join(names)))
                for what, names in found.items()
            ],
        )
    audit.record(
        session,
        principal,
        "competency_model.version_deleted",
        "position",
        position_id,
        org_id=org_id,
        before={"department_id": str(department_id) if department_id else None}
        | {"version": version},
    )
