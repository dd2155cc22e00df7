"""Comparing two runs of one suite: per-metric deltas, the cases that moved, and whether the move is more than noise."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cadre.errors import CadreError
from cadre.evaluation.metrics import bootstrap_interval

RESAMPLES = 2000
SEED = 0
SCALARS = (
    "task_success",
    "topic_accuracy",
    "action_correctness",
    "fact_recall",
    "forbidden_violations",
    "groundedness",
    "answer_relevancy",
    "language_match",
    "handoff_correctness",
    "cost_usd",
)
# Metrics where a smaller number is the better one.
LOWER_IS_BETTER = {"forbidden_violations", "cost_usd", "latency_ms.p50", "latency_ms.p95"}


class RunsNotComparable(CadreError):
    """Two runs that do not measure the same thing: different suites."""


def compare_runs(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """B against A (as `load_run` returns them): deltas are B - A; a case regressed when its task success fell."""
    if a["suite"] != b["suite"]:
        raise RunsNotComparable(
            f"both runs must be of the same suite, got {a['suite']!r} (run {a['run_id']}) "
            f"and {b['suite']!r} (run {b['run_id']})"
        )
    success_a, success_b = _case_success(a["results"]), _case_success(b["results"])
    common = [case for case in success_a if case in success_b]
    differences = [success_b[case] - success_a[case] for case in common]
    low, high = bootstrap_interval(differences, resamples=RESAMPLES, seed=SEED)
    return {
        "suite": a["suite"],
        "a": _identity(a),
        "b": _identity(b),
        "metrics": _deltas(a["metrics"], b["metrics"]),
        "pass_hat_k": _deltas_flat(a["pass_hat_k"], b["pass_hat_k"]),
        "regressed": [_moved(c, success_a, success_b) for c in common if success_b[c] < success_a[c]],
        "improved": [_moved(c, success_a, success_b) for c in common if success_b[c] > success_a[c]],
        "only_in_a": [c for c in success_a if c not in success_b],
        "only_in_b": [c for c in success_b if c not in success_a],
        "significance": significance(differences, (low, high)),
    }


def significance(differences: Sequence[float], interval: tuple[float, float]) -> dict[str, Any]:
    """The note a reader needs: is the task-success difference distinguishable from case-to-case noise?"""
    low, high = interval
    mean = round(sum(differences) / len(differences), 4) if differences else 0.0
    significant = low > 0 or high < 0
    if significant:
        note = f"significant: task success {'rose' if mean > 0 else 'fell'} by {abs(mean):.1%} (95% CI excludes 0)"
    else:
        note = f"not significant: the 95% interval [{low:+.1%}, {high:+.1%}] of the task-success difference includes 0"
    return {
        "metric": "task_success",
        "method": f"paired bootstrap over cases ({RESAMPLES} resamples, seed {SEED}), percentile interval",
        "paired_cases": len(differences),
        "difference": mean,
        "ci95": [low, high],
        "significant": significant,
        "note": note,
    }


def _case_success(results: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Each case's share of passing trials (1 or 0 with a single trial), in suite order."""
    trials: dict[str, list[bool]] = {}
    for r in results:
        trials.setdefault(r["id"], []).append(bool(r["passed"]))
    return {case: sum(t) / len(t) for case, t in trials.items()}


def _moved(case: str, a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, Any]:
    return {"id": case, "a": round(a[case], 4), "b": round(b[case], 4)}


def _identity(run: Mapping[str, Any]) -> dict[str, Any]:
    return {k: run.get(k) for k in ("run_id", "agent", "version", "engine", "cases", "passed", "trials", "created_at")}


def _deltas(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for metric in SCALARS:
        found[metric] = _delta(metric, a[metric]["value"], b[metric]["value"])
    for quantile in ("p50", "p95"):
        name = f"latency_ms.{quantile}"
        found[name] = _delta(name, a["latency_ms"][quantile], b["latency_ms"][quantile])
    for side in ("input", "output"):
        found[f"tokens.{side}"] = _delta(f"tokens.{side}", a["tokens"][side], b["tokens"][side])
    return found


def _deltas_flat(a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, Any]:
    return {k: _delta(f"pass^{k}", a[k], b[k]) for k in a if k in b}


def _delta(metric: str, a: float | None, b: float | None) -> dict[str, Any]:
    if a is None or b is None:
        return {"a": a, "b": b, "delta": None, "better": None}
    delta = round(b - a, 4)
    better = None if delta == 0 else (delta < 0) == (metric in LOWER_IS_BETTER)
    return {"a": a, "b": b, "delta": delta, "better": better}
