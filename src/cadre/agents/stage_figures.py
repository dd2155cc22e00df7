"""Live figures per rollout stage, from the stored turns: how a shadow or a pilot does next to production."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from cadre.agents.rollout import StagePlan
from cadre.agents.store import ConversationRow, TurnRow
from cadre.evaluation.metrics import percentile
from cadre.store import Database

RECENT_TURNS = 5000  # per agent: the figures describe current traffic, not the agent's whole life

METHODS = {
    "task_success": "turns answered or asked back (not handed off or refused) / completed turns",
    "handoff_rate": "turns handed to a human / completed turns",
    "grounding_pass": "turns whose grounding check passed / turns the check ran on (model engines)",
    "latency_ms": "nearest-rank p50 and p95 of turn latency",
}


@dataclass
class _Tally:
    turns: int = 0
    served: int = 0
    handed_off: int = 0
    grounded: int = 0
    grounding_checked: int = 0
    latencies: list[float] = field(default_factory=list)

    def add(self, outcome: str | None, latency_ms: float | None, guardrails: list[dict[str, Any]]) -> None:
        self.turns += 1
        self.served += outcome in ("answered", "asked")
        self.handed_off += outcome == "handed_off"
        verdicts = [g.get("verdict", "") for g in guardrails if g.get("name") == "grounding"]
        if verdicts:
            self.grounding_checked += 1
            self.grounded += verdicts[-1] == "pass"
        if latency_ms is not None:
            self.latencies.append(latency_ms)

    def figures(self) -> dict[str, Any]:
        return {
            "turns": self.turns,
            "task_success": _share(self.served, self.turns),
            "handoff_rate": _share(self.handed_off, self.turns),
            "grounding_pass": _share(self.grounded, self.grounding_checked),
            "latency_ms": {"p50": percentile(self.latencies, 50), "p95": percentile(self.latencies, 95)},
        }


def stage_figures(db: Database, plan: StagePlan, *, latest: int) -> dict[str, Any]:
    """Each stage's version and its figures over the agent's last turns; production's version is `latest`
    deployed when none was recorded."""
    production = plan.production or latest
    wanted = {"production": production, "pilot": plan.pilot, "shadow": plan.shadow}
    tallies = {stage: _Tally() for stage, version in wanted.items() if version is not None}
    with db.session() as session:
        rows = session.execute(
            select(
                TurnRow.agent_version, TurnRow.outcome, TurnRow.latency_ms, TurnRow.guardrails, ConversationRow.state
            )
            .join(ConversationRow, ConversationRow.id == TurnRow.conversation_id)
            .where(ConversationRow.agent == plan.agent, TurnRow.status == "completed")
            .order_by(TurnRow.started_at.desc())
            .limit(RECENT_TURNS)
        ).all()
    for version, outcome, latency_ms, guardrails, state in rows:
        if (state or {}).get("evaluation"):
            continue  # a suite's or a gate's run: measured by that run, not as the stage's live traffic
        stage = "shadow" if (state or {}).get("shadow_of") else (state or {}).get("stage", "production")
        if stage in tallies and wanted[stage] == version:
            tallies[stage].add(outcome, latency_ms, guardrails or [])
    return {
        "agent": plan.agent,
        "stages": {
            stage: {
                "version": wanted[stage],
                **({"share": plan.pilot_share} if stage == "pilot" else {}),
                **tallies[stage].figures(),
            }
            for stage in tallies
        },
        "methods": METHODS,
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
