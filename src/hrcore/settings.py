"""Runtime configuration: one Settings object, read from `HRCORE_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_JWT_SECRET = "hrcore-development-signing-key-not-for-production"  # noqa: S105

MatchFactor = Literal["gap_fit", "readiness", "load", "pool"]
OutcomePart = Literal["supervisor", "peers"]
MentorPart = Literal[
    "performance_gain", "skill_gain", "goals", "survey", "promotion", "high_performers"
]


def _default_match_weights() -> dict[MatchFactor, float]:
    return {"gap_fit": 40.0, "readiness": 30.0, "load": 20.0, "pool": 10.0}


def _default_outcome_weights() -> dict[OutcomePart, float]:
    return {"supervisor": 2.0, "peers": 1.0}


def _default_mentor_weights() -> dict[MentorPart, float]:
    return {
        "performance_gain": 30.0,
        "skill_gain": 20.0,
        "goals": 20.0,
        "survey": 15.0,
        "promotion": 10.0,
        "high_performers": 5.0,
    }


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
    db_pool_size: int = Field(
        default=15,
        ge=1,
        description="Connections kept open per process. Kept, not opened per burst: a new "
        "connection costs a handshake and the preparation of every statement again.",
    )
    db_max_overflow: int = Field(
        default=0, ge=0, description="Extra connections under load, closed when returned."
    )
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
    worker_healthcheck_seconds: int = Field(
        default=60,
        ge=1,
        description="`hrcore serve --workers N`: how long a worker may take to answer the "
        "supervisor's health check (importing the app included) before it is replaced.",
    )
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
    outbox_recover_seconds: float = Field(
        default=10.0,
        gt=0,
        description="How often the worker re-sends queued jobs Redis no longer has (also at "
        "once after Redis restarts or comes back).",
    )
    outbox_orphan_after_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A job marked running in Redis whose row no worker holds is run again "
        "after this long (its worker died).",
    )
    worker_reconnect_max_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Longest wait between the worker's reconnect attempts to PostgreSQL or "
        "Redis (the wait doubles from half a second).",
    )
    worker_health_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Port of the worker's /healthz, /readyz and /metrics. Unset: not served.",
    )
    worker_health_host: str = Field(
        default="127.0.0.1", description="Address the worker's health endpoint binds to."
    )
    job_max_tries: int = Field(default=5, ge=1, description="Attempts before a job is failed.")
    job_retry_base_seconds: float = Field(
        default=5.0, ge=0, description="First retry delay; doubles on every attempt."
    )
    queue_name: str = Field(default="hrcore:queue", description="arq queue name in Redis.")
    dependency_timeout_seconds: float = Field(
        default=2.0, gt=0, description="Timeout for each /readyz dependency check."
    )
    migration_database_url: str | None = Field(
        default=None,
        description="URL of the schema owner for `hrcore migrate`. Unset: HRCORE_DATABASE_URL.",
    )
    db_role: str | None = Field(
        default="hrcore_app",
        description="Role app connections switch to (SET ROLE) so row-level security applies "
        "even when the login is the owner. Empty when the login already is the restricted role.",
    )
    jwt_keys: dict[str, SecretStr] = Field(
        default_factory=lambda: {"dev": SecretStr(DEV_JWT_SECRET)},
        description='HS256 signing keys by key id, JSON: {"2026-11": "…"}. All verify; '
        "the active one signs. Required in production.",
    )
    jwt_active_kid: str = Field(default="dev", description="Key id that signs new tokens.")
    jwt_issuer: str = Field(default="hrcore", description="`iss` of access tokens.")
    jwt_audience: str = Field(default="hrcore-api", description="`aud` of access tokens.")
    access_token_minutes: int = Field(default=15, ge=1, description="Access token lifetime.")
    refresh_token_days: int = Field(default=30, ge=1, description="Refresh token lifetime.")
    login_max_failures: int = Field(
        default=5,
        ge=1,
        description="Failed logins per account and client address before that pair backs off "
        "(1 s, doubling up to HRCORE_LOGIN_LOCKOUT_SECONDS).",
    )
    login_max_failures_per_address: int = Field(
        default=20,
        ge=1,
        description="Failed logins per client address (any accounts) before it is refused "
        "for HRCORE_LOGIN_LOCKOUT_SECONDS.",
    )
    login_max_failures_per_account: int = Field(
        default=50,
        ge=1,
        description="Failed logins per account from all addresses before addresses that have "
        "failed on it back off (doubling up to HRCORE_LOGIN_ACCOUNT_MAX_WAIT_SECONDS); an "
        "address without failures is never held back.",
    )
    login_account_max_wait_seconds: int = Field(
        default=60, ge=1, description="Longest back-off of the account-wide slow-down."
    )
    login_lockout_seconds: int = Field(
        default=900,
        ge=1,
        description="Window in which failed logins are counted, and the longest back-off.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks (JSON list) of reverse proxies whose "
        "X-Forwarded-For / X-Forwarded-Proto are believed. Empty: the direct peer is the client.",
    )
    password_min_score: int = Field(
        default=3,
        ge=0,
        le=4,
        description="Least zxcvbn strength (0-4) of a new password; also refused: the account's "
        "own name and email.",
    )
    import_inline_max_rows: int = Field(
        default=1000, ge=1, description="Imports above this many rows run as a background job."
    )
    import_stall_minutes: int = Field(
        default=15,
        ge=1,
        description="A running import with no progress for this long is marked failed: the "
        "worker running it died.",
    )

    webhook_allow_private_targets: bool = Field(
        default=False,
        description="Allow webhook URLs on loopback or private networks (tests, on-premises).",
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Timeout of one webhook delivery attempt."
    )
    webhook_max_consecutive_failures: int = Field(
        default=10,
        ge=1,
        description="Failed delivery attempts in a row before a subscription is disabled.",
    )
    webhook_max_attempts: int = Field(
        default=8, ge=1, description="Attempts per webhook delivery before it is marked failed."
    )
    dingtalk_api_base: str = Field(
        default="https://oapi.dingtalk.com",
        description="Base URL of the DingTalk open API (work notifications and access tokens).",
    )
    dingtalk_workflow_api_base: str = Field(
        default="https://api.dingtalk.com",
        description="Base URL of DingTalk's v1.0 API (approval process instances, to-dos).",
    )
    deep_link_template: str = Field(
        default="hrcore://open/{type}/{id}",
        description="The link that opens an item in the mobile app or the DingTalk micro-app, "
        "with {type} (task, review_assignment…), {id} and optionally {org_id} and {org_slug}: "
        "every task, inbox item, channel notice and DingTalk to-do carries it.",
    )
    dingtalk_callback_replay_window_seconds: int = Field(
        default=300,
        ge=1,
        description="DingTalk callbacks whose timestamp is further than this from now are "
        "rejected (replay protection).",
    )

    storage_backend: Literal["local", "s3"] = Field(
        default="local",
        description="Where generated documents are kept: a local directory or an "
        "S3-compatible bucket.",
    )
    storage_dir: Path = Field(
        default=Path(".hrcore/documents"),
        description="Directory of the local document storage.",
    )
    storage_s3_bucket: str | None = Field(
        default=None, description="Bucket of the S3-compatible document storage."
    )
    storage_s3_endpoint_url: str | None = Field(
        default=None,
        description="Endpoint of an S3-compatible service (MinIO, OSS…). Unset: AWS.",
    )
    storage_s3_region: str | None = Field(default=None, description="S3 region name.")
    storage_s3_access_key_id: str | None = Field(
        default=None, description="S3 access key id. Unset: the default credential chain."
    )
    storage_s3_secret_access_key: SecretStr | None = Field(
        default=None, description="S3 secret access key."
    )
    file_max_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=1,
        le=1024 * 1024 * 1024,
        description="Largest file `POST /api/v1/files` accepts (the request body may exceed it "
        "by the multipart framing only).",
    )
    file_allowed_types: list[str] = Field(
        default_factory=lambda: [
            "application/pdf",
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/msword",
            "application/vnd.ms-excel",
            "application/vnd.ms-powerpoint",
        ],
        description="Content types an upload may have, as recognised from its bytes (the "
        "declared type is not trusted), JSON list. Only these formats are recognised.",
    )
    file_unreferenced_retention_hours: int = Field(
        default=24,
        ge=1,
        le=24 * 365,
        description="An uploaded file no submission, answer or evidence references is deleted "
        "(row and stored bytes) this many hours after its upload.",
    )
    contract_font_path: Path | None = Field(
        default=None,
        description="TrueType font for contract documents; it must cover Chinese. Unset: "
        "Noto Sans SC from the justmytype-intl-cjk package.",
    )
    contract_expiry_notice_months: int = Field(
        default=3,
        ge=1,
        le=24,
        description="HR is asked to renew or extend a contract this many months before it ends.",
    )
    review_anonymity_threshold: int = Field(
        default=3,
        ge=2,
        le=20,
        description="Peer and subordinate answers are shown (aggregated) only when at least "
        "this many of them answered.",
    )
    dossier_document_retention_days: int = Field(
        default=30,
        ge=1,
        le=3650,
        description="A generated dossier PDF superseded by a newer one for the same participant "
        "and audience is deleted (row and stored file) this many days after it was made.",
    )
    program_review_grace_days: int = Field(
        default=3,
        ge=0,
        le=60,
        description="A program's review or evaluation stage still missing answers this many "
        "days after its window ends closes with the answers it has.",
    )
    review_appeal_window_days: int = Field(
        default=7,
        ge=1,
        le=90,
        description="An employee may appeal a published review result for this many days.",
    )
    review_appeal_window_days_are: Literal["calendar", "working"] = Field(
        default="calendar",
        description="calendar: the appeal window counts calendar days; working: working days "
        "on the organization's calendar (weekends, statutory holidays, make-up days).",
    )
    competency_source_weights: dict[str, float] = Field(
        default_factory=lambda: {
            "manual": 1.0,
            "review": 1.0,
            "program_evaluation": 1.0,
            "stretch_assignment": 1.0,
            "rotation": 1.0,
        },
        description="How much each kind of competency evidence counts in a profile, relative "
        "to the others (JSON); a kind not named counts 1.",
    )
    competency_evidence_half_life_days: int = Field(
        default=365,
        ge=1,
        le=3650,
        description="Competency evidence this many days old counts half as much as new evidence "
        "in a profile (a quarter at twice the age).",
    )

    stretch_max_concurrent_assignments: int = Field(
        default=2,
        ge=1,
        le=20,
        description="A person on this many stretch assignments without a recorded outcome takes "
        "no other until one ends (409).",
    )
    stretch_match_weights: dict[MatchFactor, Annotated[float, Field(ge=0)]] = Field(
        default_factory=_default_match_weights,
        description="JSON: how much each factor counts when stretch assignments and people are "
        "matched (gap fit, readiness, current load, talent pool membership); a factor not named "
        "counts 0.",
    )
    stretch_outcome_weights: dict[OutcomePart, Annotated[float, Field(gt=0)]] = Field(
        default_factory=_default_outcome_weights,
        description="JSON: how the supervisor's rating and the peers' mean combine into the "
        "evidence a stretch assignment's outcome records per competency.",
    )
    mentor_effectiveness_weights: dict[MentorPart, Annotated[float, Field(ge=0)]] = Field(
        default_factory=_default_mentor_weights,
        description="JSON: how a mentor's effectiveness weighs its parts (docs/mentoring.md).",
    )
    mentoring_promotion_months: int = Field(
        default=6,
        ge=0,
        le=60,
        description="A mentee promoted during a pairing or this many months after it ends "
        "counts as promoted in the mentor's effectiveness.",
    )
    mentoring_survey_every_months: int = Field(
        default=3,
        ge=1,
        le=24,
        description="A running pairing's mentee is asked for a periodic survey every this many "
        "months of the pairing.",
    )
    mentoring_evidence_competency: str | None = Field(
        default=None,
        description="The name of the competency (management or mentoring) a mentor's "
        "effectiveness score becomes evidence of when it moves; unset records nothing.",
    )

    @model_validator(mode="after")
    def _signing_keys_are_safe(self) -> Settings:
        if self.jwt_active_kid not in self.jwt_keys:
            raise ValueError("HRCORE_JWT_ACTIVE_KID must name a key in HRCORE_JWT_KEYS")
        if self.environment == "production":
            weak = [kid for kid, key in self.jwt_keys.items() if len(key.get_secret_value()) < 32]
            if weak or any(k.get_secret_value() == DEV_JWT_SECRET for k in self.jwt_keys.values()):
                raise ValueError("production needs HRCORE_JWT_KEYS of at least 32 characters")
        return self


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
