"""Reading stored evaluation runs for people: a page of runs, the suites and agents they name, a case's conversation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select

from cadre.evaluation.store import EvalRunRow
from cadre.store import Database
from cadre.store.base import aware

# A run's `created_at` is taken when it is stored, just after its last case; its `seconds` come from another clock.
WINDOW_SLACK = timedelta(seconds=2)


@dataclass(frozen=True)
class RunSummary:
    """One stored run as a list shows it: the figures kept in its own columns, not its per-case results."""

    run_id: str
    suite: str
    agent: str
    version: int
    engine: str
    cases: int
    passed: int
    seconds: float
    created_at: datetime

    @property
    def pass_rate(self) -> float:
        """Cases whose every trial passed, of all cases."""
        return round(self.passed / self.cases, 4) if self.cases else 0.0


@dataclass(frozen=True)
class RunPage:
    rows: list[RunSummary]
    total: int
    offset: int
    limit: int


def list_runs(db: Database, *, agent: str = "", suite: str = "", limit: int = 25, offset: int = 0) -> RunPage:
    """One page of stored runs, newest first, of `agent` and `suite` when given."""
    conditions: list[ColumnElement[bool]] = []
    if agent:
        conditions.append(EvalRunRow.agent == agent)
    if suite:
        conditions.append(EvalRunRow.suite == suite)
    with db.session() as session:
        total = session.scalar(select(func.count()).select_from(EvalRunRow).where(*conditions)) or 0
        rows = session.execute(
            select(
                EvalRunRow.id,
                EvalRunRow.suite,
                EvalRunRow.agent,
                EvalRunRow.agent_version,
                EvalRunRow.engine,
                EvalRunRow.cases,
                EvalRunRow.passed,
                EvalRunRow.seconds,
                EvalRunRow.created_at,
            )
            .where(*conditions)
            .order_by(EvalRunRow.created_at.desc(), EvalRunRow.id)
            .limit(limit)
            .offset(offset)
        ).all()
    summaries = [
        RunSummary(
            run_id=row.id,
            suite=row.suite,
            agent=row.agent,
            version=row.agent_version,
            engine=row.engine,
            cases=row.cases,
            passed=row.passed,
            seconds=row.seconds,
            created_at=aware(row.created_at),
        )
        for row in rows
    ]
    return RunPage(summaries, int(total), offset, limit)


def run_suites(db: Database) -> dict[str, int]:
    """Each suite runs were made from (as it was given to the run), with its number of runs."""
    with db.session() as session:
        found = session.execute(
            select(EvalRunRow.suite, func.count()).group_by(EvalRunRow.suite).order_by(EvalRunRow.suite)
        ).all()
    return {str(suite): int(count) for suite, count in found}


def run_agents(db: Database) -> list[str]:
    """The agents that have stored runs."""
    with db.session() as session:
        return [str(a) for a in session.scalars(select(EvalRunRow.agent).distinct().order_by(EvalRunRow.agent))]


def case_conversation(result: Mapping[str, Any]) -> str | None:
    """The stored conversation one case (one trial) was held in; None for runs stored before results named it."""
    found = result.get("conversation_id")
    return str(found) if found else None
