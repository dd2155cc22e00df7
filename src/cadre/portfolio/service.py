"""The portfolio's front door: the registry of agents and proposals merged with what is deployed, stage changes
through their gates, intake, overlaps and the adoption review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from cadre.agents.models import AgentSpec
from cadre.agents.rollout import Rollout
from cadre.agents.specs import AgentVersions
from cadre.errors import CadreError
from cadre.observability.window import Window
from cadre.portfolio.intake import Assessment, Rank, assess, rank
from cadre.portfolio.lifecycle import check_stage, gate_facts
from cadre.portfolio.models import (
    ACTIVE,
    Entry,
    Kpi,
    Profile,
    ProfileTopic,
    Proposal,
    Stage,
    StageChange,
    UnknownEntry,
)
from cadre.portfolio.overlap import Overlap, find_overlaps
from cadre.portfolio.readiness import data_readiness
from cadre.portfolio.review import AdoptionReader, EventFiguresReader, Review, Thresholds, review
from cadre.portfolio.store import Changes, Record, Registry
from cadre.store import Database

if TYPE_CHECKING:
    from cadre.agents.actions import ActionRegistry
    from cadre.data.service import DataService
    from cadre.knowledge.embeddings import Embedder

DEPLOYED_STAGE: Stage = "pilot"  # a deployed agent nobody registered serves customers, but passed no gate as a hero


@dataclass(frozen=True)
class Intake:
    """A proposal's assessment, where it ranks, the agents it overlaps, and whether it was stored."""

    proposal: Proposal
    assessment: Assessment
    rank: Rank
    overlaps: list[Overlap]
    stored: bool
    stage: Stage

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.proposal.name,
            "stored": self.stored,
            "stage": self.stage,
            **self.assessment.to_json(),
            "rank": self.rank.to_json(),
            "overlaps": [o.to_json() for o in self.overlaps if o.flagged],
        }


