"""Intake scoring: a proposed use case's impact, feasibility and ROI on 0..100, one overall score, and its rank.

The formulas (documented in docs/portfolio.md, shown with every assessment):
- annual value = volume per year x expected deflection x human cost per contact;
  annual cost = volume per year x the agent's cost per conversation + a fixed yearly cost; net = value - cost.
- impact = 100 x log10(value / 10k) / log10(1M / 10k), clipped to 0..100: $10k a year scores 0, $100k 50, $1M 100
  (a log scale: the tenth million matters less than the first hundred thousand).
- feasibility = 100 x (0.7 x data readiness + 0.3 x action readiness): the share of needed catalog fields that are
  ready, and the share of named actions already registered (new ones must be built).
- roi = 100 x log10(value / cost) / log10(20), clipped: break-even or worse scores 0, 4.5 times its cost 50, twenty
  times 100 (agents are cheap to run: on a linear scale every sample agent would score 100).
- overall = 0.40 impact + 0.35 feasibility + 0.25 roi.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cadre.portfolio.models import Proposal, ProposalInvalid
from cadre.portfolio.readiness import DataReadiness
from cadre.yamlfile import load_model

IMPACT_FLOOR = 10_000.0  # USD a year that scores 0
IMPACT_CEILING = 1_000_000.0  # USD a year that scores 100
ROI_FULL = 20.0  # value / cost that scores 100
DATA_WEIGHT, ACTION_WEIGHT = 0.7, 0.3
WEIGHTS = {"impact": 0.40, "feasibility": 0.35, "roi": 0.25}
# What an agent costs when the proposal does not say: an offline or small-model conversation with a few tool
# calls, and a share of the infrastructure and of someone's time keeping it tuned.
DEFAULT_COST_PER_CONVERSATION = 0.05
DEFAULT_YEARLY_COST = 6_000.0

FORMULAS = {
    "annual_value": "volume_per_year x expected_deflection x human_cost_per_contact",
    "annual_cost": "volume_per_year x cost_per_conversation + yearly_cost",
    "impact": "100 x log10(annual_value / 10000) / log10(1000000 / 10000), clipped to 0..100",
    "feasibility": "100 x (0.7 x data_readiness + 0.3 x action_readiness)",
    "roi": "100 x log10(annual_value / annual_cost) / log10(20), clipped to 0..100",
    "overall": "0.40 x impact + 0.35 x feasibility + 0.25 x roi",
}


def load_proposal(path: Path) -> Proposal:
    """A proposal YAML file (see `cadre/portfolio/examples/`), every problem reported with its line."""
    return load_model(path, Proposal, what="proposal", error=ProposalInvalid)


@dataclass(frozen=True)
class Assessment:
    impact: float
    feasibility: float
    roi: float
    overall: float
    annual_value: float
    annual_cost: float
    inputs: dict[str, float]
    readiness: DataReadiness
    known_actions: tuple[str, ...]
    new_actions: tuple[str, ...]

    @property
    def net(self) -> float:
        return self.annual_value - self.annual_cost

    def to_json(self) -> dict[str, Any]:
        return {
            "impact": self.impact,
            "feasibility": self.feasibility,
            "roi": self.roi,
            "overall": self.overall,
            "value": {
                "annual_value": round(self.annual_value, 2),
                "annual_cost": round(self.annual_cost, 2),
                "net": round(self.net, 2),
                "roi_multiple": round(self.annual_value / self.annual_cost, 3) if self.annual_cost else None,
                "inputs": self.inputs,
            },
            "data_readiness": self.readiness.to_json(),
            "actions": {"registered": list(self.known_actions), "to_build": list(self.new_actions)},
            "weights": WEIGHTS,
            "formulas": FORMULAS,
        }


def assess(proposal: Proposal, readiness: DataReadiness, registered_actions: Iterable[str]) -> Assessment:
    registered = set(registered_actions)
    per_contact = proposal.human_cost_per_contact
    per_conversation = (
        proposal.cost_per_conversation if proposal.cost_per_conversation is not None else DEFAULT_COST_PER_CONVERSATION
    )
    yearly = proposal.yearly_cost if proposal.yearly_cost is not None else DEFAULT_YEARLY_COST
    value = proposal.volume_per_year * proposal.expected_deflection * per_contact
    cost = proposal.volume_per_year * per_conversation + yearly
    named = [action.name for action in proposal.actions]
    known = tuple(name for name in named if name in registered)
    action_share = len(known) / len(named) if named else 1.0
    impact = _impact(value)
    feasibility = 100 * (DATA_WEIGHT * readiness.share + ACTION_WEIGHT * action_share)
    roi = _roi(value, cost)
    overall = WEIGHTS["impact"] * impact + WEIGHTS["feasibility"] * feasibility + WEIGHTS["roi"] * roi
    return Assessment(
        impact=round(impact, 1),
        feasibility=round(feasibility, 1),
        roi=round(roi, 1),
        overall=round(overall, 1),
        annual_value=value,
        annual_cost=cost,
        inputs={
            "volume_per_year": proposal.volume_per_year,
            "expected_deflection": proposal.expected_deflection,
            "human_cost_per_contact": round(per_contact, 4),
            "cost_per_conversation": per_conversation,
            "yearly_cost": yearly,
        },
        readiness=readiness,
        known_actions=known,
        new_actions=tuple(name for name in named if name not in registered),
    )


def _impact(value: float) -> float:
    if value <= IMPACT_FLOOR:
        return 0.0
    return min(100.0, 100 * math.log10(value / IMPACT_FLOOR) / math.log10(IMPACT_CEILING / IMPACT_FLOOR))


def _roi(value: float, cost: float) -> float:
    if cost <= 0:
        return 100.0 if value > 0 else 0.0
    if value <= cost:
        return 0.0
    return min(100.0, 100 * math.log10(value / cost) / math.log10(ROI_FULL))


@dataclass(frozen=True)
class Rank:
    position: int  # 1 is the best; ties share the better position
    of: int
    ahead: tuple[str, ...]  # the entries scored higher, best first

    def to_json(self) -> dict[str, Any]:
        return {"position": self.position, "of": self.of, "ahead": list(self.ahead)}


def rank(name: str, overall: float, others: dict[str, float]) -> Rank:
    """Where `overall` stands among the other scored entries (`others`: name -> overall, `name` left out)."""
    rivals = {other: score for other, score in others.items() if other != name}
    ahead = sorted((o for o, s in rivals.items() if s > overall), key=lambda o: (-rivals[o], o))
    return Rank(position=len(ahead) + 1, of=len(rivals) + 1, ahead=tuple(ahead))


def positions(scores: dict[str, float]) -> dict[str, int]:
    """Each scored entry's rank (1 is the best; ties share the better rank)."""
    return {name: 1 + sum(other > score for other in scores.values()) for name, score in scores.items()}
