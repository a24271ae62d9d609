"""Request and response models of inbound integrations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from hrcore.core.i18n import _
from hrcore.integrations import dingtalk_crypto
from hrcore.integrations.models import EventStatus

ProcessCode = Annotated[
    str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._-]+$")
]


class DingTalkIntegrationIn(BaseModel):
    """The callback registration made in the DingTalk developer console.

    `token` and `aes_key` are write-only: required the first time, kept when omitted later.
    """

    receiver_id: str = Field(
        min_length=1,
        max_length=128,
        description="The corp id (or app key / suite key) the callback is registered for: "
        "DingTalk appends it to every encrypted message.",
    )
    token: str | None = Field(
        default=None, min_length=1, max_length=128, description="The callback signing token."
    )
    aes_key: str | None = Field(
        default=None,
        min_length=43,
        max_length=43,
        description="The 43-character EncodingAESKey.",
    )
    app_key: str | None = Field(
        default=None,
        min_length=1,
        max_length=128,
        description="AppKey of an app with contact (address book) read permission: the worker "
        "reads the people and departments behind directory events with it. Kept when omitted.",
    )
    app_secret: str | None = Field(
        default=None,
        min_length=1,
        max_length=256,
        description="The app's AppSecret (write-only). Kept when omitted.",
    )
    active: bool = True
    approval_processes: dict[str, ProcessCode] | None = Field(
        default=None,
        max_length=50,
        description="Approval kind → DingTalk process code (`PROC-…`): approvals of a mapped "
        "kind run in DingTalk's approval app instead of hrcore's chain (needs the app key and "
        "secret). Replaced as a whole when given, kept when omitted; `{}` maps none.",
    )

    @field_validator("aes_key")
    @classmethod
    def _aes_key_decodes(cls, value: str | None) -> str | None:
        if value is not None and not dingtalk_crypto.valid_aes_key(value):
            raise ValueError(_("not a valid 43-character Base64 EncodingAESKey"))
        return value


class DingTalkIntegrationOut(BaseModel):
    """The registration; the token and AES key are never returned."""

    receiver_id: str
    active: bool
    callback_path: str = Field(
        description="Register this path (on the API's public host) as the callback URL."
    )
    token_set: bool
    aes_key_set: bool
    app_key: str | None
    app_secret_set: bool
    approval_processes: dict[str, str]
    created_at: datetime
    updated_at: datetime
    version: int


class DingTalkCallback(BaseModel):
    encrypt: str = Field(min_length=1, description="Base64 of the AES-encrypted event.")


class DingTalkReply(BaseModel):
    """The encrypted `success` DingTalk expects within 1.5 s."""

    model_config = ConfigDict(populate_by_name=True)

    msg_signature: str
    time_stamp: str = Field(alias="timeStamp")
    nonce: str
    encrypt: str


class DingTalkEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    event_type: str
    payload: dict[str, Any]
    status: EventStatus
    received_at: datetime
    applied_at: datetime | None
    error: str | None


NoSpaces = r"^\S+$"


class DingTalkAppIn(BaseModel):
    """The enterprise-internal app people open hrcore in (its H5 micro-app) and sign in
    through 「免登」. It is the same app as the integration's `app_key`: one app reads the
    directory, starts approvals and signs people in. `app_secret` is write-only: required
    while none is set, kept when omitted."""

    corp_id: str = Field(
        min_length=1,
        max_length=64,
        pattern=NoSpaces,
        description="The organization's DingTalk CorpId (`ding…`): only its people sign in.",
    )
    agent_id: int = Field(ge=1, le=2**63 - 1, description="The micro-app's AgentId.")
    app_key: str = Field(min_length=1, max_length=128, pattern=NoSpaces, description="AppKey.")
    app_secret: str | None = Field(
        default=None,
        min_length=1,
        max_length=256,
        pattern=NoSpaces,
        description="AppSecret (write-only; kept when omitted).",
    )
    sign_in_enabled: bool = Field(
        default=True, description="Whether `POST /auth/dingtalk` accepts this app's auth codes."
    )
    version: int | None = Field(
        default=None, description="The version read; a stale one answers 409 (or `If-Match`)."
    )


class DingTalkAppOut(BaseModel):
    """The micro-app's settings; the secret is never returned, only whether it is set."""

    corp_id: str | None
    agent_id: int | None
    app_key: str | None
    app_secret_set: bool
    sign_in_enabled: bool
    sign_in_ready: bool = Field(
        description="True when people can sign in: enabled, with corp id, app key and secret."
    )
    sign_in_path: str = Field(description="Where the micro-app posts its auth code.")
    updated_at: datetime
    version: int


class DingTalkSignIn(BaseModel):
    """An auth code the DingTalk client handed the micro-app (`dd.getAuthCode` /
    `dd.runtime.permission.requestAuthCode` with the organization's corp id)."""

    org: str = Field(min_length=1, max_length=63, description="Organization slug.")
    code: str = Field(
        min_length=1, max_length=256, pattern=NoSpaces, description="The temporary auth code."
    )
    corp_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=NoSpaces,
        description="The corp id the client runs in (`dd.corpId`); another organization's "
        "is refused before DingTalk is asked.",
    )
