"""Governed writes: an agent's action inserts or updates one entity row in the source system, in place.

Reads go through DuckDB with sources attached read-only; a write opens the source's own driver for one short
transaction instead, so only the catalog's mapped columns of one row can change, never arbitrary SQL. Files
(Parquet, CSV, lakehouse tables) are read in place and are not written. A SQLite write holds its file's write
lock (`file_locks`), so no DuckDB read of the file in this process runs beside it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cadre.data.federation import quote
from cadre.data.file_locks import writing
from cadre.data.models import EntityMapping, SourceInfo
from cadre.data.policies import Grant
from cadre.data.sources import parse_source_uri
from cadre.errors import CadreError, NotFound, PolicyDenied, SourceError

WRITABLE_KINDS = ("sqlite", "postgres")
Scalar = str | int | float | bool | None


def insert_row(
    source: SourceInfo, *, entity_name: str, entity: EntityMapping, grant: Grant, values: dict[str, Scalar]
) -> dict[str, Scalar]:
    """Insert one row; the key must be among `values`, and the policy's row filter must hold for the new row."""
    _check_fields(entity_name, entity, grant, values)
    if values.get(entity.key) in (None, ""):
        raise CadreError(f"inserting into `{entity_name}` needs its key `{entity.key}` among the values")
    row = dict(values)
    for name, required in grant.row_filter.items():
        # A row the principal could not read back is a row it may not create.
        if name in row and str(row[name]) != required:
            raise PolicyDenied(
                f"policy {grant.policy.name!r} lets {entity_name} rows be written only with {name} = {required!r}, "
                f"got {row[name]!r}"
            )
        row.setdefault(name, required)
    columns = [entity.fields[name].column for name in row]
    with _transaction(source) as (connection, mark):
        sql = (
            f"INSERT INTO {quote(entity.table)} ({', '.join(quote(c) for c in columns)}) "
            f"VALUES ({', '.join(mark for _ in columns)})"
        )
        _execute(connection, sql, list(row.values()), entity_name, source)
    return row


def update_row(
    source: SourceInfo,
    *,
    entity_name: str,
    entity: EntityMapping,
    grant: Grant,
    key: Scalar,
    values: dict[str, Scalar],
) -> dict[str, Scalar]:
    """Update the fields in `values` of the row with this key, only if the policy's row filter matches it."""
    if not values:
        raise CadreError(f"an update of `{entity_name}` {key} must change at least one field")
    if entity.key in values and values[entity.key] != key:
        raise CadreError(f"an update of `{entity_name}` cannot change its key `{entity.key}`")
    _check_fields(entity_name, entity, grant, values)
    moved = [n for n, required in grant.row_filter.items() if n in values and str(values[n]) != required]
    if moved:
        raise PolicyDenied(
            f"policy {grant.policy.name!r} does not let {entity_name} rows move out of its scope (fields {moved})"
        )
    with _transaction(source) as (connection, mark):
        assignments = ", ".join(f"{quote(entity.fields[n].column)} = {mark}" for n in values)
        conditions = [(entity.key, key), *grant.row_filter.items()]
        where = " AND ".join(f"{quote(entity.fields[n].column)} = {mark}" for n, _ in conditions)
        sql = f"UPDATE {quote(entity.table)} SET {assignments} WHERE {where}"
        params = [*values.values(), *(v for _, v in conditions)]
        cursor = _execute(connection, sql, params, entity_name, source)
        if cursor.rowcount == 0:
            # The same answer whether the row is missing or outside the policy's rows: no hint of what exists.
            raise NotFound(f"no `{entity_name}` with {entity.key} {key!r} that this principal may write")
    return {entity.key: key, **values}


def _check_fields(entity_name: str, entity: EntityMapping, grant: Grant, values: dict[str, Scalar]) -> None:
    unknown = sorted(set(values) - set(entity.fields))
    if unknown:
        raise CadreError(f"`{entity_name}` has no field(s) {unknown} (fields: {', '.join(entity.fields)})")
    grant.require_fields(list(values), entity_name, why="writing")
    wrong = {n: type(v).__name__ for n, v in values.items() if not isinstance(v, Scalar)}
    if wrong:
        raise CadreError(f"values written to `{entity_name}` must be text, numbers, booleans or null, got {wrong}")


def _execute(connection: Any, sql: str, params: list[Any], entity_name: str, source: SourceInfo) -> Any:
    """Run one statement on a sqlite3 or psycopg connection (both have `execute(sql, params)` -> cursor)."""
    try:
        cursor = connection.execute(sql, params)
    except (sqlite3.Error, _psycopg_error()) as exc:
        raise CadreError(f"writing `{entity_name}` to source {source.name!r} failed: {exc}") from exc
    return cursor


@contextmanager
def _transaction(source: SourceInfo) -> Iterator[tuple[Any, str]]:
    """One transaction on the source's own driver; committed on success, rolled back on any error."""
    uri = parse_source_uri(source.uri)
    if uri.kind not in WRITABLE_KINDS:
        raise SourceError(
            f"source {source.name!r} ({uri.kind}) is read in place and cannot be written; "
            f"writes need a {' or '.join(WRITABLE_KINDS)} source"
        )
    if uri.kind == "sqlite":
        # DuckDB reads this file with its own copy of SQLite, blind to this one's locks: no read of it in this
        # process may run from opening the file to closing it (closing drops the process's locks on the file).
        with writing(uri.location):
            # A busy timeout, because other processes (workers, the company's own tools) may hold the file.
            sqlite = sqlite3.connect(uri.location, timeout=10, isolation_level=None)
            try:
                sqlite.execute("BEGIN IMMEDIATE")
                yield sqlite, "?"
                sqlite.execute("COMMIT")
            except BaseException:
                if sqlite.in_transaction:
                    sqlite.execute("ROLLBACK")
                raise
            finally:
                sqlite.close()
        return
    import psycopg

    with psycopg.connect(uri.location, connect_timeout=10) as postgres:  # commits on success, rolls back on error
        yield postgres, "%s"


def _psycopg_error() -> type[Exception]:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency; keep the error type importable regardless
        return sqlite3.Error
    return psycopg.Error
