"""Source URIs: parse and check them, and keep the registry of named sources."""

from __future__ import annotations

import glob
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from cadre.data.models import SourceInfo, SourceKind
from cadre.data.store import SourceRow
from cadre.errors import NotFound, SourceError
from cadre.store import Database

SOURCE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# Names DuckDB uses for its own catalogs and schemas.
RESERVED_NAMES = {"main", "memory", "system", "temp", "information_schema", "pg_catalog"}

URI_FORMS = (
    "sqlite:///path/to/file.db, postgresql://user:pass@host:5432/db, mysql://user:pass@host:3306/db, "
    "parquet:///dir-or-glob, csv:///dir-or-glob, s3://bucket/path/*.parquet, iceberg:///path, delta:///path"
)
FILE_KINDS: tuple[SourceKind, ...] = ("sqlite", "parquet", "csv", "iceberg", "delta")
HOME_MARK = "$CADRE_HOME"  # how a stored file source's location inside the Cadre home begins


@dataclass(frozen=True)
class SourceURI:
    kind: SourceKind
    location: str  # a filesystem path or glob for file kinds; the connection URI for servers

    @property
    def is_file(self) -> bool:
        return self.kind in FILE_KINDS


def parse_source_uri(uri: str) -> SourceURI:
    """Check `uri` and say what it points at; file paths are made absolute and must exist."""
    scheme, sep, rest = uri.partition("://")
    if not sep or not rest:
        raise SourceError(f"source URI must look like one of: {URI_FORMS}; got {uri!r}")
    scheme = scheme.lower()
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        parts = urlsplit(uri)
        if not parts.hostname or not parts.path.strip("/"):
            raise SourceError(f"PostgreSQL URI must name a host and a database, got {redact_uri(uri)!r}")
        return SourceURI("postgres", "postgresql://" + uri.split("://", 1)[1])
    if scheme == "mysql":
        parts = urlsplit(uri)
        if not parts.hostname or not parts.path.strip("/"):
            raise SourceError(f"MySQL URI must name a host and a database, got {redact_uri(uri)!r}")
        return SourceURI("mysql", uri)
    if scheme == "s3":
        return SourceURI("s3", uri)
    if scheme in FILE_KINDS:
        kind: SourceKind = scheme
        return SourceURI(kind, _existing_path(rest, uri, kind))
    raise SourceError(
        f"source URI scheme must be one of sqlite, postgresql, mysql, parquet, csv, s3, "
        f"iceberg, delta; got {scheme!r} in {uri!r}"
    )


def _existing_path(rest: str, uri: str, kind: SourceKind) -> str:
    # `sqlite:///abs/path` keeps its leading slash; `sqlite://rel/path` is relative to the working directory.
    path = Path(rest).expanduser()
    path = path if path.is_absolute() else Path.cwd() / path
    text = str(path)
    if glob.has_magic(text):
        if not glob.glob(text, recursive=True):
            raise SourceError(f"no file matches {text!r} (from {uri!r})", hint="check the path and the pattern")
        return text
    if not path.exists():
        raise SourceError(f"no file or folder at {text!r} (from {uri!r})", hint="check the path")
    if kind == "sqlite" and not path.is_file():
        raise SourceError(f"a SQLite source must be a file, {text!r} is a folder")
    return str(path.resolve())


def redact_uri(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.password:
        return uri.replace(f":{parts.password}@", ":***@")
    return uri


def check_source_name(name: str) -> str:
    if not SOURCE_NAME.match(name) or name in RESERVED_NAMES:
        raise SourceError(
            f"source name must be lowercase letters, digits and `_`, start with a letter and not be one of "
            f"{sorted(RESERVED_NAMES)}; got {name!r}"
        )
    return name


class SourceRegistry:
    """The named sources Cadre reads in place, kept in the system of record.

    A file source inside `home` (the sample company's, say) is stored relative to it (`sqlite://$CADRE_HOME/...`)
    and read back under the home of whoever opens the registry: a copied home reads and writes its own copies of
    those files, never the original's.
    """

    def __init__(self, db: Database, *, home: Path | None = None) -> None:
        self._db = db
        self._home = home.expanduser().resolve() if home is not None else None

    def list(self) -> list[SourceInfo]:
        with self._db.session() as session:
            rows = session.scalars(select(SourceRow).order_by(SourceRow.name)).all()
            return [self._info(r) for r in rows]

    def get(self, name: str) -> SourceInfo:
        with self._db.session() as session:
            row = session.get(SourceRow, name)
            if row is None:
                known = ", ".join(s.name for s in self.list()) or "none yet"
                raise NotFound(
                    f"no source named {name!r} (known: {known})", hint="add it with `cadre data source add NAME URI`"
                )
            return self._info(row)

    def add(self, name: str, uri: str, *, replace: bool = False) -> SourceInfo:
        """Register a source after checking it can be read; nothing is stored if the check fails."""
        from cadre.data.federation import probe_source

        check_source_name(name)
        parsed = parse_source_uri(uri)
        stored_uri = f"{parsed.kind}://{parsed.location}" if parsed.is_file else uri
        info = SourceInfo(name=name, uri=stored_uri, kind=parsed.kind)
        tables = probe_source(info)
        with self._db.session() as session:
            existing = session.get(SourceRow, name)
            if existing is not None and not replace:
                raise SourceError(
                    f"a source named {name!r} already exists ({self._info(existing).uri})",
                    hint="pass `--replace` to point it elsewhere",
                )
            stored = self._portable(info.uri, parsed)
            if existing is not None:
                existing.uri, existing.kind = stored, info.kind
            else:
                session.add(SourceRow(name=name, uri=stored, kind=info.kind, created_at=datetime.now(UTC)))
        return SourceInfo(name=name, uri=info.uri, kind=info.kind, tables=tuple(tables))

    def _portable(self, uri: str, parsed: SourceURI) -> str:
        if self._home is None or not parsed.is_file:
            return uri
        location = Path(parsed.location)
        if not location.is_relative_to(self._home):
            return uri
        return f"{parsed.kind}://{HOME_MARK}/{location.relative_to(self._home).as_posix()}"

    def _info(self, row: SourceRow) -> SourceInfo:
        uri = row.uri
        kind, _, location = uri.partition("://")
        if location.startswith(HOME_MARK + "/"):
            if self._home is None:
                raise SourceError(
                    f"source {row.name!r} lies in the Cadre home ({uri}), which this registry was opened without"
                )
            uri = f"{kind}://{self._home / location.removeprefix(HOME_MARK + '/')}"
        return SourceInfo(name=row.name, uri=uri, kind=row.kind)  # type: ignore[arg-type]

    def remove(self, name: str) -> None:
        with self._db.session() as session:
            row = session.get(SourceRow, name)
            if row is None:
                raise NotFound(f"no source named {name!r}")
            session.delete(row)
