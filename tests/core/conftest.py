from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from tests.conftest import client_for
from tests.core import widgets


@pytest.fixture(scope="session")
async def widget_app(runtime: Runtime, schema_owner_engine: AsyncEngine) -> AsyncIterator[FastAPI]:
    """The real app plus the fixture resource."""
    await widgets.create_fixture_tables(schema_owner_engine)
    application = create_app(runtime=runtime)
    application.include_router(widgets.router)
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def widget_client(
    widget_app: FastAPI, owner_engine: AsyncEngine
) -> AsyncIterator[AsyncClient]:
    widgets.RECORDED.clear()
    async with client_for(widget_app) as http:
        http.headers["Accept-Language"] = "en"  # nobody signs in here: English by header
        yield http
    await widgets.truncate_fixture_tables(owner_engine)
