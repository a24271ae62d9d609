"""Request and response models of authentication, accounts and integration keys."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from hrcore.core.authz import Role, Scope
from hrcore.core.i18n import _
from hrcore.core.schemas import Ref

MIN_PASSWORD = 10


class TokenRequest(BaseModel):
    org: str = Field(min_length=1, max_length=63, description="Organization slug.")
    email: EmailStr
    password: str = Field(min_length=1, max_length=200)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=300)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105
    expires_in: int = Field(description="Access token lifetime in seconds.")
    must_change_password: bool = Field(
        description="True after a one-time password: only /me and /auth/password work until "
        "the password is changed. Never for a session DingTalk signed in: the person did not "
        "type that password."
    )


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=MIN_PASSWORD, max_length=200)


class OrgOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    slug: str
    name: str
    timezone: str
    locale: str


class MyEmployee(Ref):
    """The caller's employee: `full_name` is a person's name everywhere (`EmployeeOut`);
    `name` is what every link (`Ref`) calls the object it points at, kept for compatibility."""

    name: str = Field(
        description="Deprecated: the same as `full_name`, which new clients read.",
        json_schema_extra={"deprecated": True},
    )
    full_name: str


class MeOut(BaseModel):
    user_id: uuid.UUID
    email: str
    display_name: str
    roles: list[Role]
    org: OrgOut
    employee: MyEmployee | None
    department_scope: Ref | None
    must_change_password: bool
    locale: str | None = Field(
        default=None, description="The language the user chose (`PUT /me/locale`); null: none."
    )


class LocaleChoice(BaseModel):
    locale: str | None = Field(
        description="`zh-CN` or `en`; null follows `Accept-Language`, then the organization."
    )


class UserCreate(BaseModel):
    email: EmailStr
    display_name: str = Field(min_length=1, max_length=200)
    roles: list[Role] = Field(default_factory=lambda: [Role.EMPLOYEE], min_length=1)
    employee_id: uuid.UUID | None = None
    department_scope_id: uuid.UUID | None = Field(
        default=None, description="Root of the subtree a department head sees."
    )

    @field_validator("roles")
    @classmethod
    def _unique(cls, roles: list[Role]) -> list[Role]:
        return sorted(set(roles))


class UserPatch(BaseModel):
    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    roles: list[Role] | None = Field(default=None, min_length=1)
    employee_id: uuid.UUID | None = None
    department_scope_id: uuid.UUID | None = None
    is_active: bool | None = None
    version: int | None = Field(default=None, description="The version you read (or If-Match).")


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    display_name: str
    roles: list[Role]
    employee_id: uuid.UUID | None
    employee: Ref | None = Field(description="The linked employee's name.")
    department_scope_id: uuid.UUID | None
    department_scope: Ref | None = Field(
        description="The scoped department's name (department heads)."
    )
    is_active: bool
    must_change_password: bool
    last_login_at: datetime | None
    created_at: datetime
    version: int


class UserCreated(UserOut):
    one_time_password: str = Field(description="Shown once; must be changed at first login.")


class ApiKeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    scopes: list[Scope] = Field(min_length=1)
    department_ids: list[uuid.UUID] | None = Field(
        default=None,
        min_length=1,
        max_length=50,
        description="Limit a `metrics:write` key to these department subtrees: observations "
        "of employees or departments outside them are refused per item. Left out: the whole "
        "organization.",
    )

    @model_validator(mode="after")
    def _scoped_metrics_only(self) -> ApiKeyCreate:
        if self.department_ids is not None and set(self.scopes) != {Scope.METRICS_WRITE}:
            raise ValueError(
                _("only a key whose one scope is metrics:write can be limited to departments")
            )
        return self


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[Scope]
    department_ids: list[uuid.UUID] | None = Field(
        description="The department subtrees the key is limited to (null: the organization)."
    )
    department_scope: list[Ref] | None = Field(
        default=None, description="Those departments, named (a deleted one is left out)."
    )
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="Shown once. Send as `Authorization: Bearer <key>`.")


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    actor_kind: str
    actor_id: uuid.UUID | None
    actor: Ref | None = Field(
        description="Who acted: a user's display name or an integration key's name; null for "
        "the system.",
    )
    action: str
    object_type: str
    object_id: uuid.UUID
    before: dict[str, object] | None
    after: dict[str, object] | None
    request_id: str | None
    created_at: datetime
    seq: int = Field(description="The event's place in its organization's chain: 1, 2, … gapless.")
    hash: str = Field(
        description="sha256 of the previous event's hash and this event's fields "
        "(hex; the recipe: docs/privacy.md)."
    )
