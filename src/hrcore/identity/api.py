"""What other domains may call of identity besides authentication (which routers get from
`identity.dependencies`, identity's published HTTP dependencies): the organization's settings
and names, whose accounts belong to which employees, links to users (`user_refs`), who the
HR admins and department heads are, the language each reader gets, and the loop a cron runs
once per organization. Everything answers with plain values.

Sign-in through another identity provider (integrations' DingTalk 「免登」):
`external_login` with an `ExternalProvider` (read its settings, ask it with no transaction
open, map its answer to an `ExternalIdentity`; `SignInRefused` is a 401,
`SignInUnavailable` a 503); it answers the same `TokenPair` as the password login, with
`Services` from `identity.dependencies.IdentityServices`.

`Directory` is what identity asks of people and org (`create_app` provides their api
modules), so identity never imports the domains above it."""

from __future__ import annotations

from hrcore.identity.auth import Services
from hrcore.identity.directory import Directory
from hrcore.identity.external import (
    Exchange,
    ExternalIdentity,
    ExternalProvider,
    SignInRefused,
    SignInUnavailable,
    external_login,
)
from hrcore.identity.locales import employee_locales, reader_locales
from hrcore.identity.schemas import TokenPair
from hrcore.identity.service import (
    department_heads,
    employee_ids_for_users,
    end_sessions_of_employee,
    for_each_organization,
    hr_admin_user_ids,
    link_org_slug,
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
    "Exchange",
    "ExternalIdentity",
    "ExternalProvider",
    "Services",
    "SignInRefused",
    "SignInUnavailable",
    "TokenPair",
    "department_heads",
    "employee_ids_for_users",
    "employee_locales",
    "end_sessions_of_employee",
    "external_login",
    "for_each_organization",
    "hr_admin_user_ids",
    "link_org_slug",
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
