"""One handle on the system of record: engine, sessions, and schema kept at the latest migration."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from cadre.errors import ConfigError
from cadre.settings import Settings
from cadre.store.engine import make_engine, redact_url
from cadre.store.migrate import upgrade_to_head


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()


def open_database(settings: Settings, *, migrate: bool = True) -> Database:
    """Connect to the configured database, creating `CADRE_HOME` and migrating the schema as needed."""
    url = settings.sqlalchemy_url
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ConfigError(
            f"cannot reach the database at {redact_url(url)}: {reason}",
            hint="check `CADRE_DATABASE_URL` and that the server is running",
        ) from exc
    if migrate:
        upgrade_to_head(engine)
    return Database(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
