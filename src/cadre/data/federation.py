"""Zero-copy federation: one DuckDB connection with every source attached or read in place.

Nothing is imported or copied: SQLite, PostgreSQL and MySQL sources are ATTACHed read-only, and
Parquet / CSV / Iceberg / Delta sources become views over their files, so every query sees the
source as it is now and results stream in batches instead of being loaded whole.

A DuckDB connection runs one statement at a time and a new statement ends the last one's result, so each thread
queries through its own cursor on the shared database (what is attached is seen by all of them); attaching and
re-attaching, which change that shared catalog, take a lock.

SQLite sources are written in place by `writes.py` with Python's own SQLite, which does not see the locks of
the SQLite inside DuckDB: every DuckDB statement that opens a SQLite source file holds that file's read lock
(`file_locks`) from its start until its result is read to the end or closed, so no write of the file in this
process runs meanwhile.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from cadre.data._extensions import OFFLINE_CONFIG, load_extension
from cadre.data.file_locks import ReadLease, read_lease
from cadre.data.models import SourceInfo
from cadre.data.sources import SourceURI, parse_source_uri
from cadre.errors import CadreError, QueryError, SourceError, SourceUnavailable

PARQUET_SUFFIXES = (".parquet", ".parq")
CSV_SUFFIXES = (".csv", ".tsv", ".csv.gz", ".tsv.gz")
BATCH_ROWS = 2048
# Catalog schemas of the attached servers themselves, not company data.
SYSTEM_SCHEMAS = {"information_schema", "pg_catalog", "pg_toast", "mysql", "performance_schema", "sys"}
# A source that was down, or lacked a table, is looked at again on use, at most this often: a server that is down
# costs each request a failed connection attempt, but one that is back is used again without a restart.
RECHECK_AFTER_S = 5.0


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass
class QueryResult:
    """Columns now, rows as they arrive: iterate `batches()` to stream without holding everything.

    Until it is read to the end or closed, a result holds the read lock of the SQLite source files it may read, so
    writes of those files wait: iterate it through, or `close()` it (leaving it to the garbage collector works in
    CPython, which collects it as soon as the last reference goes)."""

    columns: list[str]
    types: list[str]
    _reader: Any
    on_finish: Callable[[int], None] | None = None  # told how many rows were read, even if stopped early
    _end: Callable[[bool], None] | None = field(default=None, repr=False)  # told whether it was read to the end

    def batches(self) -> Iterator[list[tuple[Any, ...]]]:
        count = 0
        exhausted = False
        try:
            for batch in self._reader:
                columns = [column.to_pylist() for column in batch.columns]
                rows = list(zip(*columns, strict=True)) if columns else []
                count += len(rows)
                yield rows
            exhausted = True
        finally:
            self._finish(exhausted)
            if self.on_finish is not None:
                self.on_finish(count)

    def close(self) -> None:
        """Stop reading: DuckDB's statement ends, and with it the read lock of the sources it read."""
        self._finish(False)

    def _finish(self, exhausted: bool) -> None:
        end, self._end = self._end, None
        if end is not None:
            end(exhausted)

    def __del__(self) -> None:
        self.close()

    def rows(self) -> Iterator[tuple[Any, ...]]:
        for batch in self.batches():
            yield from batch


