"""What other domains and the composition roots (`seed`, `cli`, `worker`) may call in
people. Everything else in the package is internal.

- Reach (`access`): `visible_employee_ids`, `own_employee_ids`,
  `ensure_can_view`, `ensure_can_manage` — every domain gets the same answers.
- References and summaries (`references`): `require_employee`, `employee_ref`,
  `employee_summaries` / `EmployeeSummary`, `employee_names`.
- Reporting lines (`reporting_lines`): `managers_of`, `teams_of` / `Team`,
  `active_employees_in_subtree`; the list's selection (`matching_employee_ids` with
  `EmployeeFilters`).
- Employment events (`employment_events`): `EMPLOYMENT_EVENT_RECORDED`, `add_event`,
  `employment_event`, `vacated_post` / `VacatedPost`.
- `org_today`: today's date where the organization is (`profile`).
- DingTalk directory sync (`directory_sync`): `DirectoryUser`, `apply_directory_user`,
  `mark_left`; channel contacts (`contacts`): `dingtalk_contacts` / `DingTalkContact`.
- Screening facts for talent pools (`screening`): `screening_facts` / `ScreeningFacts`.
- Bulk import (`bulk_import`): `check_import`, `import_employees`, `RowError`.
- `Employee`: the ORM model, still handed to callers by `ensure_can_view` and
  `require_employee` (to become plain data).
"""

from __future__ import annotations

from hrcore.people.access import (
    ensure_can_manage,
    ensure_can_view,
    own_employee_ids,
    visible_employee_ids,
)
from hrcore.people.bulk_import import RowError, check_import, import_employees
from hrcore.people.contacts import DingTalkContact, dingtalk_contacts
from hrcore.people.directory_sync import DirectoryUser, apply_directory_user, mark_left
from hrcore.people.employees import EmployeeFilters, matching_employee_ids
from hrcore.people.employment_events import (
    EMPLOYMENT_EVENT_RECORDED,
    VacatedPost,
    add_event,
    employment_event,
    vacated_post,
)
from hrcore.people.models import Employee
from hrcore.people.profile import org_today
from hrcore.people.references import (
    EmployeeSummary,
    employee_names,
    employee_ref,
    employee_summaries,
    require_employee,
)
from hrcore.people.reporting_lines import Team, active_employees_in_subtree, managers_of, teams_of
from hrcore.people.schemas import (
    EmployeeCreate,
    EmployeeImport,
    EmploymentEventCreate,
    PerformanceRatingCreate,
)
from hrcore.people.screening import ScreeningFacts, screening_facts

__all__ = [
    "EMPLOYMENT_EVENT_RECORDED",
    "DingTalkContact",
    "DirectoryUser",
    "Employee",
    "EmployeeCreate",
    "EmployeeFilters",
    "EmployeeImport",
    "EmployeeSummary",
    "EmploymentEventCreate",
    "PerformanceRatingCreate",
    "RowError",
    "ScreeningFacts",
    "Team",
    "VacatedPost",
    "active_employees_in_subtree",
    "add_event",
    "apply_directory_user",
    "check_import",
    "dingtalk_contacts",
    "employee_names",
    "employee_ref",
    "employee_summaries",
    "employment_event",
    "ensure_can_manage",
    "ensure_can_view",
    "import_employees",
    "managers_of",
    "mark_left",
    "matching_employee_ids",
    "org_today",
    "own_employee_ids",
    "require_employee",
    "screening_facts",
    "teams_of",
    "vacated_post",
    "visible_employee_ids",
]
