"""Request and response models of consent: texts HR publishes and a person's consents."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from hrcore.core.personal_data import CROSS_BORDER_TRANSFER, SENSITIVE_DATA

ConsentTitle = Annotated[str, Field(min_length=1, max_length=200)]
ConsentBody = Annotated[str, Field(min_length=1, max_length=20_000)]


class ConsentPurpose(StrEnum):
    """What a consent allows: processing sensitive personal information (Art. 28–29) or
    transferring personal information abroad (Art. 39)."""

    SENSITIVE_DATA = SENSITIVE_DATA
    CROSS_BORDER_TRANSFER = CROSS_BORDER_TRANSFER


class ConsentTextIn(BaseModel):
    """A new version of the consent text of a purpose, in both languages."""

    model_config = ConfigDict(extra="forbid")

    purpose: ConsentPurpose
    title_zh: ConsentTitle
    title_en: ConsentTitle
    body_zh: ConsentBody
    body_en: ConsentBody


class ConsentTextOut(BaseModel):
    """One published version; `current` is the version a consent must be given to."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    purpose: ConsentPurpose
    text_version: int
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str
    published_at: datetime
    current: bool


class ConsentIn(BaseModel):
    """Consent to one text version (the current version of its purpose)."""

    model_config = ConfigDict(extra="forbid")

    text_id: uuid.UUID


class ConsentOut(BaseModel):
    """A consent given, in force until `withdrawn_at`; `title` in the reader's language."""

    id: uuid.UUID
    purpose: ConsentPurpose
    text_id: uuid.UUID
    text_version: int
    title: str
    given_at: datetime
    withdrawn_at: datetime | None
    in_force: bool