@dataclass
class Federation:
    """The sources of one query session; open with `Federation.open(sources)`, close when done."""

    connection: duckdb.DuckDBPyConnection
    tables: dict[str, list[str]] = field(default_factory=dict)  # source -> its tables
    relations: dict[tuple[str, str], str] = field(default_factory=dict)  # (source, table) -> SQL name
    unavailable: dict[str, CadreError] = field(default_factory=dict)
    sources: dict[str, SourceInfo] = field(default_factory=dict)  # what was attached, to attach it again
    recheck_after_s: float = RECHECK_AFTER_S
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    _checked: dict[str, float] = field(default_factory=dict, repr=False)  # source -> when it was last attached
    _local: threading.local = field(default_factory=threading.local, repr=False)  # this thread's cursor
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)  # guards attaching
    _cursors: list[duckdb.DuckDBPyConnection] = field(default_factory=list, repr=False)
    _sqlite_files: dict[str, str] = field(default_factory=dict, repr=False)  # SQLite source -> its file
    _latest: dict[int, object] = field(default_factory=dict, repr=False)  # cursor -> its latest statement

    @classmethod
    def open(
        cls,
        sources: Sequence[SourceInfo],
        *,
        memory_limit: str = "2GB",
        threads: int = 2,
        temp_directory: Path | None = None,
        strict: bool = False,
    ) -> Federation:
        """Attach every source; one that cannot be reached is noted (or raised, with `strict`)."""
        config: dict[str, Any] = {**OFFLINE_CONFIG, "memory_limit": memory_limit, "threads": threads}
        if temp_directory is not None:
            temp_directory.mkdir(parents=True, exist_ok=True)
            config["temp_directory"] = str(temp_directory)
        federation = cls(connection=duckdb.connect(":memory:", config=config))
        for source in sources:
            federation.sources[source.name] = source
            try:
                federation._attach(source)
            except CadreError as exc:
                if strict:
                    federation.close()
                    raise
                federation.unavailable[source.name] = exc
        return federation

    def __enter__(self) -> Federation:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            for cursor in self._cursors:
                cursor.close()
            self._cursors.clear()
        self.connection.close()

    @property
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor: concurrent requests never share a statement or read each other's rows."""
        cursor: duckdb.DuckDBPyConnection | None = getattr(self._local, "cursor", None)
        if cursor is None:
            with self._lock:
                cursor = self.connection.cursor()
                self._cursors.append(cursor)
            self._local.cursor = cursor
        return cursor

    # ------------------------------------------------------------------ attaching

    def _attach(self, source: SourceInfo) -> None:
        self._checked[source.name] = self.clock()
        try:
            uri = parse_source_uri(source.uri)
        except SourceError as exc:  # registered once, but its files have gone since
            raise SourceUnavailable(
                f"source {source.name!r} cannot be read: {exc}",
                hint="restore it, or re-point it with `cadre data source add --replace`",
            ) from exc
        if uri.kind == "sqlite":
            self._sqlite_files[source.name] = uri.location
            with self.reading([source.name]):  # attaching reads the file's schema
                self._attach_database(source.name, uri)
        elif uri.kind in ("postgres", "mysql"):
            self._attach_database(source.name, uri)
        elif uri.kind in ("parquet", "csv"):
            self._attach_files(source.name, uri)
        else:
            self._attach_lakehouse(source.name, uri)

    def _attach_database(self, name: str, uri: SourceURI) -> None:
        extension = {"sqlite": "sqlite_scanner", "postgres": "postgres_scanner", "mysql": "mysql_scanner"}[uri.kind]
        load_extension(self.connection, extension)
        duck_type = {"sqlite": "sqlite", "postgres": "postgres", "mysql": "mysql"}[uri.kind]
        try:
            self.connection.execute(f"ATTACH {sql_string(uri.location)} AS {quote(name)} (TYPE {duck_type}, READ_ONLY)")
            listed = self.connection.execute(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_catalog = ? ORDER BY table_schema, table_name",
                [name],
            ).fetchall()
        except duckdb.Error as exc:
            raise SourceUnavailable(
                f"cannot read source {name!r} ({uri.kind}): {_first_line(exc)}",
                hint="check that it is running and the URI, user and password are right",
            ) from exc
        tables: list[str] = []
        for schema, table in listed:
            if schema in SYSTEM_SCHEMAS or schema.startswith("pg_"):
                continue
            local = table if schema in ("main", "public") else f"{schema}.{table}"
            tables.append(local)
            self.relations[(name, local)] = f"{quote(name)}.{quote(schema)}.{quote(table)}"
        self.tables[name] = tables

    def _attach_files(self, name: str, uri: SourceURI) -> None:
        reader = "read_parquet" if uri.kind == "parquet" else "read_csv"
        options = ", union_by_name = true" + (", hive_partitioning = true" if uri.kind == "parquet" else "")
        if uri.kind == "csv":
            options += ", header = true, auto_detect = true"
        location = Path(uri.location)
        if location.is_dir():
            members = _folder_tables(location, PARQUET_SUFFIXES if uri.kind == "parquet" else CSV_SUFFIXES)
            if not members:
                raise SourceError(f"folder {uri.location!r} holds no {uri.kind} files")
        else:
            members = {name: uri.location}
        self.connection.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(name)}")
        for table, pattern in members.items():
            relation = f"{quote(name)}.{quote(table)}"
            # A view is only a saved query: the files are read, in place, each time it is used.
            self.connection.execute(
                f"CREATE OR REPLACE VIEW {relation} AS SELECT * FROM {reader}({sql_string(pattern)}{options})"
            )
            self.relations[(name, table)] = relation
        if not location.is_dir():
            self.connection.execute(
                f"CREATE OR REPLACE VIEW main.{quote(name)} AS SELECT * FROM {quote(name)}.{quote(name)}"
            )
        self.tables[name] = sorted(members)

    def _attach_lakehouse(self, name: str, uri: SourceURI) -> None:
        if uri.kind == "s3":
            load_extension(self.connection, "httpfs")
            scan = f"read_parquet({sql_string(uri.location)}, union_by_name = true)"
        elif uri.kind == "iceberg":
            load_extension(self.connection, "iceberg")
            scan = f"iceberg_scan({sql_string(uri.location)})"
        else:
            load_extension(self.connection, "delta")
            scan = f"delta_scan({sql_string(uri.location)})"
        self.connection.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(name)}")
        relation = f"{quote(name)}.{quote(name)}"
        try:
            self.connection.execute(f"CREATE OR REPLACE VIEW {relation} AS SELECT * FROM {scan}")
            self.connection.execute(f"CREATE OR REPLACE VIEW main.{quote(name)} AS SELECT * FROM {relation}")
        except duckdb.Error as exc:
            raise SourceUnavailable(f"cannot read source {name!r} ({uri.kind}): {_first_line(exc)}") from exc
        self.relations[(name, name)] = relation
        self.tables[name] = [name]

    # ------------------------------------------------------------------ querying

    def relation(self, source: str, table: str) -> str:
        """The SQL name of `table` in `source`, or a clear error if either is missing now."""
        if source in self.unavailable or (source in self.tables and (source, table) not in self.relations):
            with self._lock:
                self._recheck(source)
        if source in self.unavailable:
            raise self.unavailable[source]
        if source not in self.tables:
            raise SourceError(
                f"no source named {source!r} is registered", hint="add it with `cadre data source add NAME URI`"
            )
        relation = self.relations.get((source, table))
        if relation is None:
            raise SourceError(
                f"source {source!r} has no table {table!r} (it has: {', '.join(self.tables[source]) or 'none'})"
            )
        return relation

    def _recheck(self, name: str) -> None:
        """Attach `name` again if it has not been tried lately: a source restarted, or a file put back, is used."""
        info = self.sources.get(name)
        if info is None or self.clock() - self._checked.get(name, float("-inf")) < self.recheck_after_s:
            return
        for key in [key for key in self.relations if key[0] == name]:
            del self.relations[key]
        self.tables.pop(name, None)
        try:
            if parse_source_uri(info.uri).kind in ("sqlite", "postgres", "mysql"):
                with self.reading([name]):
                    self.connection.execute(f"DETACH DATABASE IF EXISTS {quote(name)}")
            self._attach(info)
        except (CadreError, duckdb.Error) as exc:
            error = exc if isinstance(exc, CadreError) else SourceUnavailable(f"cannot read source {name!r}: {exc}")
            self.unavailable[name] = error
        else:
            self.unavailable.pop(name, None)

    def columns(self, source: str, table: str) -> dict[str, str]:
        """Column name -> DuckDB type of one table, read from the source now."""
        relation = self.relation(source, table)
        try:
            with self.reading([source]):
                cursor = self.cursor
                self._latest[id(cursor)] = object()  # this statement ends any result the cursor was streaming
                described = cursor.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
        except duckdb.Error as exc:
            raise SourceUnavailable(f"cannot read {source}.{table}: {_first_line(exc)}") from exc
        return {row[0]: row[1] for row in described}

    def query(
        self,
        sql: str,
        params: Sequence[Any] | None = None,
        *,
        batch_rows: int = BATCH_ROWS,
        sources: Sequence[str] | None = None,
    ) -> QueryResult:
        """Run `sql` against the attached sources; rows stream in Arrow batches. `sources` names the sources the
        SQL reads, when known, so that only writes of those wait for it (default: every SQLite source)."""
        cursor = self.cursor
        lease = self.read_lease(sources)
        statement = self._latest[id(cursor)] = object()
        try:
            result = cursor.execute(sql, list(params) if params else None)
            if result.description is None:
                lease.release()
                return QueryResult(columns=[], types=[], _reader=iter(()))
            columns = [d[0] for d in result.description]
            types = [str(d[1]) for d in result.description]
            reader = result.to_arrow_reader(batch_rows)
        except duckdb.Error as exc:
            _end_statement(cursor)
            lease.release()
            raise self._explain(exc) from exc
        except BaseException:
            _end_statement(cursor)
            lease.release()
            raise

        def end(exhausted: bool) -> None:
            try:
                if not exhausted and self._latest.get(id(cursor)) is statement:
                    # DuckDB keeps a statement read part-way open, with SQLite's files, until the cursor's next
                    # statement; the read lock must outlast it. A later statement has ended it already, and must
                    # not be ended in its turn.
                    _end_statement(cursor)
            finally:
                lease.release()

        return QueryResult(columns=columns, types=types, _reader=reader, _end=end)

    def read_lease(self, sources: Sequence[str] | None = None) -> ReadLease:
        """The read lock of the SQLite files among `sources` (default: all of them), held until released."""
        names = self._sqlite_files if sources is None else sources
        return read_lease(self._sqlite_files[name] for name in names if name in self._sqlite_files)

    @contextmanager
    def reading(self, sources: Sequence[str] | None = None) -> Iterator[None]:
        lease = self.read_lease(sources)
        try:
            yield
        finally:
            lease.release()

    def _explain(self, exc: duckdb.Error) -> CadreError:
        message = _first_line(exc)
        for name, error in self.unavailable.items():
            if name in message:
                return SourceUnavailable(f"{message} — source {name!r} is unavailable: {error}")
        return QueryError(f"query failed: {message}")


