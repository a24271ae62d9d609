"""What other domains may call of org, all in plain data: ids in request bodies checked
(`require_department` → `Ref`, `require_position` → `PositionInfo`; 422 when unknown), links,
tree paths, the named queries `subtree_ids` (a department subtree's ids) and
`positions_in_families`, the lookups an import resolves codes with, and the DingTalk
directory's department sync; for position descriptions, the hook approvals provides
(`DescriptionApprovals`, with `DraftFacts` and `DraftApproval`) and the act its kind runs
when a draft's approval completes (`apply_approved_description`)."""

from __future__ import annotations

from hrcore.org.approval_hook import DescriptionApprovals, DraftApproval, DraftFacts
from hrcore.org.descriptions import apply_approved as apply_approved_description
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
    "DescriptionApprovals",
    "DraftApproval",
    "DraftFacts",
    "PositionInfo",
    "apply_approved_description",
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
