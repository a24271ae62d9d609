"""Request-level dependencies every router shares."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from hrcore.core.clock import Clock
from hrcore.core.pagination import PageParams, page_params
from hrcore.core.runtime import Runtime


def _runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


# Dependencies are `async def` even when they await nothing: FastAPI runs a plain `def`
# dependency in a worker thread, a thread hop per dependency per request.


async def _runtime(request: Request) -> Runtime:
    return _runtime_of(request)


async def _clock(request: Request) -> Clock:
    return _runtime_of(request).clock


AppRuntime = Annotated[Runtime, Depends(_runtime)]
AppClock = Annotated[Clock, Depends(_clock)]
Pagination = Annotated[PageParams, Depends(page_params)]
IfMatch = Annotated[
    str | None,
    Header(
        description='The ETag you read, `"<version>.<digest>"` (a bare `"<version>"` works '
        "too): only its version is compared, another answers 412; `*` matches any."
    ),
]
