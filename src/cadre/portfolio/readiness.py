"""Data readiness of a proposal: is each entity and field it needs in the semantic catalog, does the catalog match
its source, and can the source be reached now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from cadre.errors import CadreError
from cadre.portfolio.models import DataNeed

Status = Literal["ready", "no_catalog", "unknown_entity", "unknown_field", "source_unavailable", "mismatch"]


class CatalogReader(Protocol):
    """What readiness reads from the data layer (`cadre.data.service.DataService` is one)."""

    def catalog_status(self, *, check: bool) -> dict[str, Any]: ...

    def source_status(self) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class FieldCheck:
    entity: str
    field: str | None  # None: the entity itself (the need named no fields)
    status: Status
    detail: str | None = None

    @property
    def ready(self) -> bool:
        return self.status == "ready"


@dataclass(frozen=True)
class DataReadiness:
    checks: tuple[FieldCheck, ...]

    @property
    def share(self) -> float:
        """Ready items over needed items; a use case that needs no company data is ready."""
        if not self.checks:
            return 1.0
        return sum(c.ready for c in self.checks) / len(self.checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "share": round(self.share, 4),
            "ready": sum(c.ready for c in self.checks),
            "needed": len(self.checks),
            "checks": [
                {"entity": c.entity, "field": c.field, "status": c.status, "detail": c.detail} for c in self.checks
            ],
        }


def data_readiness(needs: list[DataNeed], reader: CatalogReader | None) -> DataReadiness:
    """Each needed field checked against the catalog and its live source. Without a data layer (or a catalog)
    nothing is ready: a use case cannot be fed from data nobody has described."""
    wanted: list[list[str | None]] = [list(need.fields) or [None] for need in needs]
    items = [(need.entity, name) for need, names in zip(needs, wanted, strict=True) for name in names]
    if not items:
        return DataReadiness(())
    try:
        if reader is None:
            raise CadreError("no data layer is configured")
        catalog = reader.catalog_status(check=True)
        sources = {s["name"]: s for s in reader.source_status()}
    except CadreError as exc:
        return DataReadiness(tuple(FieldCheck(e, f, "no_catalog", exc.one_line()) for e, f in items))
    entities = {e["name"]: e for e in catalog["entities"]}
    return DataReadiness(tuple(_check(entity, name, entities, sources) for entity, name in items))


def _check(entity: str, name: str | None, entities: dict[str, Any], sources: dict[str, Any]) -> FieldCheck:
    found = entities.get(entity)
    if found is None:
        known = ", ".join(sorted(entities)) or "none"
        return FieldCheck(entity, name, "unknown_entity", f"the catalog has no entity {entity!r} (it has: {known})")
    if name is not None and name not in found["fields"]:
        fields = ", ".join(found["fields"])
        return FieldCheck(entity, name, "unknown_field", f"`{entity}` has no field {name!r} (it has: {fields})")
    source = sources.get(found["source"])
    if source is None or source["status"] != "ok":
        why = source["error"] if source else f"source {found['source']!r} is not registered"
        return FieldCheck(entity, name, "source_unavailable", why)
    # The catalog check names an entity's own problems as "entity `E`: …" and a field's as "entity `E` field `f` …".
    own = (f"entity `{entity}`:", *([f"entity `{entity}` field `{name}`"] if name is not None else []))
    problems = [p for p in found["problems"] if p.startswith(own)]
    if problems:
        return FieldCheck(entity, name, "mismatch", "; ".join(problems))
    return FieldCheck(entity, name, "ready")
