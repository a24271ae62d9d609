"""What other domains may call of org, all in plain data: ids in request bodies checked
(`require_department` → `Ref`, `require_position` → `PositionInfo`; 422 when unknown), links,
tree paths, the named queries `subtree_ids` (a department subtree's ids) and
`positions_in_families`, the lookups an import resolves codes with, and the DingTalk
directory's department sync."""

from __future__ import annotations

from hrcore.org.directory import (
    apply_directory_department,
    department_ids_for_dingtalk,
    dingtalk_dept_ids,
    remove_directory_department,
)
from hrcore.org.references import (
    PositionInfo,
    department_lookup,
    department_paths,
    department_ref,
    department_refs,
    position_families,
    position_lookup,
    position_refs,
    positions_in_families,
    require_department,
    require_position,
    subtree_ids,
)

__all__ = [
    "PositionInfo",
    "apply_directory_department",
    "department_ids_for_dingtalk",
    "department_lookup",
    "department_paths",
    "department_ref",
    "department_refs",
    "dingtalk_dept_ids",
    "position_families",
    "position_lookup",
    "position_refs",
    "positions_in_families",
    "remove_directory_department",
    "require_department",
    "require_position",
    "subtree_ids",
]
