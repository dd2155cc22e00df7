"""Typed, governed reads: entity + filters + principal + purpose in, policy-shaped rows out.

Models and agents never send SQL to sources: they name an entity and filter values, and this
module builds the query from the catalog, with the governing policy's row filter and masks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cadre.data.federation import Federation, quote
from cadre.data.masking import mask_value
from cadre.data.models import EntityMapping
from cadre.data.policies import Grant
from cadre.errors import CatalogError, QueryError

FilterValue = str | int | float | bool | Sequence[str | int | float]


@dataclass(frozen=True)
class ReadResult:
    entity: str
    fields: list[str]
    rows: list[dict[str, Any]]
    policy: str
    masked: list[str] = field(default_factory=list)
    truncated: bool = False


def read_entity(
    federation: Federation,
    *,
    entity_name: str,
    entity: EntityMapping,
    grant: Grant,
    where: dict[str, FilterValue],
    fields: list[str] | None,
    limit: int | None,
) -> ReadResult:
    """Read `fields` of the rows matching `where` within what `grant` allows; masks applied."""
    selected = list(fields) if fields else list(grant.fields)
    grant.require_fields(selected, entity_name)
    grant.require_fields(list(where), entity_name, why="filtering on")
    relation = federation.relation(entity.source, entity.table)
    column_types = federation.columns(entity.source, entity.table)
    needed = dict.fromkeys([*selected, *where, *grant.row_filter])
    absent = [f for f in needed if entity.fields[f].column not in column_types]
    if absent:
        # The source changed under the catalog: say which mapping broke rather than echo a SQL error.
        missing = ", ".join(f"`{f}` -> {entity.fields[f].column!r}" for f in absent)
        raise CatalogError(
            f"catalog maps `{entity_name}` field(s) {missing} to column(s) that {entity.source}.{entity.table} "
            f"does not have (it has: {', '.join(column_types)})",
            hint="fix the column names in the catalog, or restore the source's columns",
        )

    clauses: list[str] = []
    params: list[Any] = []
    # The policy's row filter is ANDed with the caller's filters, so callers can narrow but never widen.
    for name, value in [*where.items(), *grant.row_filter.items()]:
        column = entity.fields[name].column
        column_type = column_types.get(column, "VARCHAR")
        if isinstance(value, (list, tuple)):
            if not value:
                clauses.append("FALSE")
                continue
            marks = ", ".join(f"TRY_CAST(? AS {column_type})" for _ in value)
            clauses.append(f"{quote(column)} IN ({marks})")
            params.extend(str(v) for v in value)
        else:
            clauses.append(f"{quote(column)} = TRY_CAST(? AS {column_type})")
            params.append(str(value))
    projection = ", ".join(f"{quote(entity.fields[f].column)} AS {quote(f)}" for f in selected)
    sql = f"SELECT {projection} FROM {relation}"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += f" ORDER BY {quote(entity.fields[entity.key].column)}"
    if limit is not None:
        sql += f" LIMIT {int(limit) + 1}"
    try:
        raw = list(federation.query(sql, params, sources=[entity.source]).rows())
    except QueryError as exc:
        raise QueryError(f"reading `{entity_name}` from {entity.source}.{entity.table} failed: {exc}") from exc
    truncated = limit is not None and len(raw) > limit
    raw = raw[:limit] if limit is not None else raw
    masked = [f for f in selected if f in grant.mask]
    rows = [
        {
            name: mask_value(value, grant.mask[name]) if name in grant.mask else value
            for name, value in zip(selected, row, strict=True)
        }
        for row in raw
    ]
    return ReadResult(
        entity=entity_name, fields=selected, rows=rows, policy=grant.policy.name, masked=masked, truncated=truncated
    )
