"""What other domains may call of org: ids in request bodies checked, names and tree paths
of departments and positions, subtrees and job families to embed in their queries, the
lookups an import resolves codes with, and the DingTalk directory's department sync.

Two of these still hand over SQLAlchemy (`subtree_ids`, `positions_in_families` return
sub-selects) and two return ORM rows (`require_department`, `require_position`); they are
kept as they were until callers move to plain data."""

from __future__ import annotations

from hrcore.org.directory import (
    apply_directory_department,
    department_ids_for_dingtalk,
    remove_directory_department,
)
from hrcore.org.references import (
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
    "apply_directory_department",
    "department_ids_for_dingtalk",
    "department_lookup",
    "department_paths",
    "department_ref",
    "department_refs",
    "position_families",
    "position_lookup",
    "position_refs",
    "positions_in_families",
    "remove_directory_department",
    "require_department",
    "require_position",
    "subtree_ids",
]
