"""What every domain holding personal data plugs into privacy (PIPL Art. 28–29, 44–45).

Privacy sits above every domain, so a domain cannot import it. Two hooks, filled in the
registries (`core.registry.Hook`), keep the dependency pointing down:

- `PersonalDataSection(name, read)`: a domain's part of a person's own-data export ("my
  data"): `read(session, org_id, employee_id)` answers plain JSON-able data about the
  employee — what the person may see of it, never another person's identity where the domain
  keeps it confidential (a rater's). Privacy's export lists every declared section.
- `ConsentCheck(check)`: privacy declares the one check; a domain about to process data that
  needs a separate consent calls `require_consent(session, org_id, employee_id, purpose)`,
  which raises `ConsentRequired` (403 `consent-required`) without it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

SENSITIVE_DATA = "sensitive_data"
"""The purpose of processing sensitive personal information (Art. 28–29)."""
CROSS_BORDER_TRANSFER = "cross_border_transfer"
"""The purpose of transferring personal information abroad (Art. 39)."""
PURPOSES = (SENSITIVE_DATA, CROSS_BORDER_TRANSFER)

SectionReader = Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[Any]]
ConsentChecker = Callable[[AsyncSession, uuid.UUID, uuid.UUID, str], Awaitable[None]]


@dataclass(frozen=True)
class PersonalDataSection:
    """A domain's section of a person's export, named `name` in it."""

    name: str
    read: SectionReader

    def install(self) -> None:
        _SECTIONS[self.name] = self


@dataclass(frozen=True)
class ConsentCheck:
    """The check `require_consent` runs (privacy's)."""

    check: ConsentChecker

    def install(self) -> None:
        _CHECKS["consent"] = self


_SECTIONS: dict[str, PersonalDataSection] = {}
_CHECKS: dict[str, ConsentCheck] = {}


def sections() -> list[PersonalDataSection]:
    """The declared sections, by name."""
    return [_SECTIONS[name] for name in sorted(_SECTIONS)]


async def require_consent(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, purpose: str
) -> None:
    """Refuse (`ConsentRequired`) processing the employee's data for `purpose` without their
    consent in force; a process built without privacy has no check installed and refuses
    nothing (the CLI's tools)."""
    installed = _CHECKS.get("consent")
    if installed is not None:
        await installed.check(session, org_id, employee_id, purpose)
