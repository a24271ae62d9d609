"""The process's connections, built once and shared by the API and the worker."""

from __future__ import annotations

from dataclasses import dataclass, field

from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.clock import Clock, SystemClock
from hrcore.core.db import SessionMaker, create_engine, create_sessionmaker
from hrcore.core.queue import ArqQueue, connect_redis
from hrcore.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: SessionMaker
    redis: ArqRedis
    queue: ArqQueue
    clock: Clock = field(default_factory=SystemClock)

    @classmethod
    def open(cls, settings: Settings, *, application_name: str) -> Runtime:
        """Connect lazily: nothing touches the network until first use."""
        if settings.database_url is None or settings.redis_url is None:
            raise RuntimeError("database_url and redis_url must be resolved before opening")
        engine = create_engine(
            settings.database_url,
            application_name=application_name,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            statement_timeout_ms=settings.db_statement_timeout_ms,
            role=settings.db_role,
        )
        redis = connect_redis(settings.redis_url, timeout=settings.dependency_timeout_seconds)
        return cls(
            settings=settings,
            engine=engine,
            sessionmaker=create_sessionmaker(engine),
            redis=redis,
            queue=ArqQueue(redis, settings.queue_name),
        )

    async def close(self) -> None:
        await self.redis.aclose()
        await self.engine.dispose()
