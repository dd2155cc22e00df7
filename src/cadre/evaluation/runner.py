"""Running a suite: each case is a fresh conversation through the real runtime, each reply checked, the run stored."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from cadre.agents.runtime import Runtime, TurnRequest
from cadre.errors import CadreError, NotFound
from cadre.evaluation.checks import check_turn
from cadre.evaluation.store import EvalRunRow
from cadre.evaluation.suites import Case, Suite
from cadre.store import Database


@dataclass
class TurnOutcome:
    user: str
    reply: str
    topic: str | None
    language: str
    actions: list[dict[str, Any]]
    handoff: dict[str, Any] | None
    citations: int
    latency_ms: float
    failures: list[str]


@dataclass
class CaseResult:
    id: str
    passed: bool
    tags: list[str]
    turns: list[TurnOutcome] = field(default_factory=list)
    error: str | None = None  # the runtime refused or failed the case (e.g. an input rejected)

    @property
    def failures(self) -> list[str]:
        found = [f"turn {i}: {f}" for i, t in enumerate(self.turns, 1) for f in t.failures]
        return [*found, self.error] if self.error else found


@dataclass
class SuiteRun:
    run_id: str
    suite: str
    agent: str
    version: int
    engine: str
    seconds: float
    results: list[CaseResult]

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "suite": self.suite,
            "agent": self.agent,
            "version": self.version,
            "engine": self.engine,
            "cases": len(self.results),
            "passed": self.passed,
            "pass_rate": round(self.passed / len(self.results), 4) if self.results else 0.0,
            "seconds": round(self.seconds, 2),
            "results": [{**asdict(r), "failures": r.failures} for r in self.results],
        }


def run_suite(
    runtime: Runtime,
    suite: Suite,
    *,
    suite_name: str,
    agent: str | None = None,
    version: int | None = None,
    engine: str | None = None,
    on_case: Callable[[CaseResult], None] | None = None,
) -> SuiteRun:
    """Run every case against `agent` (default: the suite's) at `version` (default: the latest deployed)."""
    name = agent or suite.agent
    deployed = runtime.versions.get(name, version)
    started = time.perf_counter()
    results: list[CaseResult] = []
    for case in suite.cases:
        result = run_case(runtime, case, agent=name, version=deployed.version, engine=engine)
        results.append(result)
        if on_case is not None:
            on_case(result)
    return SuiteRun(
        run_id=str(uuid.uuid4()),
        suite=suite_name,
        agent=name,
        version=deployed.version,
        engine=engine or deployed.spec.engine,
        seconds=time.perf_counter() - started,
        results=results,
    )


def run_case(runtime: Runtime, case: Case, *, agent: str, version: int, engine: str | None = None) -> CaseResult:
    result = CaseResult(id=case.id, passed=False, tags=list(case.tags))
    conversation: str | None = None
    for turn in case.turns:
        request = TurnRequest(
            agent=agent,
            message=turn.user,
            conversation_id=conversation,
            principal=case.principal,
            person_id=case.person_id,
            channel=case.channel,
            version=version,
            now=case.now,
            engine=engine,
        )
        try:
            reply = runtime.run_turn(request)
        except CadreError as exc:
            result.error = f"turn {len(result.turns) + 1}: {exc.one_line()}"
            return result
        conversation = reply.conversation_id
        result.turns.append(
            TurnOutcome(
                user=turn.user,
                reply=reply.reply,
                topic=reply.topic,
                language=reply.language,
                actions=reply.actions,
                handoff=reply.handoff,
                citations=len(reply.citations),
                latency_ms=reply.latency_ms,
                failures=check_turn(turn.expect, reply),
            )
        )
    result.passed = not any(t.failures for t in result.turns)
    return result


def store_run(db: Database, run: SuiteRun) -> None:
    body = run.to_json()
    with db.session() as session:
        session.add(
            EvalRunRow(
                id=run.run_id,
                suite=run.suite,
                agent=run.agent,
                agent_version=run.version,
                engine=run.engine,
                cases=body["cases"],
                passed=body["passed"],
                seconds=run.seconds,
                results=body["results"],
                created_at=datetime.now(UTC),
            )
        )


def load_run(db: Database, run_id: str) -> dict[str, Any]:
    with db.session() as session:
        row = session.get(EvalRunRow, run_id)
        if row is None:
            raise NotFound(f"no evaluation run {run_id!r}", hint="`cadre eval run` prints the run id")
        return {
            "run_id": row.id,
            "suite": row.suite,
            "agent": row.agent,
            "version": row.agent_version,
            "engine": row.engine,
            "cases": row.cases,
            "passed": row.passed,
            "seconds": row.seconds,
            "results": row.results,
            "created_at": row.created_at.isoformat(),
        }
