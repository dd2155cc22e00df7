"""Running suites in parallel: each case's result is the serial one, in suite order; runs name their suite
canonically, so one file typed two ways is one suite."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cadre.agents.runtime import Runtime, TurnRequest, TurnResult
from cadre.evaluation.compare import compare_runs
from cadre.evaluation.runner import (
    CaseResult,
    canonical_suite,
    case_digest,
    load_run,
    run_suite,
    store_run,
    suite_name,
)
from cadre.evaluation.store import EvalRunRow
from cadre.evaluation.suites import Case, load_suite
from cadre.knowledge.service import KnowledgeBase
from cadre.settings import Settings
from cadre.store import Database
from tests.agents.help_desk import help_desk_actions
from tests.evaluation.test_suites import SUITE

Shared = tuple[Settings, Database, KnowledgeBase]


def outcome(result: CaseResult) -> dict[str, Any]:
    """What a case's result says, less what differs by the clock or by the conversation it was held in."""
    turns = [{**vars(t), "latency_ms": None, "scores": {**t.scores, "latency_ms": None}} for t in result.turns]
    return {"id": result.id, "trial": result.trial, "passed": result.passed, "error": result.error, "turns": turns}


@pytest.fixture
def suite_file(tmp_path: Path) -> Path:
    path = tmp_path / "help-desk-suite.yaml"
    path.write_text(SUITE)
    return path


def test_a_parallel_run_gives_each_case_its_serial_result_in_suite_order(runtime: Runtime, suite_file: Path) -> None:
    suite = load_suite(suite_file)
    serial = run_suite(runtime, suite, suite_name="s", repeat=2, workers=1)
    parallel = run_suite(runtime, suite, suite_name="s", repeat=2, workers=3)
    assert [(r.id, r.trial) for r in parallel.results] == [(case.id, trial) for case in suite.cases for trial in (1, 2)]
    assert [outcome(r) for r in parallel.results] == [outcome(r) for r in serial.results]
    assert len({r.conversation_id for r in parallel.results}) == 6  # each case and trial its own conversation
    body, expected = parallel.to_json(), serial.to_json()
    assert (body["passed"], body["pass_hat_k"], body["by_language"]) == (
        expected["passed"],
        expected["pass_hat_k"],
        expected["by_language"],
    )


def test_workers_with_their_own_runtimes_agree_with_a_serial_run(
    runtime: Runtime, _shared_kb: Shared, suite_file: Path
) -> None:
    from cadre.agents.setup import build_runtime

    settings, db, kb = _shared_kb
    built: list[Runtime] = []
    registry = help_desk_actions()

    def worker_runtime() -> Runtime:
        built.append(build_runtime(settings, db, kb, actions=registry))
        return built[-1]

    suite = load_suite(suite_file)
    serial = run_suite(runtime, suite, suite_name="s")
    parallel = run_suite(runtime, suite, suite_name="s", workers=2, worker_runtime=worker_runtime)
    assert [outcome(r) for r in parallel.results] == [outcome(r) for r in serial.results]
    assert 1 <= len(built) <= 2 and runtime not in built  # one per worker thread that ran a case


class Gated:
    """A runtime whose first case waits until a later case has been answered: cases finish out of order."""

    def __init__(self, runtime: Runtime, *, held: str, until: str) -> None:  # case ids
        self._runtime = runtime
        self.versions, self.embedder = runtime.versions, runtime.embedder
        self._held, self._until = held, until
        self.released = threading.Event()

    def run_turn(self, request: TurnRequest) -> TurnResult:
        if request.evaluation == f"case:{self._held}":
            assert self.released.wait(timeout=60), "the later case never ran beside the held one"
        result = self._runtime.run_turn(request)
        if request.evaluation == f"case:{self._until}" and result.actions:  # its last turn opens the case
            self.released.set()
        return result


def test_results_keep_suite_order_when_cases_finish_out_of_order(runtime: Runtime, suite_file: Path) -> None:
    suite = load_suite(suite_file)
    gated = Gated(runtime, held="invoice-status", until="asks-then-opens-a-case")
    heard: list[str] = []
    run = run_suite(gated, suite, suite_name="s", workers=2, on_case=lambda r: heard.append(r.id))  # type: ignore[arg-type]
    assert heard.index("asks-then-opens-a-case") < heard.index("invoice-status")  # finished later
    assert [r.id for r in run.results] == [c.id for c in suite.cases]  # reported in suite order