class Portfolio:
    """Every deployed agent and proposed use case, with owner, problem, KPIs, stage and scores."""

    def __init__(
        self,
        db: Database,
        versions: AgentVersions,
        *,
        actions: ActionRegistry | None = None,
        data: DataService | None = None,
        embedder: Embedder | None = None,
        adoption: AdoptionReader | None = None,
    ) -> None:
        self._db = db
        self._versions = versions
        self._actions = actions
        self._data = data
        self._given_embedder = embedder
        self._adoption = adoption
        self.registry = Registry(db)
        self._rollout = Rollout(db, versions)

    @cached_property
    def _embedder(self) -> Embedder:
        if self._given_embedder is not None:
            return self._given_embedder
        from cadre.knowledge.embeddings import default_embedder

        return default_embedder()

    # ------------------------------------------------------------------ the registry

    def entries(self, *, include_retired: bool = False) -> list[Entry]:
        records = self.registry.records()
        deployed = {agent["name"]: agent["version"] for agent in self._versions.list()}
        found = [_entry(name, records.get(name), deployed.get(name)) for name in sorted(set(records) | set(deployed))]
        return [e for e in found if include_retired or e.stage in ACTIVE]

    def get(self, name: str) -> Entry:
        record = self.registry.record(name)
        version = self._deployed_version(name)
        if record is None and version is None:
            raise UnknownEntry(
                f"portfolio entry must be a deployed agent or a proposal, got {name!r}",
                hint="propose it with `cadre portfolio propose FILE.yaml`",
            )
        return _entry(name, record, version)

    def history(self, name: str) -> list[StageChange]:
        return self.registry.history(name)

    def update(
        self,
        name: str,
        *,
        owner: str | None = None,
        problem: str | None = None,
        kpis: list[Kpi] | None = None,
        drop_kpis: list[str] | None = None,
        stage: Stage | None = None,
        why: str = "",
        by: str,
    ) -> Entry:
        """Change an entry's owner, problem or KPIs (merged by name), or move it to `stage` through its gate."""
        entry = self.get(name)
        evidence = None
        if stage is not None and stage != entry.stage:
            evidence = check_stage(name, stage, gate_facts(self._versions, self._rollout, name), why=why)
        merged: tuple[Kpi, ...] | None = None
        if kpis or drop_kpis:
            given = {k.name: k for k in kpis or []}
            kept = [k for k in entry.kpis if k.name not in given and k.name not in (drop_kpis or [])]
            merged = (*kept, *given.values())
        self.registry.save(
            name,
            Changes(owner=owner, problem=problem, kpis=merged),
            stage=stage or entry.stage,
            initial=entry.stage,
            by=by,
            why=why,
            evidence=evidence,
        )
        return self.get(name)

    # ------------------------------------------------------------------ intake

    def propose(self, proposal: Proposal, *, by: str, dry_run: bool = False) -> Intake:
        """Score the proposal, rank it and find what it overlaps; store it (as `proposed`, or as a new assessment
        of an entry already further along) unless `dry_run`."""
        readiness = data_readiness(proposal.data, self._data)
        assessment = assess(proposal, readiness, self._actions.names() if self._actions else [])
        scored = {e.name: e.overall for e in self.entries() if e.overall is not None}
        placed = rank(proposal.name, assessment.overall, scored)
        existing = self.registry.record(proposal.name)
        version = self._deployed_version(proposal.name)
        stage: Stage = existing.stage if existing else (DEPLOYED_STAGE if version is not None else "proposed")
        mine = _proposal_profile(proposal, stage, since=None)
        profiles = [p for p in self._profiles() if p.name != proposal.name]
        overlaps = [o for o in find_overlaps([mine, *profiles], self._embedder) if proposal.name in (o.first, o.second)]
        if not dry_run:
            self.registry.save(
                proposal.name,
                Changes(
                    owner=proposal.owner,
                    problem=proposal.problem,
                    kpis=_merge_kpis(existing, proposal),
                    proposal=proposal.model_dump(mode="json"),
                    assessment=assessment.to_json(),
                ),
                stage=stage,
                initial=stage,
                by=by,
                why="proposed through intake" if stage == "proposed" else "intake assessment",
            )
        return Intake(proposal, assessment, placed, overlaps, stored=not dry_run, stage=stage)

    # ------------------------------------------------------------------ overlaps and review

    def overlaps(self) -> list[Overlap]:
        """Every pair of active agents and proposals compared, most overlapping first."""
        return find_overlaps(self._profiles(), self._embedder)

    def review(self, window: Window, thresholds: Thresholds | None = None) -> Review:
        reader = self._adoption or EventFiguresReader(self._db)
        return review(self.entries(), reader, window, thresholds or Thresholds())

    # ------------------------------------------------------------------ helpers

    def _deployed_version(self, name: str) -> int | None:
        found = [a["version"] for a in self._versions.list() if a["name"] == name]
        return found[0] if found else None

    def _profiles(self) -> list[Profile]:
        profiles: list[Profile] = []
        for entry in self.entries():
            if entry.deployed:
                deployed = self._versions.get(entry.name)
                first = self._versions.get(entry.name, 1).created_at
                profiles.append(_spec_profile(deployed.spec, entry.stage, self._writes(entry.name), since=first))
            elif entry.proposal is not None:
                since = entry.updated_at
                profiles.append(_proposal_profile(Proposal.model_validate(entry.proposal), entry.stage, since=since))
        return profiles

    def _writes(self, agent: str) -> frozenset[str]:
        """The catalog entities the agent's principal may write, from the governance policies."""
        if self._data is None:
            return frozenset()
        try:
            principal = self._data.principal(f"agent:{agent}")
            policies = self._data.policies.policies
        except CadreError:
            return frozenset()  # no policies, or the agent is not a principal there: it writes nothing
        return frozenset(
            p.entity
            for p in policies
            if "write" in p.operations and p.entity != "*" and any(principal.matches(who) for who in p.principals)
        )


def _entry(name: str, record: Record | None, version: int | None) -> Entry:
    if record is None:
        return Entry(name=name, stage=DEPLOYED_STAGE, deployed=True, recorded=False, version=version)
    return Entry(
        name=name,
        stage=record.stage,
        deployed=version is not None,
        recorded=True,
        owner=record.owner,
        problem=record.problem,
        kpis=record.kpis,
        proposal=record.proposal,
        assessment=record.assessment,
        version=version,
        updated_at=record.updated_at,
    )


def _merge_kpis(existing: Record | None, proposal: Proposal) -> tuple[Kpi, ...] | None:
    if not proposal.kpis:
        return None
    before = {k.name: k for k in existing.kpis} if existing else {}
    given = [Kpi(k.name, k.target, before[k.name].current if k.name in before else None) for k in proposal.kpis]
    named = {k.name for k in given}
    return (*(k for k in before.values() if k.name not in named), *given)


def _spec_profile(spec: AgentSpec, stage: Stage, writes: frozenset[str], *, since: datetime) -> Profile:
    # A hand-off topic ("talk to a person") is in every agent by design: it does no work another agent could do.
    topics = tuple(ProfileTopic(t.name, t.description, tuple(t.examples)) for t in spec.topics if not t.handoff)
    actions = frozenset(a for t in spec.topics for a in t.actions)
    return Profile(spec.name, stage, topics, actions, writes, since=since)


def _proposal_profile(proposal: Proposal, stage: Stage, *, since: datetime | None) -> Profile:
    topics = tuple(ProfileTopic(t.name, t.description, tuple(t.examples)) for t in proposal.topics)
    actions = frozenset(a.name for a in proposal.actions)
    writes = frozenset(entity for a in proposal.actions for entity in a.writes)
    return Profile(proposal.name, stage, topics, actions, writes, since=since)
