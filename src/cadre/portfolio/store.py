"""The registry in the system of record: registered entries and their stage changes, written together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from cadre.portfolio.models import Kpi, Stage, StageChange
from cadre.portfolio.tables import PortfolioEntryRow, PortfolioStageRow
from cadre.store import Database
from cadre.store.base import aware


@dataclass(frozen=True)
class Record:
    """A registered entry as stored (the service adds what deployment says about it)."""

    name: str
    stage: Stage
    owner: str | None
    problem: str | None
    kpis: tuple[Kpi, ...]
    proposal: dict[str, Any] | None
    assessment: dict[str, Any] | None
    updated_at: datetime


@dataclass(frozen=True)
class Changes:
    """What one update sets; None leaves a field as it is."""

    owner: str | None = None
    problem: str | None = None
    kpis: tuple[Kpi, ...] | None = None
    proposal: dict[str, Any] | None = None
    assessment: dict[str, Any] | None = None


class Registry:
    """Registered agents and proposals, and every stage change made to them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def records(self) -> dict[str, Record]:
        with self._db.session() as session:
            rows = session.scalars(select(PortfolioEntryRow).order_by(PortfolioEntryRow.name)).all()
            return {row.name: _record(row) for row in rows}

    def record(self, name: str) -> Record | None:
        with self._db.session() as session:
            row = session.get(PortfolioEntryRow, name)
            return _record(row) if row is not None else None

    def save(
        self,
        name: str,
        changes: Changes,
        *,
        stage: Stage,
        initial: Stage,
        by: str,
        why: str,
        evidence: dict[str, Any] | None = None,
    ) -> Record:
        """Create (at stage `initial`) or update the entry. Its first save and every save that moves it to another
        stage are recorded as stage changes in the same transaction, so the history never misses one."""
        now = datetime.now(UTC)
        with self._db.session() as session:
            row = session.get(PortfolioEntryRow, name)
            if row is None:
                row = PortfolioEntryRow(name=name, stage=initial, kpis=[], created_at=now, updated_at=now)
                session.add(row)
            before = cast(Stage, row.stage)
            if changes.owner is not None:
                row.owner = changes.owner
            if changes.problem is not None:
                row.problem = changes.problem
            if changes.kpis is not None:
                row.kpis = [k.to_json() for k in changes.kpis]
            if changes.proposal is not None:
                row.proposal = changes.proposal
            if changes.assessment is not None:
                row.assessment = changes.assessment
            first = _never_staged(session, name)
            if stage != before or first:
                session.add(
                    PortfolioStageRow(
                        name=name,
                        from_stage=None if stage == before else before,  # None: its arrival
                        to_stage=stage,
                        by=by,
                        why=why,
                        evidence=evidence,
                        at=now,
                    )
                )
            row.stage = stage
            row.updated_at = now
            session.flush()
            return _record(row)

    def history(self, name: str) -> list[StageChange]:
        with self._db.session() as session:
            rows = session.scalars(
                select(PortfolioStageRow).where(PortfolioStageRow.name == name).order_by(PortfolioStageRow.id)
            ).all()
            return [
                StageChange(
                    name=row.name,
                    from_stage=cast(Stage | None, row.from_stage),
                    to_stage=cast(Stage, row.to_stage),
                    by=row.by,
                    why=row.why,
                    at=aware(row.at),
                    evidence=row.evidence,
                )
                for row in rows
            ]


def _never_staged(session: Session, name: str) -> bool:
    found = session.scalars(select(PortfolioStageRow.id).where(PortfolioStageRow.name == name).limit(1)).first()
    return found is None


def _record(row: PortfolioEntryRow) -> Record:
    return Record(
        name=row.name,
        stage=cast(Stage, row.stage),
        owner=row.owner,
        problem=row.problem,
        kpis=tuple(Kpi(k["name"], float(k["target"]), k.get("current")) for k in row.kpis),
        proposal=row.proposal,
        assessment=row.assessment,
        updated_at=aware(row.updated_at),
    )
