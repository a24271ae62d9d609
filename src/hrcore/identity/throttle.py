"""Login throttling that slows an attacker without locking the owner out.

Three counters of failed logins, each with its own rule (docs/identity.md, "Throttling"):

- **account and address**: after `login_max_failures` failures the pair waits 1 s, then 2,
  4, … up to `login_lockout_seconds`. Failures elsewhere never hold this pair back.
- **address**: `login_max_failures_per_address` failures (any accounts) block the address
  for `login_lockout_seconds`: password spraying from one place.
- **account**: `login_max_failures_per_account` failures from all addresses slow the account
  down (1 s doubling up to `login_account_max_wait_seconds`), but only for addresses that
  have themselves failed on it: an owner who types the right password is never held back.

Counters live in Redis. When Redis is unreachable they live in PostgreSQL
(`login_throttles`, written in transactions of their own so a failed login's rollback keeps
them), so logins go on during an outage; counts start afresh on each side of it.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert

from hrcore.core.db import SessionMaker, unit_of_work
from hrcore.identity.models import LoginThrottle
from hrcore.settings import Settings

logger = logging.getLogger("hrcore.identity.throttle")
T = TypeVar("T")
PREFIX = "hrcore:login:"


@dataclass(frozen=True)
class Rule:
    """A counter and how failures turn into a wait."""

    key: str
    free: int
    """Failures before any wait."""
    max_wait: int
    doubling: bool
    """True: the wait doubles from 1 s with each failure past `free`; False: it is `max_wait`."""

    def wait_after(self, failures: int) -> int:
        if failures < self.free:
            return 0
        if not self.doubling:
            return self.max_wait
        return int(min(2 ** min(failures - self.free, 30), self.max_wait))


@dataclass(frozen=True)
class Count:
    failures: int = 0
    blocked_until: datetime | None = None


class Store(Protocol):
    async def read(self, keys: Sequence[str], now: datetime) -> dict[str, Count]: ...

    async def fail(self, rules: Sequence[Rule], now: datetime, window: int) -> None: ...

    async def clear(self, key: str) -> None: ...


class RedisStore:
    """A hash per counter: `n` failures and `until` (epoch seconds), expiring after the window."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def read(self, keys: Sequence[str], now: datetime) -> dict[str, Count]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.hmget(PREFIX + key, ["n", "until"])
            rows = await pipe.execute()
        counts: dict[str, Count] = {}
        for key, (failures, until) in zip(keys, rows, strict=True):
            blocked = datetime.fromtimestamp(float(until), now.tzinfo) if until else None
            counts[key] = Count(int(failures or 0), blocked)
        return counts

    async def fail(self, rules: Sequence[Rule], now: datetime, window: int) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            for rule in rules:
                pipe.hincrby(PREFIX + rule.key, "n", 1)
            counts = await pipe.execute()
        async with self.redis.pipeline(transaction=False) as pipe:
            for rule, failures in zip(rules, counts, strict=True):
                wait = rule.wait_after(int(failures))
                if wait:
                    pipe.hset(PREFIX + rule.key, "until", str(now.timestamp() + wait))
                pipe.expire(PREFIX + rule.key, window + wait)
            await pipe.execute()

    async def clear(self, key: str) -> None:
        await self.redis.delete(PREFIX + key)


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class DatabaseStore:
    """The same counters in `login_throttles`, for when Redis is unreachable."""

    def __init__(self, sessionmaker: SessionMaker) -> None:
        self.sessionmaker = sessionmaker

    async def read(self, keys: Sequence[str], now: datetime) -> dict[str, Count]:
        hashed = {_hashed(key): key for key in keys}
        async with self.sessionmaker() as session:
            rows = await session.execute(
                select(LoginThrottle).where(
                    LoginThrottle.key.in_(hashed), LoginThrottle.expires_at > now
                )
            )
            found = {row.key: row for row in rows.scalars()}
        return {
            key: Count(found[digest].failures, found[digest].blocked_until)
            if digest in found
            else Count()
            for digest, key in hashed.items()
        }

    async def fail(self, rules: Sequence[Rule], now: datetime, window: int) -> None:
        table = LoginThrottle.__table__.c
        async with unit_of_work(self.sessionmaker) as session:
            await session.execute(delete(LoginThrottle).where(LoginThrottle.expires_at <= now))
            for rule in rules:
                upsert = insert(LoginThrottle).values(
                    key=_hashed(rule.key), failures=1, expires_at=now + timedelta(seconds=window)
                )
                failures = await session.scalar(
                    upsert.on_conflict_do_update(
                        index_elements=[table.key],
                        set_={
                            "failures": table.failures + 1,
                            "expires_at": upsert.excluded.expires_at,
                        },
                    ).returning(table.failures)
                )
                wait = rule.wait_after(int(failures or 0))
                if wait:
                    await session.execute(
                        update(LoginThrottle)
                        .where(LoginThrottle.key == _hashed(rule.key))
                        .values(
                            blocked_until=now + timedelta(seconds=wait),
                            expires_at=now + timedelta(seconds=window + wait),
                        )
                    )

    async def clear(self, key: str) -> None:
        async with unit_of_work(self.sessionmaker) as session:
            await session.execute(delete(LoginThrottle).where(LoginThrottle.key == _hashed(key)))


