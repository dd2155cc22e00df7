"""Assemble a unified profile from its linked records, read in place from their sources."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from cadre.data.catalog import entity as catalog_entity
from cadre.data.identity import IdentityService
from cadre.data.models import Principal
from cadre.data.service import DataService
from cadre.errors import PolicyDenied


@dataclass(frozen=True)
class FieldValue:
    """One merged field: the freshest non-empty value, where it came from, and what else was seen."""

    value: Any
    entity: str
    source: str
    record_key: str
    updated_at: str | None
    alternatives: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class UnifiedProfile:
    profile_id: str
    identity: str
    records: list[dict[str, Any]]
    fields: dict[str, FieldValue]
    missing: list[dict[str, str]]  # linked records no longer found in their source
    withheld: list[str] = field(default_factory=list)  # entities the reader may not see (with `partial=True`)


def assemble_profile(
    data: DataService, profile_id: str, *, principal: str | Principal, purpose: str, partial: bool = False
) -> UnifiedProfile:
    """The profile's linked records read in place now, merged field by field. With `partial`, entities the
    principal may not read for `purpose` are left out (and named in `withheld`) instead of failing the read."""
    links = IdentityService(data).links(profile_id)
    identity = links[0].identity
    spec = data.catalog.identities[identity]
    members = {m.entity: m for m in spec.members}
    keys_by_member: dict[str, list[str]] = defaultdict(list)
    for link in links:
        keys_by_member[link.member].append(link.record_key)

    records: list[dict[str, Any]] = []
    missing: list[dict[str, str]] = []
    withheld: list[str] = []
    for member_name, keys in keys_by_member.items():
        mapping = catalog_entity(data.catalog, member_name)
        try:
            result = data.get(member_name, principal=principal, purpose=purpose, where={mapping.key: keys}, limit=None)
        except PolicyDenied:
            if not partial:
                raise
            withheld.append(member_name)
            continue
        found = {str(row[mapping.key]): row for row in result.rows}
        for key in keys:
            row = found.get(key)
            if row is None:
                missing.append({"entity": member_name, "record_key": key})
                continue
            updated = row.get(mapping.updated_at) if mapping.updated_at else None
            records.append(
                {
                    "entity": member_name,
                    "source": mapping.source,
                    "record_key": key,
                    "updated_at": _iso(updated),
                    "policy": result.policy,
                    "masked": result.masked,
                    "fields": row,
                }
            )

    merged: dict[str, FieldValue] = {}
    for common in spec.compare:
        seen = []
        for record in records:
            entity_field = members[record["entity"]].fields.get(common)
            value = record["fields"].get(entity_field) if entity_field else None
            if value not in (None, ""):
                seen.append((record["updated_at"] or "", record, value))
        if not seen:
            continue
        seen.sort(key=lambda item: item[0], reverse=True)  # freshest first
        _, best, value = seen[0]
        # Each other value once, from its freshest record: "also seen" is about values, not records.
        alternatives: list[dict[str, Any]] = []
        for _, r, v in seen[1:]:
            if v != value and all(a["value"] != v for a in alternatives):
                alternatives.append(
                    {"value": v, "entity": r["entity"], "record_key": r["record_key"], "updated_at": r["updated_at"]}
                )
        merged[common] = FieldValue(
            value=value,
            entity=best["entity"],
            source=best["source"],
            record_key=best["record_key"],
            updated_at=best["updated_at"],
            alternatives=alternatives,
        )
    return UnifiedProfile(
        profile_id=profile_id, identity=identity, records=records, fields=merged, missing=missing, withheld=withheld
    )


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
