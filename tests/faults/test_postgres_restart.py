"""PostgreSQL restarted under load: while it is down every request answers 503 with `{"error": …}` at once (none
hangs, none is a 500), `/healthz` says unavailable, and once it is back requests succeed with nobody stepping in."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from cadre.server import api
from cadre.server.app import create_app
from cadre.server.services import Services
from cadre.settings import Settings
from cadre.store import open_database
from cadre.testing.postgres import ThrowawayPostgres
from tests.faults.conftest import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CLIENTS = 4
FAST_S = 5.0  # "fails fast": far below any client's patience, and well below a hung connection's minutes


@dataclass(frozen=True)
class Answer:
    started: float
    seconds: float
    status: int | None  # None: no HTTP answer at all (the connection failed or timed out)
    body: dict[str, object] | str
    retry_after: str | None


@dataclass
class Load:
    """Clients reading and writing through the API until stopped, every answer kept in order."""

    url: str
    headers: dict[str, str]
    answers: list[Answer] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, client_number: int) -> None:
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=30) as client:
            sent = 0
            while not self.stopping.is_set():
                sent += 1
                started = time.monotonic()
                try:
                    if sent % 2:
                        response = client.get("/api/conversations", params={"limit": 5})
                    else:
                        response = client.post("/api/keys", json={"role": "analyst", "name": f"load {client_number}"})
                    body: dict[str, object] | str = response.json() if response.content else ""
                    answer = Answer(
                        started,
                        time.monotonic() - started,
                        response.status_code,
                        body,
                        response.headers.get("retry-after"),
                    )
                except (httpx.TransportError, ValueError) as exc:
                    answer = Answer(started, time.monotonic() - started, None, repr(exc), None)
                with self.lock:
                    self.answers.append(answer)

    def since(self, moment: float) -> list[Answer]:
        with self.lock:
            return [a for a in self.answers if a.started >= moment]


@pytest.fixture(scope="module")
def database() -> Iterator[ThrowawayPostgres]:
    """A PostgreSQL of this module's own: the test stops and starts it."""
    with ThrowawayPostgres() as server:
        yield server


@pytest.fixture
def load(database: ThrowawayPostgres, tmp_path: Path, serve: Callable[[FastAPI], str]) -> Iterator[Load]:
    settings = Settings(home=tmp_path / "home", database_url=database.create_database("restarted"))
    services = Services(settings, open_database(settings))
    secret, _ = services.keys.create("admin", name="load")
    running = Load(serve(create_app(services, mounts=[api.mount])), {"Authorization": f"Bearer {secret}"})
    clients = [threading.Thread(target=running.run, args=(n,)) for n in range(CLIENTS)]
    for client in clients:
        client.start()
    yield running
    running.stopping.set()
    for client in clients:
        client.join(timeout=60)
    services.db.close()


def test_a_restart_of_postgresql_is_a_short_503_that_heals_itself(database: ThrowawayPostgres, load: Load) -> None:
    wait_for(lambda: len(load.since(0)) >= 20, within_s=30, what="20 answers before the restart")

    database.stop()
    down = time.monotonic()
    wait_for(lambda: len(load.since(down)) >= 20, within_s=30, what="20 answers while PostgreSQL is down")
    health = httpx.get(f"{load.url}/healthz", timeout=30)
    restarting = time.monotonic()
    database.start()
    up = time.monotonic()
    wait_for(lambda: len(load.since(up)) >= 20, within_s=30, what="20 answers after PostgreSQL is back")
    everything = load.since(0)

    assert {a.status for a in everything} <= {200, 201, 503}, [a for a in everything if a.status not in (200, 201, 503)]
    while_down = [a for a in load.since(down) if a.started + a.seconds < restarting]
    assert while_down and all(a.status == 503 for a in while_down), [a for a in while_down if a.status != 503]
    assert all(a.body == {"error": "the database is unavailable; try again shortly"} for a in while_down)
    assert all(a.retry_after == "2" for a in while_down)
    assert max(a.seconds for a in while_down) < FAST_S
    assert (health.status_code, health.json()["status"]) == (503, "unavailable")
    # Recovered on the first request after the restart, on every client: the pool replaced its dead connections.
    assert all(a.status in (200, 201) for a in load.since(up))
