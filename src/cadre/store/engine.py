"""Create SQLAlchemy engines: SQLite (WAL, through sqlean so extensions load) or PostgreSQL."""

from __future__ import annotations

from typing import Any

import sqlean
import sqlite_vec
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from cadre.errors import ConfigError

# A PostgreSQL that accepts no connection within this many seconds counts as down: requests answer 503 instead of
# hanging on it (libpq waits forever by default). `?connect_timeout=N` in the URL overrides it.
PG_CONNECT_TIMEOUT_S = 5


def redact_url(url: str) -> str:
    """The URL with its password hidden, for error messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"database URL must look like `sqlite:///path` or `postgresql+psycopg://user@host/db`, got {url!r}"
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url)
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        timeout = {} if "connect_timeout" in parsed.query else {"connect_timeout": PG_CONNECT_TIMEOUT_S}
        # Pre-ping: a connection the server dropped (a restart) is replaced before use, so recovery needs no one.
        return create_engine(parsed, pool_pre_ping=True, connect_args=timeout)
    raise ConfigError(f"database backend must be `sqlite` or `postgresql`, got {backend!r} in {redact_url(url)}")


def _sqlite_engine(url: str) -> Engine:
    # The stdlib sqlite3 here cannot load extensions; sqlean's drop-in module can (sqlite-vec for vectors).
    engine = create_engine(url, module=sqlean.dbapi2, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.enable_load_extension(True)
        sqlite_vec.load(dbapi_connection)
        dbapi_connection.enable_load_extension(False)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine
