"""Identity resolution: link records of the same person (or company) across and within sources.

Fields are cleaned (case, accents, nicknames, phone digits, ISO dates), a Fellegi-Sunter model is trained
with Splink on DuckDB, offline, and the pairs scoring at or above a threshold are joined into clusters.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from cadre.data._extensions import OFFLINE_CONFIG
from cadre.data._infer import infer_kind
from cadre.data._prepare import fields_of, mark_usernames_spelling_names, merge_names, prepare_frame
from cadre.data._splink_model import score_pairs
from cadre.data._splink_settings import choose_blocking_rules
from cadre.data.models import ComparisonKind
from cadre.errors import ResolutionError

__all__ = ["LinkedPair", "Resolution", "infer_comparisons", "resolve_files", "resolve_records"]

# Which file a row came from, when files are resolved together.
_SOURCE_COLUMN = "__cadre_source_file__"


@dataclass(frozen=True)
class LinkedPair:
    """Two records judged to be the same entity; `a` sorts before `b`."""

    a: str
    b: str
    probability: float


@dataclass(frozen=True)
class Resolution:
    """Every input id in exactly one cluster (singletons too), and the scored pairs behind the clusters.

    `clusters` are sorted inside and by first id; `pairs` are those scoring at least the threshold, by (a, b);
    `comparisons` are the caller's columns that took part (empty ones are left out); `blocking_rules` are the
    SQL conditions that chose which pairs to score, over the cleaned columns (`1=1`: every pair).
    """

    clusters: list[list[str]]
    pairs: list[LinkedPair]
    records: int
    seconds: float
    comparisons: dict[str, ComparisonKind]
    blocking_rules: list[str]


def resolve_records(
    records: pd.DataFrame,
    *,
    compare: Mapping[str, ComparisonKind],
    id_column: str = "unique_id",
    source_column: str | None = None,
    threshold: float = 0.9,
) -> Resolution:
    """Cluster `records` into entities, comparing the columns named in `compare` as their kind says."""
    started = time.perf_counter()
    if not 0 < threshold < 1:
        raise ResolutionError(f"`threshold` must be between 0 and 1, got {threshold!r}")
    ids = _ids(records, id_column)
    fields = fields_of(records, compare, id_column)
    frame = prepare_frame(records, ids, fields)
    by_source = False
    if source_column is not None:
        if source_column not in records.columns:
            raise ResolutionError(
                f"`source_column` must be one of the columns {list(records.columns)}, got {source_column!r}"
            )
        sources = records[source_column].astype(str).to_numpy()
        frame.insert(1, "source_dataset", sources)
        by_source = frame["source_dataset"].nunique() > 1
    # A field with no values left after cleaning carries no evidence (and would upset training).
    used = [f for f in fields if frame[f.column].notna().any()]
    fields = merge_names(frame, used)
    mark_usernames_spelling_names(frame, fields)
    rules = choose_blocking_rules(frame, fields) if fields and len(frame) > 1 else []
    scored = score_pairs(frame, fields, rules=rules, by_source=by_source, threshold=threshold) if rules else []
    pairs = sorted((LinkedPair(p.left, p.right, p.probability) for p in scored), key=lambda p: (p.a, p.b))
    return Resolution(
        clusters=_clusters(ids, pairs),
        pairs=pairs,
        records=len(ids),
        seconds=round(time.perf_counter() - started, 3),
        comparisons={f.source: f.kind for f in used},
        blocking_rules=[rule.sql for rule in rules],
    )


def infer_comparisons(records: pd.DataFrame, *, id_column: str) -> dict[str, ComparisonKind]:
    """How to compare each useful column, judged from its name and a sample of its values.

    Columns that cannot tell two people apart are left out: row numbers, values unique to every row or the
    same in all, record timestamps, amounts and long free text.
    """
    inferred: dict[str, ComparisonKind] = {}
    for column in records.columns:
        if column == id_column:
            continue
        kind = infer_kind(str(column), records[column])
        if kind is not None:
            inferred[str(column)] = kind
    return inferred


def resolve_files(paths: Sequence[Path], *, id_column: str, threshold: float = 0.9) -> Resolution:
    """Resolve the records of CSV or Parquet files together, each file a source; a column only some files have
    is blank in the others, and how to compare each column is inferred."""
    if not paths:
        raise ResolutionError("`paths` must name at least one CSV or Parquet file, got none")
    frames: list[pd.DataFrame] = []
    labels = _file_labels([Path(path) for path in paths])
    for path, label in labels.items():
        frame = _read_file(path)
        if id_column not in frame.columns:
            raise ResolutionError(
                f"file {str(path)!r} has no id column {id_column!r}; its columns are {list(frame.columns)}"
            )
        frames.append(frame.assign(**{_SOURCE_COLUMN: label}))
    records = pd.concat(frames, ignore_index=True, sort=False)
    _check_ids_across_files(records, id_column)
    compare = infer_comparisons(records.drop(columns=_SOURCE_COLUMN), id_column=id_column)
    if not compare:
        raise ResolutionError(
            f"no comparable columns in {[str(path) for path in labels]}: every column besides {id_column!r} is "
            f"empty, unique per row or not identifying; the columns are {list(records.columns[:-1])}"
        )
    return resolve_records(
        records,
        compare=compare,
        id_column=id_column,
        source_column=_SOURCE_COLUMN if len(frames) > 1 else None,
        threshold=threshold,
    )


def _file_labels(paths: list[Path]) -> dict[Path, str]:
    """Each file's label in messages and as its source: its name, or its full path where names repeat."""
    names = [path.name for path in paths]
    return {path: path.name if names.count(path.name) == 1 else str(path) for path in paths}


