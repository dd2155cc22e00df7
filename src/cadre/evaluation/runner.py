"""Running a suite: each case is a fresh conversation through the real runtime, each reply checked and scored,
the run stored."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from cadre.agents.runtime import Runtime, TurnRequest
from cadre.errors import CadreError, ConfigError, NotFound
from cadre.evaluation.checks import check_turn
from cadre.evaluation.judge import Judge
from cadre.evaluation.metrics import case_metrics, pass_hat_k, run_metrics, score_turn
from cadre.evaluation.store import EvalRunRow
from cadre.evaluation.suites import Case, Suite
from cadre.store import Database

MAX_DEFAULT_WORKERS = 4


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
    digest: str | None = None  # the case as it was run (`case_digest`): tells an edited case from the same one

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
            "suite_name": suite_name(self.suite),
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
        "suite_digest": suite_digest(results),
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


def default_workers() -> int:
    """How many cases run at once unless told: one per core, at most four (each case's turns stay in order)."""
    return max(1, min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1))


def run_suite(
    runtime: Runtime,
    suite: Suite,
    *,
    suite_name: str,
    agent: str | None = None,
    version: int | None = None,
    engine: str | None = None,
    repeat: int = 1,
    workers: int = 1,
    worker_runtime: Callable[[], Runtime] | None = None,
    judge: Judge | None = None,
    on_case: Callable[[CaseResult], None] | None = None,
    run_id: str | None = None,
) -> SuiteRun:
    """Run every case `repeat` times against `agent` (default: the suite's) at `version` (default: the latest
    deployed), `workers` cases at a time; results come back in suite order whatever order the cases finish in.
    The run is `run_id` when given (a caller that stores it once under a known id), a new id otherwise.

    Workers share `runtime` unless `worker_runtime` builds one for each worker thread, as `cadre eval run` does:
    each worker's turns then read company sources through a data service of their own. Actions of different
    workers may run at once: reads and writes of one SQLite source are ordered by the data layer itself
    (`cadre.data.file_locks`). Latency measured beside other cases includes waiting for their cores: gates on
    latency run with one worker.
    """
    if repeat < 1:
        raise ConfigError(f"repeat must be at least 1, got {repeat!r}")
    if workers < 1:
        raise ConfigError(f"workers must be at least 1, got {workers!r}")
    name = agent or suite.agent
    deployed = runtime.versions.get(name, version)
    jobs = [(case, trial) for case in suite.cases for trial in range(1, repeat + 1)]

    own = _PerThread(worker_runtime) if worker_runtime is not None and workers > 1 else None

    def run_job(case: Case, trial: int) -> CaseResult:
        on = own.get() if own is not None else runtime
        return run_case(on, case, agent=name, version=deployed.version, engine=engine, trial=trial, judge=judge)

    started = time.perf_counter()
    results = _run_jobs([partial(run_job, case, trial) for case, trial in jobs], workers, on_case)
    return SuiteRun(
        run_id=run_id or str(uuid.uuid4()),
        suite=suite_name,
        agent=name,
        version=deployed.version,
        engine=engine or deployed.spec.engine,
        seconds=time.perf_counter() - started,
        results=results,
    )


class _PerThread:
    """One runtime per worker thread, built on the thread's first case."""

    def __init__(self, build: Callable[[], Runtime]) -> None:
        self._build = build
        self._local = threading.local()

    def get(self) -> Runtime:
        runtime: Runtime | None = getattr(self._local, "runtime", None)
        if runtime is None:
            runtime = self._local.runtime = self._build()
        return runtime


def _run_jobs(
    jobs: Sequence[Callable[[], CaseResult]], workers: int, on_case: Callable[[CaseResult], None] | None
) -> list[CaseResult]:
    """Each job's result at its job's place; `on_case` hears of each as it finishes, on the calling thread (so a
    progress bar is only ever drawn from one thread). A job that raises stops the cases not yet started."""
    if workers == 1 or len(jobs) < 2:
        done: list[CaseResult] = []
        for job in jobs:
            done.append(job())
            if on_case is not None:
                on_case(done[-1])
        return done
    found: list[CaseResult | None] = [None] * len(jobs)
    with ThreadPoolExecutor(max_workers=min(workers, len(jobs)), thread_name_prefix="cadre-eval") as pool:
        futures: dict[Future[CaseResult], int] = {pool.submit(job): index for index, job in enumerate(jobs)}
        try:
            for future in as_completed(futures):
                found[futures[future]] = future.result()
                if on_case is not None:
                    on_case(future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return [result for result in found if result is not None]


def run_case(
    runtime: Runtime,
    case: Case,
    *,
    agent: str,
    version: int,
    engine: str | None = None,
    trial: int = 1,
    judge: Judge | None = None,
) -> CaseResult:
    result = CaseResult(id=case.id, passed=False, tags=list(case.tags), trial=trial, digest=case_digest(case))
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
            reply = runtime.run_turn(request)
        except CadreError as exc:
            result.error = f"turn {len(result.turns) + 1}: {exc.one_line()}"
            return result
        conversation = result.conversation_id = reply.conversation_id
        scores = score_turn(turn.expect, reply, message=turn.user, sources=reply.sources, embedder=runtime.embedder)
        if judge is not None:
            scores = judge.score(scores, turn.expect, reply, message=turn.user)
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
                scores=scores,
            )
        )
    result.passed = not any(t.failures for t in result.turns)
    return result


# ------------------------------------------------------------------ the suite a run measured


def canonical_suite(path: Path) -> str:
    """What a run stores as its suite: the file's resolved absolute path, however it was typed, so that
    `suites/x.yaml`, `./suites/x.yaml` and `/home/me/project/suites/x.yaml` are one suite."""
    return str(path.expanduser().resolve())


def suite_name(stored: str) -> str:
    """A suite's name wherever its file lives: the file's stem ("service"). Runs stored before suites were
    stored canonically hold the path as it was typed, or a name already; both give the same stem."""
    return Path(stored).name.removesuffix(".yaml").removesuffix(".yml")


def case_digest(case: Case) -> str:
    """A case's content, hashed: the same case in any YAML layout has one digest, an edited case another."""
    canonical = json.dumps(case.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def suite_digest(results: Sequence[CaseResult] | Sequence[dict[str, Any]]) -> str | None:
    """The cases a run ran, hashed in suite order: two runs with one digest ran the same cases. None for runs
    stored before cases were hashed."""
    digests: dict[str, str | None] = {}
    for r in results:
        case_id, digest = (r.id, r.digest) if isinstance(r, CaseResult) else (r["id"], r.get("digest"))
        digests.setdefault(case_id, digest)
    if not digests or any(d is None for d in digests.values()):
        return None
    joined = "\n".join(f"{case_id} {digest}" for case_id, digest in digests.items())
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


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
            "suite_name": suite_name(row.suite),
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
