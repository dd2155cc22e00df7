"""The semantic catalog: load it, and check every entity against the sources it names."""

from __future__ import annotations

from pathlib import Path

from cadre.data.federation import Federation
from cadre.data.models import Catalog, EntityMapping
from cadre.errors import CadreError, CatalogError, UnknownEntity
from cadre.yamlfile import load_model, parse_model


def load_catalog(path: Path) -> Catalog:
    if not path.exists():
        raise CatalogError(
            f"no semantic catalog at {str(path)!r}",
            hint="run `cadre sample create`, or write one and set `CADRE_CATALOG_PATH`",
        )
    return load_model(path, Catalog, what="catalog", error=CatalogError)


def parse_catalog(text: str) -> Catalog:
    return parse_model(text, Catalog, what="catalog", error=CatalogError)


def entity(catalog: Catalog, name: str) -> EntityMapping:
    found = catalog.entities.get(name)
    if found is None:
        raise UnknownEntity(f"entity must be one of {sorted(catalog.entities)}, got {name!r}")
    return found


def check_catalog(catalog: Catalog, federation: Federation) -> list[str]:
    """Every problem of the catalog against the live sources: missing sources, tables and columns."""
    problems: list[str] = []
    for name, mapping in catalog.entities.items():
        try:
            columns = federation.columns(mapping.source, mapping.table)
        except CadreError as exc:
            problems.append(f"entity `{name}`: {exc}")
            continue
        for field_name, field_map in mapping.fields.items():
            if field_map.column not in columns:
                problems.append(
                    f"entity `{name}` field `{field_name}` maps column {field_map.column!r}, which "
                    f"{mapping.source}.{mapping.table} does not have (it has: {', '.join(columns)})"
                )
    return problems


def require_valid(catalog: Catalog, federation: Federation) -> None:
    problems = check_catalog(catalog, federation)
    if problems:
        raise CatalogError(f"catalog does not match its sources: {'; '.join(problems)}")