def _read_file(path: Path) -> pd.DataFrame:
    """All columns as text, blanks as nulls; CSV or Parquet by suffix."""
    if not path.is_file():
        raise ResolutionError(f"file {str(path)!r} does not exist")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        sql = "select * from read_csv(?, all_varchar = true, header = true)"
    elif suffix in (".parquet", ".pq"):
        sql = "select columns(*)::varchar from read_parquet(?)"
    else:
        raise ResolutionError(f"file {str(path)!r} must be a .csv or .parquet file, got suffix {suffix!r}")
    config: dict[str, Any] = {**OFFLINE_CONFIG}
    with duckdb.connect(":memory:", config=config) as connection:
        try:
            return connection.execute(sql, [str(path)]).df()
        except duckdb.Error as exc:
            raise ResolutionError(f"file {str(path)!r} could not be read: {exc}") from exc


def _check_ids_across_files(records: pd.DataFrame, id_column: str) -> None:
    ids = records[id_column].astype(str)
    repeated = records[ids.duplicated(keep=False)]
    if repeated.empty:
        return
    first = str(repeated[id_column].iloc[0])
    files = sorted(set(repeated.loc[repeated[id_column].astype(str) == first, _SOURCE_COLUMN]))
    where = f"in {files[0]!r}" if len(files) == 1 else f"across {files}"
    raise ResolutionError(
        f"ids in {id_column!r} must be unique across all files, got {first!r} more than once {where}"
        f" ({repeated[id_column].nunique()} ids repeated in all)"
    )


def _ids(records: pd.DataFrame, id_column: str) -> list[str]:
    if id_column not in records.columns:
        raise ResolutionError(f"id column {id_column!r} is missing; the columns are {list(records.columns)}")
    column = records[id_column]
    if column.isna().any():
        raise ResolutionError(f"id column {id_column!r} has {int(column.isna().sum())} empty ids")
    ids = [str(value) for value in column]
    counts = pd.Series(ids).value_counts()
    duplicates = counts[counts > 1]
    if len(duplicates):
        shown = ", ".join(f"{value!r} ({count} times)" for value, count in duplicates.head(5).items())
        raise ResolutionError(f"ids in {id_column!r} must be unique, got duplicates: {shown}")
    return ids


def _clusters(ids: list[str], pairs: list[LinkedPair]) -> list[list[str]]:
    """Connected components of the linked pairs, singletons included, in a stable order."""
    parent = {record: record for record in ids}

    def root(record: str) -> str:
        while parent[record] != record:
            parent[record] = parent[parent[record]]
            record = parent[record]
        return record

    for pair in pairs:
        a, b = root(pair.a), root(pair.b)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for record in ids:
        groups.setdefault(root(record), []).append(record)
    return sorted(sorted(group) for group in groups.values())
