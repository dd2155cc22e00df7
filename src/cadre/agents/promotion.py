"""Promotion gates: a version becomes production only when its gate suite meets the spec's bars and no score fell
more than the allowed margin below the production version's on the same suite."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cadre.agents.models import Gates
from cadre.agents.rollout import Rollout, StageEvent
from cadre.agents.runtime import Runtime
from cadre.errors import ConfigError
from cadre.evaluation.metrics import RATIOS
from cadre.evaluation.runner import run_suite, store_run
from cadre.evaluation.suites import Suite, load_suite, shipped_suites
from cadre.store import Database

# Scores where higher is better, compared with production's under `max_regression`. Latency and cost are not:
# they move with the machine, and latency has its own absolute bar.
SCORES = ("task_success", *RATIOS, "answer_relevancy")


@dataclass(frozen=True)
class GateCheck:
    metric: str
    value: float | None
    limit: float
    passed: bool
    rule: str  # what the bar is, in words


@dataclass(frozen=True)
class Promotion:
    agent: str
    version: int
    promoted: bool
    checks: list[GateCheck]
    run: dict[str, Any]  # the gate suite's run on this version: id, suite, metrics
    baseline: dict[str, Any] | None  # production's run it was compared with, when there is a production version
    event: StageEvent

    @property
    def failing(self) -> list[GateCheck]:
        return [check for check in self.checks if not check.passed]

    def to_json(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "version": self.version,
            "promoted": self.promoted,
            "checks": [asdict(c) for c in self.checks],
            "failing": [c.metric for c in self.failing],
            "run": self.run,
            "baseline": self.baseline,
            "event": self.event.to_json(),
        }


def resolve_suite(ref: str) -> Path:
    """A suite file, or a shipped suite named by its file's stem (`service` for `service.yaml`)."""
    path = Path(ref)
    if path.is_file():
        return path
    shipped = {Path(s["path"]).stem: Path(s["path"]) for s in shipped_suites()}
    if ref in shipped:
        return shipped[ref]
    raise ConfigError(
        f"`gates.suite` must be a suite file or a shipped suite ({', '.join(sorted(shipped))}), got {ref!r}"
    )


def gate_checks(gates: Gates, metrics: dict[str, Any], baseline: dict[str, Any] | None) -> list[GateCheck]:
    """Each bar of `gates` against a run's metrics (as `run_metrics` gives them); regressions against `baseline`."""
    checks: list[GateCheck] = []
    if gates.task_success is not None:
        value = metrics["task_success"]["value"]
        passed = value is not None and value >= gates.task_success
        checks.append(GateCheck("task_success", value, gates.task_success, passed, f">= {gates.task_success}"))
    if gates.forbidden_violations is not None:
        total = float(metrics["forbidden_violations"]["total"])
        limit = float(gates.forbidden_violations)
        checks.append(GateCheck("forbidden_violations", total, limit, total <= limit, f"<= {limit:g}"))
    if gates.latency_p95_ms is not None:
        p95 = metrics["latency_ms"]["p95"]
        passed = p95 is not None and p95 <= gates.latency_p95_ms
        checks.append(GateCheck("latency_ms.p95", p95, gates.latency_p95_ms, passed, f"<= {gates.latency_p95_ms:g}"))
    if gates.max_regression is not None and baseline is not None:
        margin = gates.max_regression
        for metric in SCORES:
            before, after = baseline[metric]["value"], metrics[metric]["value"]
            if before is None or after is None:
                continue  # the suite does not measure it on one of the two versions
            limit = round(before - margin, 4)
            checks.append(
                GateCheck(f"regression.{metric}", after, limit, after >= limit, f">= production {before} - {margin}")
            )
        before_share = baseline["forbidden_violations"]["value"]
        after_share = metrics["forbidden_violations"]["value"]
        if before_share is not None and after_share is not None:
            limit = round(before_share + margin, 4)
            rule = f"<= production {before_share} + {margin}"
            checks.append(GateCheck("regression.forbidden_violations", after_share, limit, after_share <= limit, rule))
    return checks


def promote(runtime: Runtime, rollout: Rollout, db: Database, agent: str, version: int, *, by: str) -> Promotion:
    """Run the version's gate suite (stored as an evaluation run), check its gates, and record the version as
    production, or the refusal with the failing checks."""
    deployed = runtime.versions.get(agent, version)
    gates = deployed.spec.gates
    if gates is None:
        raise ConfigError(
            f"agent {agent!r} version {version} must declare `gates` to be promoted, got none",
            hint="add `gates: {suite: …}` to the spec, or use `cadre agents rollout … --stage production`",
        )
    path = resolve_suite(gates.suite)
    suite = load_suite(path)
    run = _gate_run(runtime, db, suite, suite_name=str(path), agent=agent, version=version)
    plan = rollout.plan(agent)
    production = plan.production if plan else None
    baseline = None
    if production is not None and production != version:
        baseline = _production_run(rollout, agent, production, str(path)) or _gate_run(
            runtime, db, suite, suite_name=str(path), agent=agent, version=production
        )
    checks = gate_checks(gates, run["metrics"], baseline["metrics"] if baseline else None)
    passed = all(check.passed for check in checks)
    body = {"checks": [asdict(c) for c in checks], "run": run, "baseline": baseline}
    event = rollout.record(agent, version, "production", action="promote" if passed else "refused", gates=body, by=by)
    return Promotion(agent, version, passed, checks, run, baseline, event)


def _gate_run(
    runtime: Runtime, db: Database, suite: Suite, *, suite_name: str, agent: str, version: int
) -> dict[str, Any]:
    result = run_suite(runtime, suite, suite_name=suite_name, agent=agent, version=version)
    store_run(db, result)
    body = result.to_json()
    return {k: body[k] for k in ("run_id", "suite", "version", "cases", "passed", "metrics")}


def _production_run(rollout: Rollout, agent: str, version: int, suite: str) -> dict[str, Any] | None:
    """The gate run that promoted the production version, when it was on the same suite (no need to rerun it)."""
    for event in reversed(rollout.history(agent)):
        run = (event.gates or {}).get("run")
        if event.version == version and event.action == "promote" and run and run.get("suite") == suite:
            return dict(run)
    return None
