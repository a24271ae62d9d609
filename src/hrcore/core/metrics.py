"""Prometheus metrics: HTTP traffic in-process, job and outbox state read from the database."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics

disable_created_metrics()  # type: ignore[no-untyped-call]

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "hrcore_http_requests_total",
    "HTTP requests by route template, method and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "hrcore_http_request_duration_seconds",
    "HTTP request latency by route template and method.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
JOBS = Gauge(
    "hrcore_jobs",
    "Outbox jobs by job name and status (pending, queued, done, failed) within retention.",
    ["job", "status"],
    registry=REGISTRY,
)
OUTBOX_BACKLOG = Gauge(
    "hrcore_outbox_backlog",
    "Jobs written but not yet finished (pending or queued).",
    registry=REGISTRY,
)
OUTBOX_OLDEST_AGE = Gauge(
    "hrcore_outbox_oldest_age_seconds",
    "Age of the oldest unfinished job; grows when the worker or Redis is down.",
    registry=REGISTRY,
)
DEPENDENCY_UP = Gauge(
    "hrcore_worker_dependency_up",
    "1 while the worker reaches the dependency (database, redis), 0 while it waits for it.",
    ["dependency"],
    registry=REGISTRY,
)
RECONNECTS = Counter(
    "hrcore_worker_reconnects_total",
    "Times the worker got a dependency back after losing it.",
    ["dependency"],
    registry=REGISTRY,
)
JOB_RUNS = Counter(
    "hrcore_worker_job_runs_total",
    "Job attempts run by this worker, by job and outcome (done, retry, failed).",
    ["job", "outcome"],
    registry=REGISTRY,
)
DROPPED_RECOMPUTES = Counter(
    "hrcore_worker_dropped_recomputes_total",
    "Live-score (employee, month) recomputes dropped because their data makes them fail.",
    registry=REGISTRY,
)
RECOVERED_JOBS = Counter(
    "hrcore_worker_recovered_jobs_total",
    "Queued jobs sent to Redis again (resent: Redis lost them; released: their worker died).",
    ["reason"],
    registry=REGISTRY,
)
