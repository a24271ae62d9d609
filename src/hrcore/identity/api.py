"""What other domains may call of identity besides authentication (which routers get from
`identity.dependencies`, identity's published HTTP dependencies): the organization's settings
and names, whose accounts belong to which employees, links to users (`user_refs`), who the
HR admins are, the language each reader gets, and the loop a cron runs once per organization.
Everything answers with plain values.

`Directory` is what identity asks of people and org (`create_app` provides their api
modules), so identity never imports the domains above it."""

from __future__ import annotations

from hrcore.identity.directory import Directory
from hrcore.identity.locales import employee_locales, reader_locales
from hrcore.identity.service import (
    department_head_employee_ids,
    employee_ids_for_users,
    for_each_organization,
    hr_admin_user_ids,
    org_id_by_slug,
    org_locale,
    org_name,
    org_slug,
    org_timezone,
    organization_ids,
    principal_for_user,
    user_ids_for_employees,
    user_refs,
)

__all__ = [
    "Directory",
    "department_head_employee_ids",
    "employee_ids_for_users",
    "employee_locales",
    "for_each_organization",
    "hr_admin_user_ids",
    "org_id_by_slug",
    "org_locale",
    "org_name",
    "org_slug",
    "org_timezone",
    "organization_ids",
    "principal_for_user",
    "reader_locales",
    "user_ids_for_employees",
    "user_refs",
]