def test_an_unexpected_failure_in_a_worker_reaches_the_caller(runtime: Runtime, suite_file: Path) -> None:
    class Broken:
        versions, embedder = runtime.versions, runtime.embedder

        def run_turn(self, request: TurnRequest) -> TurnResult:
            raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError, match="the store went away"):
        run_suite(Broken(), load_suite(suite_file), suite_name="s", workers=2)  # type: ignore[arg-type]


def _with_function(registry: Any, name: str, function: Callable[..., Any]) -> Any:
    from dataclasses import replace

    from cadre.agents.actions import ActionRegistry

    return ActionRegistry(
        replace(registry.get(n), function=function) if n == name else registry.get(n) for n in registry.names()
    )


# ------------------------------------------------------------------ the suite a run measured


def test_one_file_typed_two_ways_is_one_suite(
    runtime: Runtime, _shared_kb: Shared, suite_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(suite_file.parent.parent)
    typed = Path(suite_file.parent.name) / ".." / suite_file.parent.name / suite_file.name
    assert canonical_suite(typed) == canonical_suite(suite_file) == str(suite_file.resolve())
    suite = load_suite(suite_file)
    db = _shared_kb[1]
    runs = [run_suite(runtime, suite, suite_name=canonical_suite(path)) for path in (typed, suite_file)]
    for run in runs:
        store_run(db, run)
    a, b = (load_run(db, run.run_id) for run in runs)
    assert a["suite"] == b["suite"] and a["suite_name"] == "help-desk-suite"
    assert a["suite_digest"] == b["suite_digest"] == runs[0].to_json()["suite_digest"] is not None
    assert compare_runs(a, b)["only_in_a"] == []


def test_a_case_digest_follows_its_content_not_its_layout() -> None:
    case = Case.model_validate({"id": "a", "turns": [{"user": "hi", "expect": {"facts": ["x"], "topic": "t"}}]})
    same = Case.model_validate({"turns": [{"expect": {"topic": "t", "facts": ["x"]}, "user": "hi"}], "id": "a"})
    edited = Case.model_validate({"id": "a", "turns": [{"user": "hi", "expect": {"facts": ["y"], "topic": "t"}}]})
    assert case_digest(case) == case_digest(same) != case_digest(edited)


def test_runs_stored_with_the_path_as_typed_stay_readable(_shared_kb: Shared) -> None:
    from datetime import UTC, datetime

    db = _shared_kb[1]
    result = {"id": "a", "passed": True, "tags": [], "turns": [], "trial": 1}
    with db.session() as session:
        session.add(
            EvalRunRow(
                id="old-run",
                suite="src/cadre/sample/suites/service.yaml",
                agent="service",
                agent_version=1,
                engine="offline",
                cases=1,
                passed=1,
                seconds=1.0,
                results=[result],
                created_at=datetime.now(UTC),
            )
        )
    old = load_run(db, "old-run")
    assert (old["suite"], old["suite_name"], old["suite_digest"]) == (
        "src/cadre/sample/suites/service.yaml",
        "service",
        None,
    )
    assert suite_name("service") == suite_name("/srv/suites/service.yaml") == "service"


def test_eval_run_in_parallel_stores_one_suite_however_it_was_typed(
    runtime: Runtime, _shared_kb: Shared, suite_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from cadre.cli import _context, app

    monkeypatch.setenv("CADRE_HOME", str(_shared_kb[0].home))
    monkeypatch.setenv("CADRE_ACTION_MODULES", "tests.agents.help_desk")
    monkeypatch.delenv("CADRE_LLM_BASE_URL", raising=False)
    monkeypatch.chdir(suite_file.parent)

    def cadre(*args: str) -> dict[str, Any]:
        _context.reset()
        try:
            ran = CliRunner().invoke(app, ["eval", *args, "--json"])
        finally:
            _context.reset()
        assert ran.exit_code == 0, ran.stderr
        return dict(json.loads(ran.stdout))

    serial = cadre("run", suite_file.name, "--workers", "1")
    parallel = cadre("run", str(suite_file), "--workers", "2", "--repeat", "2")
    assert serial["suite"] == parallel["suite"] == str(suite_file.resolve())
    assert [(r["id"], r["trial"]) for r in parallel["results"]] == [
        (case, trial) for case in ("invoice-status", "wrong-expectation", "asks-then-opens-a-case") for trial in (1, 2)
    ]
    assert [r["passed"] for r in parallel["results"][::2]] == [r["passed"] for r in serial["results"]]
    compared = cadre("compare", serial["run_id"], parallel["run_id"])
    assert compared["regressed"] == [] and compared["improved"] == []
