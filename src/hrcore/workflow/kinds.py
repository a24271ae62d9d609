"""The task kinds: what each one is completed by and what its submission needs.

Workflow sits below the domains that create tasks, so it cannot name their kinds: each
domain declares its own (`TaskKindSpec` in its registry's `task_hooks`), installed when a
process is built. A task of an undeclared kind is refused at creation (a programming error:
its client could not learn how to complete it), and the OpenAPI document lists the declared
kinds as the enum of `TaskOut.kind`. Everything a task shows of its kind is computed from
these declarations and the task's own row, so lists cost no statement more.
"""

from __future__ import annotations

import string
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class Operation:
    """The operation that completes a task of a kind (its OpenAPI operation id, method and
    path under /api/v1). Path parameters are filled from the task: `task_id` with its id,
    `subject_param` with its subject's id, any other from the parameters its creator gave."""

    operation_id: str
    method: str
    path: str
    subject_param: str | None = None

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(name for _, name, _, _ in string.Formatter().parse(self.path) if name)


COMPLETE_TASK = Operation("complete_task", "POST", "/tasks/{task_id}/complete")
"""The generic completion: the assignee completes the task itself, with its submission."""


@dataclass(frozen=True)
class Requirement:
    """What a submission must hold; `required` False: it may be left out."""

    required: bool = False
    min_text_length: int = 0
    min_links: int = 0
    min_attachments: int = 0

    def at_least(self, other: Requirement) -> Requirement:
        """The stricter of both, field by field (a stage's rule over its kind's floor)."""
        return Requirement(
            self.required or other.required,
            max(self.min_text_length, other.min_text_length),
            max(self.min_links, other.min_links),
            max(self.min_attachments, other.min_attachments),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "required": self.required,
            "min_text_length": self.min_text_length,
            "min_links": self.min_links,
            "min_attachments": self.min_attachments,
        }


REPORT = Requirement(required=True, min_text_length=1)
"""A written report (「心得」, a customer-visit report): never closed with an empty text."""


@dataclass(frozen=True)
class TaskKindSpec:
    """A domain's declaration of one task kind. `submission` None: the task takes no
    submission (another operation completes it); else the floor every task of the kind
    keeps, whatever rule its creator adds."""

    kind: str
    completed_by: Operation = COMPLETE_TASK
    submission: Requirement | None = Requirement()

    def install(self) -> None:
        _KINDS[self.kind] = self


_KINDS: dict[str, TaskKindSpec] = {}


def declared() -> list[str]:
    return sorted(_KINDS)


def require_declared(kind: str) -> TaskKindSpec:
    spec = _KINDS.get(kind)
    if spec is None:
        raise LookupError(
            f"task kind {kind!r} is not declared: add a workflow.api.TaskKindSpec to the "
            "owning domain's task_hooks"
        )
    return spec


def effective_rule(
    kind: str, required: bool, rule: Requirement | None = None
) -> Requirement | None:
    """The rule a new task keeps: its creator's (and `required`) over its kind's floor."""
    spec = require_declared(kind)
    if spec.submission is None:
        return None
    floor = spec.submission.at_least(Requirement(required=required))
    return floor.at_least(rule) if rule is not None else floor


def check_params(kind: str, params: Mapping[str, str] | None) -> None:
    """Every path parameter of the completing operation has a value (a programming error
    otherwise: the task would show a path nobody can call)."""
    by = require_declared(kind).completed_by
    given = {"task_id", *(params or {}), *([by.subject_param] if by.subject_param else [])}
    missing = [name for name in by.parameters if name not in given]
    if missing:
        raise LookupError(f"task kind {kind!r} needs completion_params {missing}")


def rule_json(kind: str, required: bool, stored: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The rule a task shows: the one stored at creation, else (tasks created before rules
    were stored, or of a kind nobody declares any more) what its kind and flag say."""
    if stored is not None:
        return dict(stored)
    spec = _KINDS.get(kind)
    if spec is None:
        return Requirement(required=required).as_json()
    if spec.submission is None:
        return None
    return spec.submission.at_least(Requirement(required=required)).as_json()


def completion_json(
    kind: str,
    task_id: uuid.UUID,
    subject_id: uuid.UUID,
    params: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """How a task is completed, from its kind's declaration: the operation and its path
    with the task's values (no statement: string work only)."""
    spec = _KINDS.get(kind)
    by = spec.completed_by if spec is not None else COMPLETE_TASK
    values = dict(params or {})
    values["task_id"] = str(task_id)
    if by.subject_param is not None:
        values[by.subject_param] = str(subject_id)
    return {
        "operation_id": by.operation_id,
        "method": by.method,
        "path": API_PREFIX + by.path.format_map(values),
    }


class DeclaredKind(str):
    """A kind in a schema: the OpenAPI document lists the declared kinds as its enum (read
    when the document is generated, after the domains declared theirs)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> CoreSchema:
        return core_schema.str_schema()

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "enum": declared(), "title": "Task kind"}
