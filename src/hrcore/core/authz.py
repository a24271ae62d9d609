"""Who is calling, and the checks every service shares.

Relationship rules (manager of, department head over) need data and live in the services
that own it; the role and scope checks here are the common vocabulary.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from hrcore.core.errors import Forbidden, NotFound
from hrcore.core.i18n import Text, _


class Role(StrEnum):
    HR_ADMIN = "hr_admin"
    DEPT_HEAD = "dept_head"
    EMPLOYEE = "employee"
    REVIEW_AUDITOR = "review_auditor"
    """With HR admin: may read reviews' individual (raw) answers; every read is audited."""
    SENSITIVE_READER = "sensitive_reader"
    """With HR admin: may read sensitive personal information unmasked when stating a purpose
    (`X-Purpose`; core.masking)."""


class Scope(StrEnum):
    """What an integration key may do. Each read scope names what it reads."""

    ORG_READ = "org:read"
    """The directory: departments, positions, employees (names, posts), non-review tasks."""
    PROFILES_READ = "profiles:read"
    """Employment history and panoramic profiles (ratings in them need `ratings:read` too)."""
    RATINGS_READ = "ratings:read"
    """How people are rated: performance ratings, review cycles and their results."""
    REVIEWS_READ = "reviews:read"
    """Review tasks (rater, nomination, appeal and result tasks) in task lists."""
    EMPLOYEES_WRITE = "employees:write"
    METRICS_WRITE = "metrics:write"
    TRAINING_WRITE = "training:write"
    """Online course progress from an LMS (`POST /xapi/statements`)."""
    SENSITIVE_READ = "sensitive:read"
    """Contact and sensitive personal information unmasked (ID numbers, personal phones)."""


@dataclass(frozen=True)
class Principal:
    """The caller of one request: a user or an integration key, always inside one org."""

    kind: Literal["user", "api_key"]
    id: uuid.UUID
    org_id: uuid.UUID
    employee_id: uuid.UUID | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    department_scope: uuid.UUID | None = None
    scopes: frozenset[Scope] = field(default_factory=frozenset)
    key_departments: frozenset[uuid.UUID] | None = None
    """An integration key's department subtrees (None: the whole organization)."""

    @property
    def is_hr_admin(self) -> bool:
        return Role.HR_ADMIN in self.roles

    @property
    def is_dept_head(self) -> bool:
        return Role.DEPT_HEAD in self.roles and self.department_scope is not None

    @property
    def may_read_raw_answers(self) -> bool:
        return self.is_hr_admin and Role.REVIEW_AUDITOR in self.roles

    @property
    def user_id(self) -> uuid.UUID | None:
        return self.id if self.kind == "user" else None

    def has_scope(self, scope: Scope) -> bool:
        return self.kind == "api_key" and scope in self.scopes

    def require_key_scope(self, scope: Scope | None) -> None:
        """Integration keys need `scope` (None: no key may); users pass."""
        if self.kind != "api_key":
            return
        if scope is None:
            raise Forbidden(_("Integration keys cannot read this"))
        if scope not in self.scopes:
            raise Forbidden(
                _("This integration key lacks the {scope_value} scope", scope_value=scope.value)
            )


def own_employee_id(principal: Principal) -> uuid.UUID:
    """The caller's employee record, for the `/me/…` reads and writes; 404 for an account
    not linked to one."""
    if principal.employee_id is None:
        raise NotFound(_("Your account is not linked to an employee"))
    return principal.employee_id


def require_hr_admin(principal: Principal, *, hide: bool = False) -> None:
    """HR-only actions: 403, or 404 when the object must stay invisible to the caller."""
    if not principal.is_hr_admin:
        raise NotFound() if hide else Forbidden(_("Only an HR admin may do this"))


def require_user(principal: Principal) -> None:
    if principal.kind != "user":
        raise Forbidden(_("This action needs a user, not an integration key"))


def require_hr_admin_user(principal: Principal) -> None:
    """Settings that hold secrets (webhooks, channels, integrations): an HR admin signed in
    as a user; an integration key is refused first, whatever its scopes."""
    require_user(principal)
    require_hr_admin(principal)


def require_hr_or_dept_head(principal: Principal, message: str | Text) -> None:
    """Reads for HR admins and department heads; `message` says what was refused (403)."""
    if not (principal.is_hr_admin or principal.is_dept_head):
        raise Forbidden(message)
