"""Response shapes shared by every domain."""

from __future__ import annotations

import uuid

from pydantic import BaseModel


class Ref(BaseModel):
    """A link to another object: its id and a name to show."""

    id: uuid.UUID
    name: str
