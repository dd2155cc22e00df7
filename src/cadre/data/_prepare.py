"""Turn the caller's records into the frame Splink reads: one cleaned, SQL-safe column per field, plus the
columns derived from it (canonical names, email usernames, phones' last digits)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, get_args

import duckdb
import pandas as pd

from cadre.data import _normalise as norm
from cadre.data._extensions import OFFLINE_CONFIG
from cadre.data._infer import role_of
from cadre.data._splink_settings import DERIVED_SUFFIXES, FROM_NAME_SUFFIX, PHONE_TAIL_DIGITS, Field
from cadre.data.models import ComparisonKind
from cadre.errors import ResolutionError

KINDS: tuple[str, ...] = get_args(ComparisonKind)
# Columns Splink adds or that the prepared frame holds besides the fields.
_RESERVED = {"unique_id", "source_dataset", "match_weight", "match_probability"}
# What the prepared frame appends to a field's column name for the columns computed from it.
_SUFFIXES = (*DERIVED_SUFFIXES.values(), FROM_NAME_SUFFIX)


def fields_of(records: pd.DataFrame, compare: Mapping[str, ComparisonKind], id_column: str) -> list[Field]:
    """One `Field` per entry of `compare`, checked against the records' columns."""
    if not compare:
        raise ResolutionError("`compare` must name at least one column to compare, got none")
    fields: list[Field] = []
    taken = set(_RESERVED)
    for source, kind in compare.items():
        if source not in records.columns:
            raise ResolutionError(f"column {source!r} in `compare` is missing; the columns are {list(records.columns)}")
        if source == id_column:
            raise ResolutionError(f"the id column {id_column!r} cannot also be compared")
        if kind not in KINDS:
            raise ResolutionError(f"comparison kind for {source!r} must be one of {list(KINDS)}, got {kind!r}")
        column = _column_name(source, taken)
        taken |= {column, *(f"{column}{suffix}" for suffix in _SUFFIXES)}
        fields.append(Field(source, column, kind, role_of(source, kind)))
    return fields


def _column_name(source: str, taken: set[str]) -> str:
    """A SQL-safe column name close to the caller's, distinct from every other one and its derived columns."""
    base = re.sub(r"[^a-z0-9]+", "_", norm.fold(source) or "").strip("_") or "field"
    if base[0].isdigit() or base in _sql_keywords():
        base = f"f_{base}"
    name, number = base, 2
    while name in taken or any(f"{name}{suffix}" in taken for suffix in _SUFFIXES):
        name, number = f"{base}_{number}", number + 1
    return name


@lru_cache(maxsize=1)
def _sql_keywords() -> frozenset[str]:
    config: dict[str, Any] = {**OFFLINE_CONFIG}
    with duckdb.connect(":memory:", config=config) as connection:
        return frozenset(row[0] for row in connection.sql("select keyword_name from duckdb_keywords()").fetchall())


def prepare_frame(records: pd.DataFrame, ids: list[str], fields: list[Field]) -> pd.DataFrame:
    """`unique_id` and each field cleaned, with its derived column; blanks are None (NULL to DuckDB)."""
    frame = pd.DataFrame({"unique_id": ids})
    for field in fields:
        raw = records[field.source].reset_index(drop=True)
        if field.kind == "name":
            names = norm.apply_by_value(raw, norm.name_value)
            frame[field.column] = names
            any_order = field.role == "full"
            frame[field.canonical] = [norm.canonical_name(name, any_order=any_order) for name in names]
        elif field.kind == "date":
            frame[field.column] = pd.Series(norm.date_values(raw), dtype=object)
        elif field.kind == "email":
            emails = norm.apply_by_value(raw, norm.email_value)
            frame[field.column] = emails
            frame[f"{field.derived}"] = norm.apply_by_value(emails, lambda email: str(email).split("@")[0])
        elif field.kind == "phone":
            phones = norm.apply_by_value(raw, norm.phone_value)
            frame[field.column] = phones
            frame[f"{field.derived}"] = norm.apply_by_value(phones, lambda phone: str(phone)[-PHONE_TAIL_DIGITS:])
        elif field.kind == "postcode":
            frame[field.column] = norm.apply_by_value(raw, norm.postcode_value)
        else:
            organisation = field.role == "organisation"
            frame[field.column] = norm.apply_by_value(raw, norm.organisation_value if organisation else norm.text_value)
    return frame


def merge_names(frame: pd.DataFrame, fields: list[Field]) -> list[Field]:
    """The fields to compare once a full name has filled in first and last names where a record has neither.

    Billing keeps one name field where the CRM keeps two; compared as well, the full name would count the same
    evidence twice, so with exactly one first and one last name field it is not compared itself.
    """
    firsts = [f for f in fields if f.kind == "name" and f.role == "first"]
    lasts = [f for f in fields if f.kind == "name" and f.role == "last"]
    fulls = [f for f in fields if f.kind == "name" and f.role == "full"]
    if len(firsts) != 1 or len(lasts) != 1 or not fulls:
        return fields
    first, last = firsts[0], lasts[0]
    for full in fulls:
        missing = frame[first.column].isna() & frame[last.column].isna() & frame[full.column].notna()
        words = [str(name).split(" ", 1) for name in frame.loc[missing, full.column]]
        frame.loc[missing, first.column] = [parts[0] for parts in words]
        frame.loc[missing, last.column] = [parts[1] if len(parts) > 1 else None for parts in words]
    frame[first.canonical] = [norm.canonical_name(name) for name in frame[first.column]]
    return [f for f in fields if f not in fulls]


def mark_usernames_spelling_names(frame: pd.DataFrame, fields: list[Field]) -> None:
    """Add each email field's `Field.from_name` column: whether a record's username spells its own name.

    Only where the records name people in one first and one last name field (after `merge_names`), or in one full
    name field; without names nothing is added.
    """
    emails = [f for f in fields if f.kind == "email"]
    names = _first_and_last_names(frame, fields) if emails else None
    if names is None:
        return
    firsts, lasts = names
    for field in emails:
        usernames = frame[f"{field.derived}"]
        frame[field.from_name] = [
            isinstance(username, str) and norm.spells_name(username, first, last)
            for username, first, last in zip(usernames, firsts, lasts, strict=True)
        ]


def _first_and_last_names(frame: pd.DataFrame, fields: list[Field]) -> tuple[list[object], list[object]] | None:
    by_role = {role: [f for f in fields if f.kind == "name" and f.role == role] for role in ("first", "last", "full")}
    if len(by_role["first"]) == 1 and len(by_role["last"]) == 1:
        return list(frame[by_role["first"][0].column]), list(frame[by_role["last"][0].column])
    if not by_role["first"] and not by_role["last"] and len(by_role["full"]) == 1:
        words = [str(name).split(" ", 1) if isinstance(name, str) else [] for name in frame[by_role["full"][0].column]]
        return [w[0] if w else None for w in words], [w[1] if len(w) > 1 else None for w in words]
    return None
