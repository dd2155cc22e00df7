"""Running a suite: each case is a fresh conversation through the real runtime, each reply checked and scored,
the run stored."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from cadre.agents.actions import Action
from cadre.agents.runtime import Runtime, TurnRequest, TurnResult
from cadre.errors import CadreError, ConfigError, NotFound
from cadre.evaluation.checks import check_turn
from cadre.evaluation.metrics import case_metrics, pass_hat_k, run_metrics, score_turn
from cadre.evaluation.store import EvalRunRow
from cadre.evaluation.suites import Case, Suite
from cadre.knowledge.models import SearchHit, SearchResponse
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
    scores: dict[str, Any] = field(default_factory=dict)  # counts per metric, see `metrics.score_turn`


@dataclass
class CaseResult:
    id: str
    passed: bool
    tags: list[str]
    turns: list[TurnOutcome] = field(default_factory=list)
    error: str | None = None  # the runtime refused or failed the case (e.g. an input rejected)
    trial: int = 1  # which of the `--repeat` runs of this case
    conversation_id: str | None = None  # where it was held, for drilling down from the run to the transcript

    @property
    def metrics(self) -> dict[str, Any]:
        return case_metrics(self.passed, [t.scores for t in self.turns])

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
    results: list[CaseResult]  # one per case and trial, case by case

    @property
    def passed(self) -> int:
        """Cases whose every trial passed (with one trial: the cases that passed)."""
        return sum(all(outcomes) for outcomes in _trials(self.results).values())

    def to_json(self) -> dict[str, Any]:
        results = [{**asdict(r), "failures": r.failures, "metrics": r.metrics} for r in self.results]
        return {
            "run_id": self.run_id,
            "suite": self.suite,
            "agent": self.agent,
            "version": self.version,
            "engine": self.engine,
            "seconds": round(self.seconds, 2),
            **summarise(results),
            "results": results,
        }


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    """A run's figures from its per-case results as stored: what `to_json` prints and `load_run` rebuilds."""
    trials = _trials(results)
    cases = len(trials)
    passed = sum(all(outcomes) for outcomes in trials.values())
    repeat = max((len(t) for t in trials.values()), default=1)
    return {
        "cases": cases,
        "passed": passed,
        "pass_rate": round(passed / cases, 4) if cases else 0.0,
        "trials": repeat,
        "pass_hat_k": pass_hat_k(trials, repeat),
        "metrics": run_metrics(results),
        "by_language": _by_language(results),
    }


def _trials(results: list[CaseResult] | list[dict[str, Any]]) -> dict[str, list[bool]]:
    found: dict[str, list[bool]] = {}
    for r in results:
        case_id, passed = (r.id, r.passed) if isinstance(r, CaseResult) else (r["id"], r["passed"])
        found.setdefault(case_id, []).append(bool(passed))
    return found


def _by_language(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Task success per language the conversation was held in (its first reply's), over cases and trials."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        language = r["turns"][0]["language"] if r.get("turns") else "unknown"
        groups.setdefault(language, []).append(r)
    found: dict[str, dict[str, Any]] = {}
    for language, group in sorted(groups.items()):
        figures = run_metrics(group)
        found[language] = {
            "cases": len({r["id"] for r in group}),
            **{metric: figures[metric]["value"] for metric in ("task_success", "groundedness", "answer_relevancy")},
        }
    return found


def run_suite(
    runtime: Runtime,
    suite: Suite,
    *,
    suite_name: str,
    agent: str | None = None,
    version: int | None = None,
    engine: str | None = None,
    repeat: int = 1,
    on_case: Callable[[CaseResult], None] | None = None,
) -> SuiteRun:
    """Run every case `repeat` times against `agent` (default: the suite's) at `version` (default: the latest
    deployed). Cases run one after another: the runtime's conversations, routers and caches are not shared-safe."""
    if repeat < 1:
        raise ConfigError(f"repeat must be at least 1, got {repeat!r}")
    name = agent or suite.agent
    deployed = runtime.versions.get(name, version)
    started = time.perf_counter()
    results: list[CaseResult] = []
    for case in suite.cases:
        for trial in range(1, repeat + 1):
            result = run_case(runtime, case, agent=name, version=deployed.version, engine=engine, trial=trial)
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


def run_case(
    runtime: Runtime, case: Case, *, agent: str, version: int, engine: str | None = None, trial: int = 1
) -> CaseResult:
    result = CaseResult(id=case.id, passed=False, tags=list(case.tags), trial=trial)
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
            evaluation=f"case:{case.id}",
        )
        try:
            with _recording(runtime) as seen:
                reply = runtime.run_turn(request)
        except CadreError as exc:
            result.error = f"turn {len(result.turns) + 1}: {exc.one_line()}"
            return result
        conversation = result.conversation_id = reply.conversation_id
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
                scores=score_turn(
                    turn.expect, reply, message=turn.user, sources=_sources(reply, seen), embedder=runtime.embedder
                ),
            )
        )
    result.passed = not any(t.failures for t in result.turns)
    return result


@dataclass
class _Seen:
    """What the agent had in hand during one turn: the passages retrieved and each action's full result."""

    hits: list[SearchHit] = field(default_factory=list)
    results: list[str] = field(default_factory=list)


@contextmanager
def _recording(runtime: Runtime) -> Iterator[_Seen]:
    """Record one turn's retrieved passages and action results. A reply names its citations but not their text,
    and its actions' results only cut to 200 characters; groundedness is measured against what the agent had,
    so the knowledge base's answers and the actions' results are recorded on their way to the engine."""
    seen = _Seen()
    knowledge, registry = runtime.knowledge, runtime.actions
    search, get = knowledge.search, registry.get

    def searching(*args: Any, **kwargs: Any) -> SearchResponse:
        response = search(*args, **kwargs)
        seen.hits.extend(response.hits)
        return response

    def getting(name: str) -> Action:
        action = get(name)
        function = action.function

        def calling(*args: Any, **kwargs: Any) -> Any:
            result = function(*args, **kwargs)
            seen.results.append(json.dumps(result, ensure_ascii=False, default=_plain))
            return result

        return replace(action, function=calling)

    knowledge.search = searching  # type: ignore[method-assign]
    registry.get = getting  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        # Deleting the instance attributes lets the classes' own methods show through again.
        del knowledge.search
        del registry.get


def _plain(value: Any) -> Any:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else str(value)


def _sources(reply: TurnResult, seen: _Seen) -> list[str]:
    """What the reply may rest on: the cited passages' text and the actions' results."""
    cited = {(c["doc_id"], tuple(c.get("heading_path") or [])) for c in reply.citations}
    return [h.text for h in seen.hits if (h.doc_id, tuple(h.heading_path)) in cited] + seen.results


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
                passed=body["passed"],  # cases whose every trial passed
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
            "seconds": row.seconds,
            **summarise(row.results),
            "cases": row.cases,
            "passed": row.passed,
            "results": row.results,
            "created_at": row.created_at.isoformat(),
        }
