"""Shared fixtures: a fresh Cadre home per test, a throwaway PostgreSQL, the sample company, a live app server."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from cadre.cli import _context
from cadre.settings import Settings
from cadre.store import Database, open_database
from cadre.testing.ports import free_port
from cadre.testing.postgres import ThrowawayPostgres
from tests.hero_company import hero  # noqa: F401  (a session fixture: the sample company, shared by every test directory)


def pytest_configure(config: pytest.Config) -> None:
    """A developer's shell settings (an LLM endpoint, a database URL, an OpenAI key) must not change what tests see;
    `CADRE_TEST_*` variables are the tests' own."""
    for name in list(os.environ):
        if (name.startswith("CADRE_") and not name.startswith("CADRE_TEST_")) or name.startswith("OPENAI_"):
            del os.environ[name]


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests reach 127.0.0.1 only; any other address fails loudly instead of silently slowing down."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else None
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost"):
            raise RuntimeError(f"tests must not reach the network, tried {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def cadre_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty `CADRE_HOME` with the default (SQLite) store, set for the CLI too."""
    home = tmp_path / "home"
    monkeypatch.setenv("CADRE_HOME", str(home))
    for name in ("CADRE_DATABASE_URL", "CADRE_CATALOG_PATH", "CADRE_POLICIES_PATH"):
        monkeypatch.delenv(name, raising=False)
    _context.reset()
    yield home
    _context.reset()


@pytest.fixture(scope="session")
def postgres() -> Iterator[ThrowawayPostgres]:
    """A real PostgreSQL 18 (with pgvector) on 127.0.0.1 in a throwaway cluster, deleted afterwards."""
    with ThrowawayPostgres() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres: ThrowawayPostgres) -> str:
    return postgres.create_database("cadre_tests")


def _fresh_postgres(url: str) -> str:
    """Drop everything in the shared test database so each store test starts empty."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for each supported system of record: the store tests run on both."""
    if request.param == "sqlite":
        return Settings(home=tmp_path / "home")
    url = _fresh_postgres(request.getfixturevalue("postgres_url"))
    return Settings(home=tmp_path / "home", database_url=url)


@pytest.fixture
def db(store_settings: Settings) -> Iterator[Database]:
    database = open_database(store_settings)
    yield database
    database.close()


SERVER_STARTUP_S = 20.0


@pytest.fixture
def serve() -> Iterator[Callable[[FastAPI], str]]:
    """Serve an app on a free port of 127.0.0.1 for the test; returns its base URL."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app: FastAPI) -> str:
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + SERVER_STARTUP_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the test server did not start on port {port}")
            time.sleep(0.02)
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)
