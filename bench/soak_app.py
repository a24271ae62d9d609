"""The mobile app, as a load: who signs in, which screens it opens, how often.

Used by bench/soak.py. A virtual user signs in as one app user after another and opens
screens with no think time, weighted as the app is used: inbox and task list most, a
write (complete a task, mark a notification read, autosave a review draft) about one screen
in ten. Every request is timed into a `Recorder`.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from generate import PASSWORD

from hrcore.seed import DEMO_PASSWORD

API = "/api/v1"


@dataclass
class Recorder:
    """Every request: endpoint, seconds since the warm-up ended (negative during it), latency
    in ms, and whether it failed; with one example of each endpoint's failure."""

    measured_from: float
    samples: list[tuple[str, float, float, bool]] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    error_examples: dict[str, str] = field(default_factory=dict)
    completed_tasks: list[str] = field(default_factory=list)

    def add(self, name: str, elapsed_ms: float, error: str | None) -> None:
        at = time.monotonic() - self.measured_from
        self.samples.append((name, at, elapsed_ms, error is not None))
        if error is not None:
            self.errors[name] += 1
            self.error_examples.setdefault(name, error)


class Session:
    """One app user signed in: what the app remembers between screens."""

    def __init__(self, client: httpx.AsyncClient, recorder: Recorder, rng: random.Random):
        self.client, self.recorder, self.rng = client, recorder, rng
        self.headers: dict[str, str] = {}
        self.refresh_token = ""
        self.tasks: list[str] = []
        self.unread: list[str] = []
        self.assignments: list[dict[str, Any]] = []
        self.people: list[str] = []

    async def call(
        self, name: str, method: str, path: str, *, expect: int = 200, **kwargs: Any
    ) -> Any:
        started = time.perf_counter()
        error: str | None = None
        body: Any = None
        try:
            response = await self.client.request(method, path, headers=self.headers, **kwargs)
            if response.status_code != expect:
                error = f"{response.status_code} {response.text[:300]}"
            elif response.content:
                body = response.json()
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        self.recorder.add(name, (time.perf_counter() - started) * 1000, error)
        return body

    async def login(self, org: str, email: str, password: str) -> bool:
        self.headers = {}
        body = {"org": org, "email": email, "password": password}
        pair = await self.call("POST /auth/token", "POST", f"{API}/auth/token", json=body)
        if pair is not None:
            self._use(pair)
        return pair is not None

    def _use(self, pair: dict[str, Any]) -> None:
        self.headers = {"Authorization": f"Bearer {pair['access_token']}"}
        self.refresh_token = pair["refresh_token"]

    async def refresh(self) -> None:
        body = {"refresh_token": self.refresh_token}
        pair = await self.call("POST /auth/refresh", "POST", f"{API}/auth/refresh", json=body)
        if pair is not None:
            self._use(pair)

    async def logout(self) -> None:
        body = {"refresh_token": self.refresh_token}
        await self.call("POST /auth/logout", "POST", f"{API}/auth/logout", expect=204, json=body)


# --- the app's screens: (weight, action) -------------------------------------------------


async def me(s: Session) -> None:
    await s.call("GET /me", "GET", f"{API}/me")


async def my_tasks(s: Session) -> None:
    page = await s.call("GET /me/tasks", "GET", f"{API}/me/tasks", params={"status": "open"})
    if page is not None:
        s.tasks = [item["id"] for item in page["items"]]


async def one_task(s: Session) -> None:
    if s.tasks:
        await s.call("GET /tasks/{id}", "GET", f"{API}/tasks/{s.rng.choice(s.tasks)}")


async def complete_task(s: Session) -> None:
    if s.tasks:
        task = s.tasks.pop(0)
        path = f"{API}/tasks/{task}/complete"
        body = {"submission": {"text": "Done from the app"}}
        if await s.call("POST /tasks/{id}/complete", "POST", path, json=body) is not None:
            s.recorder.completed_tasks.append(task)


async def notifications(s: Session) -> None:
    page = await s.call("GET /me/notifications", "GET", f"{API}/me/notifications")
    if page is not None:
        s.unread = [item["id"] for item in page["items"] if item["read_at"] is None]


