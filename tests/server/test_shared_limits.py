"""Rate limits kept in the database: the in-process limiter's behaviour, shared by every process that asks."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from cadre.server.limits import RateLimiter
from cadre.server.services import Services
from cadre.server.shared_limits import SharedRateLimiter
from cadre.settings import Settings
from cadre.store import Database


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_shared_bucket_allows_its_rate_with_bursts_and_says_how_long_to_wait(db: Database) -> None:
    clock = Clock()
    limiter = SharedRateLimiter(db, 3, limit="key", clock=clock)
    assert [limiter.allow("k") for _ in range(3)] == [None, None, None]
    assert limiter.allow("k") == pytest.approx(20.0)  # one request every 20 s at 3 a minute, as in-process
    assert limiter.allow("other") is None  # each name has its own bucket
    assert SharedRateLimiter(db, 3, limit="conversation", clock=clock).allow("k") is None  # and each limit
    clock.now += 20.0
    assert limiter.allow("k") is None and limiter.allow("k") == pytest.approx(20.0)
    clock.now += 600.0
    assert [limiter.allow("k") for _ in range(4)][-1] == pytest.approx(20.0)  # a rested bucket holds 3, not more
    with pytest.raises(ValueError, match="at least 1 request a minute"):
        SharedRateLimiter(db, 0, limit="key")


def test_processes_sharing_the_database_share_the_limit(db: Database) -> None:
    clock = Clock()
    processes = [SharedRateLimiter(db, 10, limit="key", clock=clock) for _ in range(3)]
    allowed: list[bool] = []
    lock = threading.Lock()

    def ask(limiter: SharedRateLimiter) -> None:
        for _ in range(8):
            verdict = limiter.allow("busy") is None
            with lock:
                allowed.append(verdict)

    threads = [threading.Thread(target=ask, args=(limiter,)) for limiter in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 24 and allowed.count(True) == 10  # once across the three, not 10 each


def test_the_server_shares_its_limits_on_postgresql_and_keeps_them_in_process_on_sqlite(
    db: Database, tmp_path: Path
) -> None:
    services = Services(Settings(home=tmp_path / "home"), db)
    expected = SharedRateLimiter if db.dialect == "postgresql" else RateLimiter
    assert isinstance(services.key_limits, expected) and isinstance(services.conversation_limits, expected)
    assert services.key_limits.per_minute == 600 and services.conversation_limits.per_minute == 30
