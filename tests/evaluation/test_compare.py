"""Comparing runs: deltas, the cases that moved, a significance note that does not crown a 1-case wobble."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from cadre.cli import _context
from cadre.evaluation.compare import RunsNotComparable, compare_runs
from cadre.evaluation.runner import CaseResult, SuiteRun, TurnOutcome, load_run, store_run
from tests.cli.conftest import Ran, cadre  # noqa: F401


def turn(latency: float, *, topic_ok: bool = True) -> TurnOutcome:
    return TurnOutcome(
        user="hi",
        reply="hello",
        topic="billing",
        language="en",
        actions=[],
        handoff=None,
        citations=0,
        latency_ms=latency,
        failures=[] if topic_ok else ["topic: expected 'billing', got None"],
        scores={
            "topic": [int(topic_ok), 1],
            "actions": [0, 0],
            "facts": [0, 0],
            "forbidden": [0, 0],
            "language": [1, 1],
            "handoff": [0, 0],
            "grounded": [0, 0],
            "relevancy": None,
            "latency_ms": latency,
            "tokens": {"input": 0, "output": 0},
            "cost_usd": 0.0,
        },
    )


def suite_run(passing: Sequence[bool], *, suite: str = "service.yaml", latency: float = 10.0) -> SuiteRun:
    results = [
        CaseResult(id=f"case-{i}", passed=ok, tags=[], turns=[turn(latency, topic_ok=ok)])
        for i, ok in enumerate(passing)
    ]
    return SuiteRun(
        run_id=f"run-{suite}-{sum(passing)}-{latency}",
        suite=suite,
        agent="service",
        version=1,
        engine="offline",
        seconds=1.0,
        results=results,
    )


def test_a_one_case_wobble_is_not_significant() -> None:
    before = suite_run([True] * 18 + [False, False]).to_json()
    after = suite_run([True] * 19 + [False]).to_json()
    body = compare_runs(before, after)
    assert body["metrics"]["task_success"] == {"a": 0.9, "b": 0.95, "delta": 0.05, "better": True}
    assert body["improved"] == [{"id": "case-18", "a": 0.0, "b": 1.0}] and body["regressed"] == []
    significance = body["significance"]
    assert not significance["significant"]
    assert significance["ci95"][0] <= 0 <= significance["ci95"][1]
    assert significance["note"].startswith("not significant")


def test_a_broad_regression_is_significant_and_names_its_cases() -> None:
    before = suite_run([True] * 20).to_json()
    after = suite_run([True] * 8 + [False] * 12, latency=30.0).to_json()
    body = compare_runs(before, after)
    assert [c["id"] for c in body["regressed"]] == [f"case-{i}" for i in range(8, 20)]
    assert body["significance"]["significant"] and body["significance"]["ci95"][1] < 0
    assert body["significance"]["note"].startswith("significant: task success fell by 60.0%")
    assert body["metrics"]["latency_ms.p95"] == {"a": 10.0, "b": 30.0, "delta": 20.0, "better": False}
    assert body["metrics"]["fact_recall"]["delta"] is None  # no case expects facts


def test_runs_of_different_suites_are_refused() -> None:
    with pytest.raises(RunsNotComparable, match="same suite"):
        compare_runs(suite_run([True]).to_json(), suite_run([True], suite="sdr.yaml").to_json())


def test_the_cli_compares_stored_runs_and_names_an_unknown_one(cadre: Callable[..., Ran]) -> None:  # noqa: F811
    runs = [suite_run([True, True, False]), suite_run([True, False, False], latency=20.0)]
    for run in runs:
        store_run(_context.database(), run)
    stored: dict[str, Any] = load_run(_context.database(), runs[1].run_id)
    assert stored["metrics"]["latency_ms"]["p50"] == 20.0 and stored["pass_hat_k"] == {"1": 0.3333}
    ran = cadre("eval", "compare", runs[0].run_id, runs[1].run_id, "--json")
    assert ran.exit_code == 0, ran.stderr
    body = ran.json()
    assert body["regressed"] == [{"id": "case-1", "a": 1.0, "b": 0.0}]
    assert body["a"]["run_id"] == runs[0].run_id and body["b"]["created_at"]
    missing = cadre("eval", "compare", runs[0].run_id, "no-such-run", "--json")
    assert missing.exit_code == 2 and "no evaluation run 'no-such-run'" in missing.stderr