async def read_notification(s: Session) -> None:
    if s.unread:
        path = f"{API}/me/notifications/{s.unread.pop(0)}/read"
        await s.call("POST /me/notifications/{id}/read", "POST", path)


async def employees(s: Session) -> None:
    page = await s.call("GET /employees", "GET", f"{API}/employees")
    if page is not None:
        s.people = [item["id"] for item in page["items"]]


async def employee(s: Session) -> None:
    if s.people:
        await s.call("GET /employees/{id}", "GET", f"{API}/employees/{s.rng.choice(s.people)}")


async def profile(s: Session) -> None:
    if s.people:
        person = s.rng.choice(s.people)
        await s.call("GET /employees/{id}/profile", "GET", f"{API}/employees/{person}/profile")


async def assignments(s: Session) -> None:
    page = await s.call("GET /me/review-assignments", "GET", f"{API}/me/review-assignments")
    if page is not None:
        s.assignments = [a for a in page["items"] if a["status"] != "submitted"]


async def save_draft(s: Session) -> None:
    """Autosave of the review form: every indicator answered, as the rater goes."""
    if not s.assignments:
        return
    assignment = s.rng.choice(s.assignments)
    answers = {
        i["key"]: {"actual": s.rng.randint(60, 130)}
        if i["kind"] == "quantitative"
        else {"score": s.rng.randint(1, 5)}
        for i in assignment["indicators"]
    }
    path = f"{API}/review-assignments/{assignment['id']}"
    body = {"answers": answers, "comment": "Draft saved from the app"}
    await s.call("PUT /review-assignments/{id}", "PUT", path, json=body)


async def rankings(s: Session) -> None:
    await s.call("GET /me/vacancy-rankings", "GET", f"{API}/me/vacancy-rankings")


APP: list[tuple[int, Callable[[Session], Awaitable[None]]]] = [
    (10, me),
    (14, my_tasks),
    (4, one_task),
    (3, complete_task),
    (14, notifications),
    (3, read_notification),
    (8, employees),
    (8, employee),
    (3, profile),
    (8, assignments),
    (4, save_draft),
    (2, rankings),
]


async def office(s: Session, ids: dict[str, str]) -> None:
    """The demo organization's HR on the phone: pools, the program, a dossier, all tasks."""
    pool, run, participant = ids["pool"], ids["run"], ids["participant"]
    reads = [
        ("GET /talent-pools", f"{API}/talent-pools"),
        ("GET /talent-pools/{id}/members", f"{API}/talent-pools/{pool}/members"),
        ("GET /talent-pools/{id}/nine-box", f"{API}/talent-pools/{pool}/nine-box"),
        ("GET /programs/{id}/progress", f"{API}/programs/{run}/progress"),
        (
            "GET /programs/{id}/participants/{id}/dossier",
            f"{API}/programs/{run}/participants/{participant}/dossier",
        ),
        ("GET /tasks", f"{API}/tasks"),
    ]
    name, path = s.rng.choice(reads)
    await s.call(name, "GET", path)


async def virtual_user(
    client: httpx.AsyncClient,
    recorder: Recorder,
    users: list[str],
    deadline: float,
    seed: int,
    office_ids: dict[str, str] | None,
) -> None:
    """Sign in as each user in turn for 100–200 screens (refreshing every 40), sign out."""
    rng = random.Random(seed)
    weights = [weight for weight, _ in APP]
    actions = [action for _, action in APP]
    while time.monotonic() < deadline:
        for email in users:
            if time.monotonic() >= deadline:
                break
            s = Session(client, recorder, rng)
            org, password = ("demo", DEMO_PASSWORD) if office_ids else ("bench", PASSWORD)
            if not await s.login(org, email, password):
                await asyncio.sleep(1)
                continue
            for screen in range(rng.randint(100, 200)):
                if time.monotonic() >= deadline:
                    break
                if screen and screen % 40 == 0:
                    await s.refresh()
                if office_ids is not None:
                    await office(s, office_ids)
                else:
                    await rng.choices(actions, weights)[0](s)
            await s.logout()
