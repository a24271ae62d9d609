"""The HTTP routes of a template kind, built from its `TemplateRules` by one call.

Every kind has the same six: list, create, read and replace its templates (a new revision,
`ETag` and stale-version checks as everywhere), then list and read the stored revisions.
What differs between kinds is data: the path, the operation ids' noun, the schemas, the
summaries and the responses its reads document (`read_responses`, e.g. 403 where
non-readers are refused). The principal dependency comes from the caller, because `core`
does not import identity.

The endpoints are closures, so their parameter types are set on `__annotations__` before
FastAPI reads the signature; the rest of each signature is the ordinary one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, Protocol, TypeVar

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import IfMatch, Pagination
from hrcore.core.pagination import Page
from hrcore.core.responses import FORBIDDEN, NOT_FOUND, STALE, problem
from hrcore.core.templates import RevisionedTemplate, TemplateRevision, TemplateRules

T = TypeVar("T", bound=RevisionedTemplate)
Body = TypeVar("Body", bound=BaseModel)
RevisionNumber = Annotated[int, Path(ge=1, le=2**31 - 1, description="Counts from 1.")]


class Versioned(Protocol):
    """A replacement body: the whole content plus the version the client read."""

    version: int | None


@dataclass(frozen=True)
class Summaries:
    """The one-line summaries of the six routes, in the kind's own words."""

    list: str
    create: str
    get: str
    update: str
    list_revisions: str
    get_revision: str


@dataclass(frozen=True)
class TemplateRoutes(Generic[T, Body]):
    """What `add_template_routes` needs to know about a kind.

    `noun` makes the operation ids (`list_{noun}s`, `create_{noun}`, …, `get_{noun}_revision`);
    `patch` is `body` plus `version`; `output` and `revision` read the template row and
    a stored revision (`template_id`, `revision`, `created_at` and the content's fields).
    """

    path: str
    noun: str
    rules: TemplateRules[T, Body]
    body: type[Body]
    patch: type[Body]
    output: type[BaseModel]
    revision: type[BaseModel]
    principal: Any
    """The annotated dependency that gives the caller (`CurrentPrincipal`)."""
    summaries: Summaries
    read_responses: dict[int | str, dict[str, Any]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    """Descriptions replacing the shared ones, by route (`list`, `get`, …): a kind whose
    readers differ from the usual HR admins and department heads says so."""


def _typed(endpoint: Callable[..., Any], **types: Any) -> Callable[..., Any]:
    endpoint.__annotations__ = {**endpoint.__annotations__, **types}
    return endpoint


def add_template_routes(router: APIRouter, routes: TemplateRoutes[T, Body]) -> None:
    """Add the kind's routes to `router` in the document's order: list, create, get, update,
    list revisions, get a revision."""
    rules, output, revision_schema = routes.rules, routes.output, routes.revision
    templates_page = Page[output]  # type: ignore[valid-type]
    revisions_page = Page[revision_schema]  # type: ignore[valid-type]

    def view(template: T) -> Any:
        return output.model_validate(template, from_attributes=True)

    def revision_view(row: TemplateRevision) -> Any:
        kept = {"template_id": row.template_id, "revision": row.revision}
        return revision_schema.model_validate(kept | {"created_at": row.created_at} | row.content)

    async def list_templates(principal: Any, session: DbSession, page: Pagination) -> Any:
        """The organization's templates of this kind at their current revision, cursor-paginated.
        Read by HR admins and department heads (others 403)."""
        rows, cursor = await rules.list_templates(session, principal, page)
        return templates_page(items=[view(row) for row in rows], next_cursor=cursor)

    async def create_template(
        body: Any, principal: Any, session: DbSession, response: Response
    ) -> Any:
        """For HR admins. Creates a template at revision 1; its name must be unique in the
        organization (409) and its content pass the kind's checks (422 naming the field). Audited.
        """
        template = await rules.create_template(session, principal, body)
        set_etag(response, template.version)
        return view(template)

    async def get_template(
        template_id: uuid.UUID, principal: Any, session: DbSession, response: Response
    ) -> Any:
        """One template at its current revision, for HR admins and department heads. Its `ETag`
        serves `If-None-Match` polling and `If-Match` on the update."""
        template = await rules.readable(session, principal, template_id)
        set_etag(response, template.version)
        return view(template)

    async def update_template(
        template_id: uuid.UUID,
        body: Any,
        principal: Any,
        session: DbSession,
        response: Response,
        if_match: IfMatch = None,
    ) -> Any:
        """For HR admins. Replaces the whole content as a new revision (the previous one stays
        readable under `/revisions`); what already runs on a template keeps the revision it started
        on. Guarded by `If-Match` or a body `version` (412/409 when stale); audited."""
        versioned: Versioned = body
        template = await rules.update_template(
            session,
            principal,
            template_id,
            body,
            if_match=if_match,
            body_version=versioned.version,
        )
        set_etag(response, template.version)
        return view(template)

    async def list_revisions(
        template_id: uuid.UUID, principal: Any, session: DbSession, page: Pagination
    ) -> Any:
        """Every stored revision of one template, oldest first, cursor-paginated, for those who may
        read the template."""
        rows, cursor = await rules.list_revisions(session, principal, template_id, page)
        return revisions_page(items=[revision_view(row) for row in rows], next_cursor=cursor)

    async def get_revision(
        template_id: uuid.UUID, revision: RevisionNumber, principal: Any, session: DbSession
    ) -> Any:
        """One template as it was at a revision, for those who may read the template; an unknown
        revision is a 404."""
        return revision_view(await rules.get_revision(session, principal, template_id, revision))

    path, noun, who = routes.path, routes.noun, routes.principal
    one, summary, reads = f"{path}/{{template_id}}", routes.summaries, routes.read_responses
    described = routes.descriptions
    router.add_api_route(
        path,
        _typed(list_templates, principal=who),
        methods=["GET"],
        operation_id=f"list_{noun}s",
        description=described.get("list"),
        summary=summary.list,
        response_model=templates_page,
        responses=reads or None,
    )
    router.add_api_route(
        path,
        _typed(create_template, body=routes.body, principal=who),
        methods=["POST"],
        operation_id=f"create_{noun}",
        description=described.get("create"),
        summary=summary.create,
        status_code=201,
        response_model=output,
        responses={**FORBIDDEN, **problem(409, "The name is taken")},
    )
    router.add_api_route(
        one,
        _typed(get_template, principal=who),
        methods=["GET"],
        operation_id=f"get_{noun}",
        description=described.get("get"),
        summary=summary.get,
        response_model=output,
        responses={**reads, **NOT_FOUND},
    )
    router.add_api_route(
        one,
        _typed(update_template, body=routes.patch, principal=who),
        methods=["PATCH"],
        operation_id=f"update_{noun}",
        description=described.get("update"),
        summary=summary.update,
        response_model=output,
        responses={**FORBIDDEN, **NOT_FOUND, **STALE},
    )
    router.add_api_route(
        f"{one}/revisions",
        _typed(list_revisions, principal=who),
        methods=["GET"],
        operation_id=f"list_{noun}_revisions",
        description=described.get("list_revisions"),
        summary=summary.list_revisions,
        response_model=revisions_page,
        responses={**reads, **NOT_FOUND},
    )
    router.add_api_route(
        f"{one}/revisions/{{revision}}",
        _typed(get_revision, principal=who),
        methods=["GET"],
        operation_id=f"get_{noun}_revision",
        description=described.get("get_revision"),
        summary=summary.get_revision,
        response_model=revision_schema,
        responses={**reads, **NOT_FOUND},
    )
