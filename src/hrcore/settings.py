"""Runtime configuration: one Settings object, read from `HRCORE_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Every knob of the service. Unset URLs mean "use the embedded dev stack"."""

    model_config = SettingsConfigDict(env_prefix="HRCORE_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        default="development", description="Deployment kind; shown in logs."
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL (postgresql+asyncpg://…). Unset: embedded PostgreSQL.",
    )
    redis_url: str | None = Field(
        default=None, description="Redis URL (redis://host:port/db). Unset: embedded Redis."
    )
    state_dir: Path = Field(
        default=Path(".hrcore"), description="Where the embedded PostgreSQL and Redis keep data."
    )
    migrations_dir: Path = Field(
        default=PROJECT_ROOT / "migrations", description="Alembic script directory."
    )
    db_pool_size: int = Field(default=10, ge=1, description="Connections kept per process.")
    db_max_overflow: int = Field(default=5, ge=0, description="Extra connections under load.")
    db_statement_timeout_ms: int = Field(
        default=15_000, ge=0, description="PostgreSQL statement_timeout for app connections."
    )
    max_body_bytes: int = Field(
        default=5 * 1024 * 1024, ge=1024, description="Largest accepted request body."
    )
    cors_origins: list[str] = Field(
        default_factory=list, description='Allowed CORS origins, JSON list: ["https://app"].'
    )
    log_level: str = Field(default="INFO", description="Python log level.")
    log_json: bool = Field(default=True, description="JSON log lines (false: plain text).")
    idempotency_ttl_hours: int = Field(
        default=24, ge=1, description="How long an Idempotency-Key is remembered."
    )
    outbox_retention_days: int = Field(
        default=7, ge=1, description="How long delivered outbox rows are kept."
    )
    outbox_poll_seconds: float = Field(
        default=1.0, gt=0, description="How often the worker relays new outbox rows."
    )
    outbox_requeue_after_seconds: int = Field(
        default=900, ge=10, description="Re-send a queued job that has not finished by then."
    )
    outbox_batch_size: int = Field(default=100, ge=1, description="Rows relayed per batch.")
    job_max_tries: int = Field(default=5, ge=1, description="Attempts before a job is failed.")
    job_retry_base_seconds: float = Field(
        default=5.0, ge=0, description="First retry delay; doubles on every attempt."
    )
    queue_name: str = Field(default="hrcore:queue", description="arq queue name in Redis.")
    dependency_timeout_seconds: float = Field(
        default=2.0, gt=0, description="Timeout for each /readyz dependency check."
    )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