def _folder_tables(folder: Path, suffixes: tuple[str, ...]) -> dict[str, str]:
    """Each data file in `folder` is a table, and so is each sub-folder holding data files."""
    tables: dict[str, str] = {}
    for entry in sorted(folder.iterdir()):
        if entry.is_file() and entry.name.endswith(suffixes):
            stem = entry.name
            for suffix in suffixes:
                stem = stem.removesuffix(suffix)
            tables[stem] = str(entry)
        elif entry.is_dir() and any(p.name.endswith(suffixes) for p in entry.rglob("*")):
            suffix = next(p.name for p in entry.rglob("*") if p.name.endswith(suffixes))
            ext = next(s for s in suffixes if suffix.endswith(s))
            tables[entry.name] = str(entry / "**" / f"*{ext}")
    return tables


def _end_statement(cursor: duckdb.DuckDBPyConnection) -> None:
    """End the cursor's statement, if one is still open: its next statement is the only way DuckDB offers."""
    try:
        cursor.execute("SELECT NULL").fetchall()
    except duckdb.Error:  # a closed connection has no statement left open
        return


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def probe_source(source: SourceInfo) -> list[str]:
    """Attach one source on its own and list its tables; raises if it cannot be read."""
    with Federation.open([source], strict=True) as federation:
        return federation.tables[source.name]
