"""Return on investment over a window: the people-work agents took over, minus what running them cost.

    net = deflected * human_conversation_usd
        + lead_touches * minutes_per_lead_touch / 60 * sdr_hour_usd
        - (model_cost_usd + infrastructure_usd_per_month * window_days / 30.4375 * infrastructure_share)

Deflected conversations are those resolved by the agent (a `conversation_resolved` event with `data.by` = agent);
lead touches are the SDR agent's e-mails to leads, each a rep's `minutes_per_lead_touch`. The infrastructure is the
installation's: a slice of it (one agent, topic, language or channel) carries its share of the window's live turns,
so the slices of a breakdown add up to the whole. `annualised_usd` scales the net to 365.25 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cadre.observability.config import Costs

FORMULA = (
    "deflected * human_conversation_usd + lead_touches * minutes_per_lead_touch / 60 * sdr_hour_usd"
    " - (model_cost_usd + infrastructure_usd_per_month * window_days / 30.4375 * infrastructure_share)"
)
DAYS_PER_MONTH = 365.25 / 12
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Work:
    """What a window's events say the agents did and spent."""

    deflected: int
    lead_touches: int
    model_cost_usd: float
    conversations: int
    infrastructure_share: float = 1.0  # the slice's share of the window's live turns


def return_on_investment(work: Work, costs: Costs, length: timedelta) -> dict[str, Any]:
    days = length.total_seconds() / 86400
    deflection_usd = work.deflected * costs.human_conversation_usd
    sdr_usd = work.lead_touches * costs.minutes_per_lead_touch / 60 * costs.sdr_hour_usd
    infrastructure_usd = costs.infrastructure_usd_per_month * days / DAYS_PER_MONTH * work.infrastructure_share
    cost_usd = work.model_cost_usd + infrastructure_usd
    net = deflection_usd + sdr_usd - cost_usd
    return {
        "formula": FORMULA,
        "inputs": {
            "deflected": work.deflected,
            "human_conversation_usd": costs.human_conversation_usd,
            "lead_touches": work.lead_touches,
            "minutes_per_lead_touch": costs.minutes_per_lead_touch,
            "sdr_hour_usd": costs.sdr_hour_usd,
            "model_cost_usd": round(work.model_cost_usd, 6),
            "infrastructure_usd_per_month": costs.infrastructure_usd_per_month,
            "window_days": round(days, 6),
            "infrastructure_share": round(work.infrastructure_share, 6),
        },
        "saved_usd": {"deflection": round(deflection_usd, 2), "sdr_time": round(sdr_usd, 2)},
        "cost_usd": {"model": round(work.model_cost_usd, 2), "infrastructure": round(infrastructure_usd, 2)},
        # The model's part only: what a change of model or prompt moves (the infrastructure is a fixed fee).
        "model_cost_per_conversation_usd": (
            round(work.model_cost_usd / work.conversations, 6) if work.conversations else None
        ),
        "net_usd": round(net, 2),
        "annualised_usd": round(net * DAYS_PER_YEAR / days, 2),
    }
