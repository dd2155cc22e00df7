"""A window's counts: `Tally` (every rate of the dashboard is a ratio of two of its fields) and `Latency`.

The events table (`cadre.observability.figures`) and the packed chunks (`cadre.observability.columnar`) both count
into these, so a figure reads the same whichever of the two a window was counted from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

PERCENTILES = (0.5, 0.95)


def rate(part: float, whole: float) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Tally:
    """A window's events counted once; every rate of the dashboard is a ratio of two of these."""

    turns: int = 0
    conversations: int = 0
    users: int = 0
    failed: int = 0
    failovers: int = 0
    cost_usd: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    answered: int = 0
    cited: int = 0  # answered turns that cite a source
    scored: int = 0
    groundedness: float | None = None
    relevancy: float | None = None
    csat_responses: int = 0
    csat_total: float = 0.0
    csat_1: int = 0
    csat_2: int = 0
    csat_3: int = 0
    csat_4: int = 0
    csat_5: int = 0
    rated: int = 0
    ended: int = 0  # conversations resolved, handed off or abandoned in the window
    deflected: int = 0
    resolved_by_human: int = 0
    escalated: int = 0
    abandoned: int = 0
    lead_touches: int = 0
    leads: int = 0
    emails: int = 0
    meetings: int = 0
    pipeline_usd: float = 0.0

    @classmethod
    def of(cls, counted: Mapping[str, Any]) -> Tally:
        values = {f.name: counted[f.name] for f in fields(cls) if counted.get(f.name) is not None}
        for name in ("cost_usd", "csat_total", "pipeline_usd", "groundedness", "relevancy"):
            if name in values:
                values[name] = float(values[name])  # PostgreSQL sums and averages come back as Decimal
        return cls(**values)

    @property
    def error_rate(self) -> float | None:
        return rate(self.failed, self.turns)

    @property
    def failover_rate(self) -> float | None:
        return rate(self.failovers, self.turns)

    @property
    def deflection_rate(self) -> float | None:
        return rate(self.deflected, self.ended)

    @property
    def escalation_rate(self) -> float | None:
        return rate(self.escalated, self.ended)

    @property
    def abandonment_rate(self) -> float | None:
        return rate(self.abandoned, self.ended)

    @property
    def csat(self) -> float | None:
        return rate(self.csat_total, self.csat_responses)

    @property
    def citation_rate(self) -> float | None:
        return rate(self.cited, self.answered)

    @property
    def cost_per_conversation_usd(self) -> float | None:
        return rate(self.cost_usd, self.conversations)


@dataclass(frozen=True)
class Latency:
    p50_ms: float | None = None
    p95_ms: float | None = None


def interpolated(ordered: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks: what PostgreSQL's percentile_cont returns."""
    if len(ordered) == 0:
        return None
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))
