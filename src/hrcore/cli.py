"""The `hrcore` command: dev, serve, worker, migrate, create-org, seed, openapi,
competencies recompute-all, audit verify.

Each command imports what it runs inside its function: importing the app, the models or the
database drivers up front made `hrcore --help` take seconds (tests/test_cli_imports.py).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

# Light (uvicorn, the log formatter), and tests patch them here.
from hrcore.core import serving
from hrcore.core.logs import configure_logging

if TYPE_CHECKING:
    from hrcore.core.runtime import Runtime
    from hrcore.settings import Settings

app = typer.Typer(help="hrcore: talent development backend.", no_args_is_help=True)
T = TypeVar("T")

OPENAPI_PATH = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


def resolve_settings(started: list[str] | None = None) -> Settings:
    """Settings with URLs filled in; unset ones point at the embedded stack, started if needed."""
    from hrcore.settings import get_settings

    settings = get_settings()
    if settings.database_url and settings.redis_url:
        return settings
    from hrcore import devstack

    try:
        services = devstack.ensure_running(settings.state_dir.resolve())
    except devstack.DevStackError as exc:
        raise SystemExit(
            f"hrcore: the embedded dev stack did not start: {exc}\n"
            "Set HRCORE_DATABASE_URL and HRCORE_REDIS_URL to use your own services."
        ) from exc
    if started is not None:
        started.extend(services.started)
    return settings.model_copy(
        update={
            "database_url": settings.database_url or services.database_url,
            "redis_url": settings.redis_url or services.redis_url,
        }
    )


def _export_urls(settings: Settings) -> dict[str, str]:
    """Environment for child processes, so they use the same services."""
    assert settings.database_url
    assert settings.redis_url
    env = dict(os.environ)
    env["HRCORE_DATABASE_URL"] = settings.database_url
    env["HRCORE_REDIS_URL"] = settings.redis_url
    return env


def _with_runtime(settings: Settings, name: str, body: Callable[[Runtime], Awaitable[T]]) -> T:
    from hrcore import domains
    from hrcore.core.runtime import Runtime

    async def run() -> T:
        domains.install()  # a command that emits must reach every subscriber
        runtime = Runtime.open(settings, application_name=name)
        try:
            return await body(runtime)
        finally:
            await runtime.close()

    return asyncio.run(run())


@app.command()
def migrate(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Upgrade the database schema (a deploy step; the API never migrates itself)."""
    from hrcore.core.migrations import upgrade

    settings = resolve_settings()
    owner_url = settings.migration_database_url or settings.database_url
    assert owner_url
    upgrade(settings.migrations_dir, owner_url, revision)
    typer.echo(f"database at {revision}")


@app.command("create-org")
def create_org(
    slug: Annotated[str, typer.Option(help="Short name used at login, e.g. acme.")],
    name: Annotated[str, typer.Option(help="Display name.")],
    admin_email: Annotated[str, typer.Option(help="Email of the first HR admin.")],
    timezone: Annotated[str, typer.Option(help="IANA time zone.")] = "Asia/Shanghai",
    locale: Annotated[str, typer.Option(help="Locale, e.g. zh-CN.")] = "zh-CN",
) -> None:
    """Create an organization and its first HR admin; prints a one-time password."""
    from hrcore.core.db import unit_of_work
    from hrcore.core.errors import ProblemError
    from hrcore.identity import service as identity

    async def run(runtime: Runtime) -> str:
        async with unit_of_work(runtime.sessionmaker) as session:
            _, _, password = await identity.create_organization(
                session,
                slug=slug,
                name=name,
                admin_email=admin_email,
                timezone=timezone,
                locale=locale,
            )
        return password

    try:
        password = _with_runtime(resolve_settings(), "hrcore-cli", run)
    except ProblemError as exc:
        typer.echo(f"error: {exc}", err=True)  # operators read English
        raise typer.Exit(1) from exc
    typer.echo(f"created organization {slug!r}")
    typer.echo(f"HR admin {admin_email}  one-time password: {password}")
    typer.echo("Log in at POST /api/v1/auth/token and change it at POST /api/v1/auth/password.")


