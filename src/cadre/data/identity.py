"""Resolve a catalog identity (e.g. Person) across its member entities and keep only the link keys."""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import delete, func, insert, select

from cadre.data.catalog import entity as catalog_entity
from cadre.data.models import Principal
from cadre.data.resolve import Resolution, resolve_records
from cadre.data.service import DataService
from cadre.data.store import IdentityLinkRow, ResolutionRunRow
from cadre.errors import CatalogError, NotFound, PolicyDenied

RESOLVE_PURPOSE = "identity_resolution"


@dataclass(frozen=True)
class ResolutionSummary:
    run_id: str
    identity: str
    records: int
    records_by_member: dict[str, int]
    profiles: int
    multi_record_profiles: int
    linked_pairs: int
    threshold: float
    seconds: float
    comparisons: dict[str, str]


def profile_id_for(identity: str, cluster: list[str]) -> str:
    """A stable id: the same first record (in sorted order) gives the same profile id run after run."""
    digest = hashlib.sha256(f"{identity}|{min(cluster)}".encode()).hexdigest()
    return f"{identity[:1].upper()}-{digest[:12]}"


def identity_records(data: DataService, identity_name: str, *, principal: str) -> pd.DataFrame:
    """Every member record in the identity's common fields, read in place through governance."""
    spec = data.catalog.identities.get(identity_name)
    if spec is None:
        raise CatalogError(
            f"identity must be one of {sorted(data.catalog.identities) or '(none defined)'}, got {identity_name!r}",
            hint="define it under `identities:` in the catalog",
        )
    frames: list[pd.DataFrame] = []
    for member in spec.members:
        mapping = catalog_entity(data.catalog, member.entity)
        wanted = list(dict.fromkeys([mapping.key, *member.fields.values()]))
        result = data.get(member.entity, principal=principal, purpose=RESOLVE_PURPOSE, fields=wanted, limit=None)
        frame = pd.DataFrame(result.rows, columns=result.fields)
        records = pd.DataFrame(
            {
                "unique_id": member.entity + ":" + frame[mapping.key].astype(str),
                "member": member.entity,
            }
        )
        for common, field_name in member.fields.items():
            records[common] = frame[field_name].astype("string")
        frames.append(records)
    combined = pd.concat(frames, ignore_index=True)
    for column in spec.compare:
        if column not in combined:
            combined[column] = pd.Series(pd.NA, index=combined.index, dtype="string")
    return combined


