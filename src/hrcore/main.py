"""The FastAPI application: routers, middleware and error handlers."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from hrcore import __version__, domains
from hrcore.core import links
from hrcore.core.errors import install_error_handlers
from hrcore.core.http import BodyLimitMiddleware, RequestContextMiddleware
from hrcore.core.i18n import load_catalogs
from hrcore.core.registry import routers
from hrcore.core.responses import UNEXPECTED, document_problems
from hrcore.core.runtime import Runtime
from hrcore.files import api as files_api
from hrcore.identity.api import Directory
from hrcore.ops.router import router as ops_router
from hrcore.org import api as org_api
from hrcore.people import api as people_api
from hrcore.settings import Settings, get_settings

MULTIPART_FRAMING = 64 * 1024
"""What an upload's body may hold beyond the file: boundaries, part headers, a long name."""

API_PREFIX = "/api/v1"

DESCRIPTION = """
Talent development for companies: the organization and its people, talent pools and
succession, development programs, 360 reviews, labor contracts and their amendments, tasks
and notifications. Planned, not built yet: competency models and profiles, mentoring and
points-based training.

Errors are RFC 9457 `application/problem+json`. Lists are cursor-paginated
(`?limit=&cursor=` → `{items, next_cursor}`). POST honours `Idempotency-Key`;
updates take `If-Match` or a body `version`. Every read carries an `ETag` (a versioned
object's is `"<version>.<digest>"`) and answers a matching `If-None-Match` with 304.

Texts people read (problem `title`, `detail` and field messages, notifications, task titles,
explanations, documents) are in Chinese (`zh-CN`) or English (`en`): the user's own choice
(`PUT /me/locale`), else `Accept-Language`, else the organization's locale; every response
says which in `Content-Language`. Codes, enum values and `type` URIs never change.
"""


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """Build the app. `runtime` lets tests inject connections; otherwise the lifespan opens them."""
    settings = settings or (runtime.settings if runtime else get_settings())
    domains.install()
    links.configure(settings.deep_link_template)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = runtime or Runtime.open(settings, application_name="hrcore-api")
        app.state.runtime = opened
        app.state.sessionmaker = opened.sessionmaker
        # What start-up built (modules, routes, schemas: most of the heap) will live as long
        # as the process: out of the collector's way, a full collection during a request walks
        # only what requests made (a large response's p95 fell from ~360 ms to ~150 ms).
        gc.freeze()
        try:
            yield
        finally:
            if runtime is None:
                await opened.close()

    # /docs and /redoc load Swagger UI and ReDoc from files in the fastapi-offline package,
    # not from a CDN (unreliable from mainland China, absent offline); nor does Swagger UI
    # send the document to swagger.io's online validator.
    app = FastAPIOffline(
        title="hrcore",
        swagger_ui_parameters={"validatorUrl": None},
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=UNEXPECTED,
    )
    app.state.identity_directory = Directory(people=people_api, org=org_api)
    install_error_handlers(app)
    load_catalogs()
    document_problems(app, API_PREFIX)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["ETag", "X-Request-ID", "Retry-After", "Location", "Content-Language"],
        )
    # An upload's body is the file plus its multipart framing; the files route checks the
    # file's own size.
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        larger={files_api.UPLOAD_PATH: settings.file_max_bytes + MULTIPART_FRAMING},
    )
    app.add_middleware(RequestContextMiddleware)
    if settings.trusted_proxies:
        # The one place proxy headers are read (`hrcore serve` turns uvicorn's off): the
        # client address login throttling counts is the peer unless the peer is trusted.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.include_router(ops_router)
    # Each domain's router directly under /api/v1, in the domain list's order: a router
    # nested in another is matched through both on every request.
    for router in routers(domains.DOMAINS):
        app.include_router(router, prefix=API_PREFIX)
    return app