@app.command()
def seed() -> None:
    """Create the demo organization (idempotent)."""
    from hrcore.seed import seed_demo
    from hrcore.settings import get_settings

    configure_logging(get_settings().log_level, json=False)
    report = _with_runtime(resolve_settings(), "hrcore-seed", seed_demo)
    typer.echo(f'Demo logins (POST /api/v1/auth/token with "org": "{report.org_slug}"):')
    for role, login, password in report.logins:
        typer.echo(f"  {role:<12} {login}  password: {password}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Bind address.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
) -> None:
    """Serve the API (uvicorn)."""
    settings = resolve_settings()
    os.environ.update(_export_urls(settings))
    configure_logging(settings.log_level, json=settings.log_json)
    serving.serve(
        "hrcore.main:create_app",
        workers=workers,
        healthcheck_seconds=settings.worker_healthcheck_seconds,
        host=host,
        port=port,
        log_config=None,
        proxy_headers=False,  # the app reads them from HRCORE_TRUSTED_PROXIES peers only
        access_log=False,
    )


@app.command()
def worker(
    burst: Annotated[bool, typer.Option(help="Process what is due, then exit.")] = False,
) -> None:
    """Run the background worker (arq): outbox relay, jobs, housekeeping."""
    from hrcore import worker as worker_module

    settings = resolve_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    run = worker_module.run_burst if burst else worker_module.run_forever
    _with_runtime(settings, "hrcore-worker", run)


competencies_app = typer.Typer(help="Competency profiles.", no_args_is_help=True)
app.add_typer(competencies_app, name="competencies")


@competencies_app.command("recompute-all")
def recompute_all_profiles(
    org: Annotated[str, typer.Option(help="The organization's slug.")],
    batch_size: Annotated[int, typer.Option(help="Employees per transaction.")] = 1_000,
) -> None:
    """Recompute every competency profile of an organization, set-based in batches: after
    changing HRCORE_COMPETENCY_SOURCE_WEIGHTS or the half-life. Snapshots only where a figure
    changed, so running it twice stores nothing the second time."""
    from hrcore.competencies import api as competencies
    from hrcore.core.db import unit_of_work
    from hrcore.identity import service as identity

    async def run(runtime: Runtime) -> competencies.Recomputed | None:
        async with unit_of_work(runtime.sessionmaker) as session:
            org_id = await identity.org_id_by_slug(session, org)
        if org_id is None:
            return None
        return await competencies.recompute_all_profiles(
            runtime.sessionmaker, org_id, runtime.settings, runtime.clock, batch_size
        )

    started = time.perf_counter()
    result = _with_runtime(resolve_settings(), "hrcore-cli", run)
    if result is None:
        typer.echo(f"error: no organization {org!r}", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"recomputed {result.employees} profiles, stored {result.stored} snapshots "
        f"in {time.perf_counter() - started:.1f}s"
    )


audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify_audit(
    org: Annotated[
        str | None, typer.Option(help="The organization's slug (default: every one).")
    ] = None,
) -> None:
    """Recompute every organization's audit hash chain (or one's) and name the first broken
    event of each: exit code 1 when a chain is broken or the organization is unknown."""
    from hrcore.privacy import audit_chain

    async def run(runtime: Runtime) -> list[audit_chain.ChainCheck]:
        return await audit_chain.verify(runtime.sessionmaker, org)

    try:
        checks = _with_runtime(resolve_settings(), "hrcore-cli", run)
    except audit_chain.UnknownOrganization as exc:
        typer.echo(f"error: no organization {org!r}", err=True)
        raise typer.Exit(1) from exc
    for check in checks:
        if check.broken is None:
            typer.echo(f"{check.org_slug}: {check.events} events, chain intact")
        else:
            broken = check.broken
            typer.echo(
                f"{check.org_slug}: chain broken at seq {broken.seq} (event {broken.event_id}): "
                f"{broken.reason}; {check.events} events before it verify"
            )
    if any(check.broken is not None for check in checks):
        raise typer.Exit(1)