class IdentityService:
    def __init__(self, data: DataService) -> None:
        self._data = data

    def resolve(
        self, identity_name: str, *, principal: str = "role:admin", threshold: float | None = None
    ) -> ResolutionSummary:
        """Resolve and replace the identity's links; `threshold` overrides the catalog's for this run."""
        started = time.perf_counter()
        records = identity_records(self._data, identity_name, principal=principal)
        spec = self._data.catalog.identities[identity_name]
        cutoff = spec.threshold if threshold is None else threshold
        resolution = resolve_records(
            records, compare=spec.compare, id_column="unique_id", source_column="member", threshold=cutoff
        )
        return self._store(identity_name, records, resolution, cutoff, started, principal)

    def _store(
        self,
        identity: str,
        records: pd.DataFrame,
        resolution: Resolution,
        threshold: float,
        started: float,
        principal: str,
    ) -> ResolutionSummary:
        probability = _best_probability(resolution)
        member_of = dict(zip(records["unique_id"], records["member"], strict=True))
        source_of = {
            m.entity: catalog_entity(self._data.catalog, m.entity).source
            for m in self._data.catalog.identities[identity].members
        }
        run_id = str(uuid.uuid4())
        links = []
        for cluster in resolution.clusters:
            profile = profile_id_for(identity, cluster)
            for record_id in cluster:
                member = member_of[record_id]
                links.append(
                    {
                        "run_id": run_id,
                        "identity": identity,
                        "profile_id": profile,
                        "member": member,
                        "source": source_of[member],
                        "record_key": record_id.split(":", 1)[1],
                        "match_probability": probability.get(record_id, 1.0),
                    }
                )
        by_member = records["member"].value_counts().sort_index()
        summary = ResolutionSummary(
            run_id=run_id,
            identity=identity,
            records=len(records),
            records_by_member={str(k): int(v) for k, v in by_member.items()},
            profiles=len(resolution.clusters),
            multi_record_profiles=sum(1 for c in resolution.clusters if len(c) > 1),
            linked_pairs=len(resolution.pairs),
            threshold=threshold,
            seconds=round(time.perf_counter() - started, 3),
            comparisons=dict(resolution.comparisons),
        )
        # One transaction: readers see the previous run's links or this run's, never a mix.
        with self._data.db.session() as session:
            session.execute(delete(IdentityLinkRow).where(IdentityLinkRow.identity == identity))
            session.add(
                ResolutionRunRow(
                    id=run_id,
                    identity=identity,
                    created_at=datetime.now(UTC),
                    records=summary.records,
                    profiles=summary.profiles,
                    linked_pairs=summary.linked_pairs,
                    threshold=threshold,
                    seconds=summary.seconds,
                    summary={
                        "records_by_member": summary.records_by_member,
                        "comparisons": summary.comparisons,
                        "multi_record_profiles": summary.multi_record_profiles,
                    },
                )
            )
            session.flush()
            for start in range(0, len(links), 5000):
                session.execute(insert(IdentityLinkRow), links[start : start + 5000])
        self._data.record_write(
            principal,
            entity=f"(identity links: {identity})",
            fields=["profile_id", "member", "record_key"],
            rows=len(links),
            detail=f"run {run_id}: {summary.profiles} profiles from {summary.records} records",
            purpose=RESOLVE_PURPOSE,
        )
        return summary

    def links(self, profile_id: str) -> list[IdentityLinkRow]:
        with self._data.db.session() as session:
            rows = session.scalars(
                select(IdentityLinkRow)
                .where(IdentityLinkRow.profile_id == profile_id)
                .order_by(IdentityLinkRow.member, IdentityLinkRow.record_key)
            ).all()
        if not rows:
            raise NotFound(
                f"no unified profile {profile_id!r}",
                hint="run `cadre data resolve IDENTITY`, then use a profile id it printed",
            )
        return list(rows)

    def find(self, identity: str, member: str, record_key: str) -> str | None:
        """The profile a given source record belongs to, if it has been resolved."""
        with self._data.db.session() as session:
            return session.scalar(
                select(IdentityLinkRow.profile_id).where(
                    IdentityLinkRow.identity == identity,
                    IdentityLinkRow.member == member,
                    IdentityLinkRow.record_key == record_key,
                )
            )

    def profiles_with(
        self, field: str, values: list[str], *, principal: str | Principal, purpose: str
    ) -> tuple[list[str], list[str]]:
        """Profiles whose linked records carry one of `values` in the identity field `field` (e.g. an e-mail), in a
        stable order, and the member entities the principal may not search (named, not silently skipped)."""
        found: dict[str, None] = {}
        withheld: list[str] = []
        for identity, spec in self._data.catalog.identities.items():
            if field not in spec.compare:
                continue
            for member in spec.members:
                column = member.fields.get(field)
                if column is None:
                    continue
                key = catalog_entity(self._data.catalog, member.entity).key
                try:
                    result = self._data.get(
                        member.entity,
                        principal=principal,
                        purpose=purpose,
                        where={column: values},
                        fields=[key],
                        limit=None,
                    )
                except PolicyDenied:
                    withheld.append(member.entity)
                    continue
                for row in sorted(result.rows, key=lambda r: str(r[key])):
                    profile_id = self.find(identity, member.entity, str(row[key]))
                    if profile_id is not None:
                        found[profile_id] = None
        return list(found), withheld

    def largest_profiles(self, identity: str, *, limit: int = 5) -> list[tuple[str, int]]:
        with self._data.db.session() as session:
            size = func.count(IdentityLinkRow.id)
            rows = session.execute(
                select(IdentityLinkRow.profile_id, size)
                .where(IdentityLinkRow.identity == identity)
                .group_by(IdentityLinkRow.profile_id)
                .order_by(size.desc(), IdentityLinkRow.profile_id)
                .limit(limit)
            ).all()
        return [(r[0], int(r[1])) for r in rows]


def _best_probability(resolution: Resolution) -> dict[str, float]:
    """Each record's strongest link probability (records that matched nothing keep 1.0: they are alone)."""
    best: dict[str, float] = {}
    for pair in resolution.pairs:
        for record in (pair.a, pair.b):
            best[record] = max(best.get(record, 0.0), pair.probability)
    return best