@dataclass(frozen=True)
class Attempt:
    """The counters one login attempt touches; `pair` and `account` are None while the
    account is not known yet (an identity provider has not said who it is)."""

    pair: Rule | None
    address: Rule
    account: Rule | None

    @classmethod
    def of(cls, settings: Settings, org: str, email: str, address: str) -> Attempt:
        window = settings.login_lockout_seconds
        return cls(
            pair=Rule(f"pair:{org}:{email}:{address}", settings.login_max_failures, window, True),
            address=cls.from_address(settings, address).address,
            account=Rule(
                f"account:{org}:{email}",
                settings.login_max_failures_per_account,
                settings.login_account_max_wait_seconds,
                True,
            ),
        )

    @classmethod
    def from_address(cls, settings: Settings, address: str) -> Attempt:
        """Only the address's counter: failures of no known account (a forged auth code)."""
        rule = Rule(
            f"address:{address}",
            settings.login_max_failures_per_address,
            settings.login_lockout_seconds,
            False,
        )
        return cls(pair=None, address=rule, account=None)

    @property
    def rules(self) -> list[Rule]:
        return [rule for rule in (self.pair, self.address, self.account) if rule is not None]


class Throttle:
    """Redis first; PostgreSQL for any operation Redis cannot serve."""

    def __init__(self, redis: Redis, sessionmaker: SessionMaker, settings: Settings) -> None:
        self.primary: Store = RedisStore(redis)
        self.fallback: Store = DatabaseStore(sessionmaker)
        self.window = settings.login_lockout_seconds

    async def _run(self, operation: Callable[[Store], Awaitable[T]]) -> T:
        try:
            return await operation(self.primary)
        except (RedisError, OSError) as exc:
            logger.warning("login throttle falls back to PostgreSQL: Redis failed: %s", exc)
            return await operation(self.fallback)

    async def retry_after(self, attempt: Attempt, now: datetime) -> int | None:
        """Seconds this attempt must wait, or None when it may go ahead."""
        keys = [rule.key for rule in attempt.rules]
        counts = await self._run(lambda store: store.read(keys, now))
        holding = [counts[attempt.address.key]]
        if attempt.pair is not None:
            pair = counts[attempt.pair.key]
            holding.append(pair)
            # the account-wide slow-down spares addresses that never failed
            if pair.failures > 0 and attempt.account is not None:
                holding.append(counts[attempt.account.key])
        waits = [
            (count.blocked_until - now).total_seconds()
            for count in holding
            if count.blocked_until is not None and count.blocked_until > now
        ]
        return max(1, math.ceil(max(waits))) if waits else None

    async def failed(self, attempt: Attempt, now: datetime) -> None:
        rules = attempt.rules
        await self._run(lambda store: store.fail(rules, now, self.window))

    async def succeeded(self, attempt: Attempt) -> None:
        pair = attempt.pair
        if pair is not None:
            await self._run(lambda store: store.clear(pair.key))