@app.command()
def openapi(
    check: Annotated[bool, typer.Option(help="Fail if the committed file differs.")] = False,
) -> None:
    """Write openapi/openapi.json from the app (or check that it is current)."""
    import json

    from hrcore.main import create_app

    document = json.dumps(create_app().openapi(), indent=2, ensure_ascii=False) + "\n"
    if check:
        current = OPENAPI_PATH.read_text() if OPENAPI_PATH.exists() else ""
        if current != document:
            typer.echo("openapi/openapi.json is stale: run `hrcore openapi`", err=True)
            raise typer.Exit(1)
        typer.echo("openapi/openapi.json is current")
        return
    OPENAPI_PATH.parent.mkdir(parents=True, exist_ok=True)
    OPENAPI_PATH.write_text(document)
    typer.echo(f"wrote {OPENAPI_PATH}")


@app.command()
def dev(
    port: Annotated[int, typer.Option(envvar="PORT", help="API port.")] = 8000,
) -> None:
    """Everything for local work: embedded services, migrations, demo data, API and worker.

    A child that dies is started again (after 1 s, doubling to 30 s while it keeps dying);
    Ctrl-C stops everything.
    """
    started: list[str] = []
    settings = resolve_settings(started)
    env = _export_urls(settings)
    env.setdefault("HRCORE_WORKER_HEALTH_PORT", str(port + 1))
    hrcore = [sys.executable, "-m", "hrcore"]
    children = [
        _Child("API", [*hrcore, "serve", "--port", str(port)], env),
        _Child("worker", [*hrcore, "worker"], env),
    ]
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        subprocess.run([*hrcore, "migrate"], env=env, check=True)
        subprocess.run([*hrcore, "seed"], env=env, check=True)
        for child in children:
            child.start()
        announced = False
        while not stopping:
            for child in children:
                child.supervise()
            if not announced and _answers(f"http://127.0.0.1:{port}/healthz"):
                _print_banner(settings, port, env["HRCORE_WORKER_HEALTH_PORT"])
                announced = True
            time.sleep(0.2)
    finally:
        _terminate([child.process for child in children if child.process is not None])
        if started:
            from hrcore import devstack

            devstack.stop(settings.state_dir.resolve(), services=started)
            typer.echo(f"stopped embedded {', '.join(started)}")


class _Child:
    """A process `hrcore dev` keeps running: restarted with backoff when it exits."""

    FIRST_DELAY = 1.0
    MAX_DELAY = 30.0
    STEADY_SECONDS = 60.0
    """Up this long, a child counts as healthy again and its next restart is prompt."""

    def __init__(self, name: str, command: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.delay = self.FIRST_DELAY
        self.restart_at: float | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, env=self.env)
        self.started_at = time.monotonic()
        self.restart_at = None

    def supervise(self) -> None:
        now = time.monotonic()
        if self.restart_at is not None:
            if now >= self.restart_at:
                typer.echo(f"hrcore dev: restarting the {self.name}", err=True)
                self.start()
            return
        assert self.process is not None
        code = self.process.poll()
        if code is None:
            return
        if now - self.started_at >= self.STEADY_SECONDS:
            self.delay = self.FIRST_DELAY
        typer.echo(
            f"hrcore dev: the {self.name} exited with code {code}; "
            f"restarting it in {self.delay:.0f} s (Ctrl-C stops everything)",
            err=True,
        )
        self.restart_at = now + self.delay
        self.delay = min(self.delay * 2, self.MAX_DELAY)


def _terminate(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _answers(url: str) -> bool:
    """Whether `url` answers 200 now: the banner waits for the API to listen, not to start."""
    try:
        with urllib.request.urlopen(url, timeout=0.5) as response:  # noqa: S310 (our own URL)
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _print_banner(settings: Settings, port: int, worker_port: str) -> None:
    base = f"http://127.0.0.1:{port}"
    worker = f"http://127.0.0.1:{worker_port}"
    typer.echo(
        "\n".join(
            [
                "",
                "hrcore is running:",
                f"  API      {base}/api/v1",
                f"  docs     {base}/docs",
                f"  health   {base}/healthz  {base}/readyz  {base}/metrics",
                f"  worker   {worker}/readyz  {worker}/metrics",
                f"  database {settings.database_url}",
                f"  redis    {settings.redis_url}",
                "  logins   printed above by `hrcore seed` (org: demo)",
                "A child that dies is restarted. Ctrl-C stops the API, the worker and the",
                "embedded services started here.",
                "",
            ]
        )
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
