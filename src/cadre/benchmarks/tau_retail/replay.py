"""Replay: run each task's gold actions through Cadre's actions, from a fresh copy of the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cadre.agents.actions import ActionOutcome, ActionRegistry
from cadre.benchmarks.tau_retail.dataset import RetailTask
from cadre.benchmarks.tau_retail.tools import RETAIL_ACTIONS
from cadre.benchmarks.tau_retail.workspace import RetailWorkspace


@dataclass
class ReplayReport:
    tasks: int = 0
    actions: int = 0
    action_errors: int = 0
    outputs_found: int = 0
    outputs_expected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # the first few, to say what broke

    def as_dict(self) -> dict[str, Any]:
        return {
            "tasks": self.tasks,
            "actions": self.actions,
            "action_errors": self.action_errors,
            "outputs_found": self.outputs_found,
            "outputs_expected": self.outputs_expected,
            "errors": self.errors,
        }


def run_gold_actions(
    workspace: RetailWorkspace, task: RetailTask, *, registry: ActionRegistry = RETAIL_ACTIONS
) -> list[tuple[str, ActionOutcome]]:
    """Reset the database, then run the task's actions in order; each action's name and outcome."""
    workspace.reset()
    context = workspace.context()
    outcomes: list[tuple[str, ActionOutcome]] = []
    for step in task.actions:
        if step.name not in registry:
            outcomes.append(
                (step.name, ActionOutcome(ok=False, error=f"action must be a retail tool, got {step.name!r}"))
            )
            continue
        outcomes.append((step.name, registry.get(step.name).call(context, step.kwargs)))
    return outcomes


def outputs_in(outputs: Sequence[str], texts: Sequence[str]) -> int:
    """How many expected outputs appear in the texts, ignoring case and thousands separators, as τ-bench does."""
    haystack = " ".join(texts).lower().replace(",", "")
    return sum(1 for output in outputs if output.lower().replace(",", "") in haystack)


def replay_tasks(workspace: RetailWorkspace, tasks: Sequence[RetailTask], *, keep_errors: int = 10) -> ReplayReport:
    report = ReplayReport()
    for index, task in enumerate(tasks):
        outcomes = run_gold_actions(workspace, task)
        report.tasks += 1
        report.actions += len(outcomes)
        for name, outcome in outcomes:
            if not outcome.ok:
                report.action_errors += 1
                if len(report.errors) < keep_errors:
                    report.errors.append({"task": index, "action": name, "error": outcome.error})
        report.outputs_expected += len(task.outputs)
        report.outputs_found += outputs_in(task.outputs, [o.for_model() for _, o in outcomes if o.ok])
    return report
