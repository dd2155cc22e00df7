"""Rate limits every server process shares, kept in the system of record: a caller spread over several processes
gets the limit once, not once per process.

Each name holds one number, its *theoretical arrival time* (GCRA, the cell-rate algorithm token buckets reduce
to): a request is allowed when pushing it forward by one emission interval (60 s / N) keeps it within a minute of
now; bursts of N, then N a minute, the same as the in-process `RateLimiter`. One upsert per request decides it
atomically under the row's lock, whichever process asks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import Float, String, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from cadre.store import Database
from cadre.store.base import Base

WINDOW_S = 60.0
FORGET_EVERY = 1000  # requests between sweeps of names whose bucket is full again (they hold nothing worth keeping)


class RateLimitRow(Base):
    __tablename__ = "rate_limits"

    name: Mapped[str] = mapped_column(String(300), primary_key=True)  # "<limit>:<key name or conversation id>"
    tat: Mapped[float] = mapped_column(Float)  # seconds since the epoch


class SharedRateLimiter:
    """`allow(name)` as `RateLimiter.allow`, decided in the database so every process counts the same requests."""

    def __init__(self, db: Database, per_minute: int, *, limit: str, clock: Callable[[], float] = time.time) -> None:
        if per_minute < 1:
            raise ValueError(f"a rate limit must allow at least 1 request a minute, got {per_minute}")
        self.per_minute = per_minute
        self._db = db
        self._limit = limit
        self._clock = clock
        self._interval = WINDOW_S / per_minute
        self._calls = 0
        self._lock = threading.Lock()

    def allow(self, name: str) -> float | None:
        """None when the request may go ahead; otherwise the seconds until it may."""
        key, now = f"{self._limit}:{name}", self._clock()
        dialect = postgresql if self._db.dialect == "postgresql" else sqlite
        later = (func.greatest if self._db.dialect == "postgresql" else func.max)(
            RateLimitRow.tat, now
        ) + self._interval
        upsert = dialect.insert(RateLimitRow).values(name=key, tat=now + self._interval)
        upsert = upsert.on_conflict_do_update(
            index_elements=[RateLimitRow.name], set_={"tat": later}, where=later - now <= WINDOW_S
        ).returning(RateLimitRow.tat)
        with self._db.session() as session:
            allowed = session.execute(upsert).first() is not None
            tat = None if allowed else session.scalar(select(RateLimitRow.tat).where(RateLimitRow.name == key))
        self._forget_full_buckets(now)
        if allowed or tat is None:
            return None
        return max(tat + self._interval - now - WINDOW_S, 0.0)

    def _forget_full_buckets(self, now: float) -> None:
        with self._lock:
            self._calls += 1
            if self._calls % FORGET_EVERY:
                return
        with self._db.session() as session:
            session.execute(delete(RateLimitRow).where(RateLimitRow.tat < now))
