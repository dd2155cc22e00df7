"""One 0-100 performance score per agent: a weighted average of normalised components, shown with its parts.

    score = 100 * Σ wᵢ·nᵢ / Σ wᵢ   over the components i that have data in the window

Each component's raw figure is normalised to 0..1 (clipped) against `score.targets` of the observability config:

    deflection    n = deflection rate / targets.deflection_rate      (resolved by the agent, over ended conversations)
    groundedness  n = average groundedness of sampled live turns      (already 0..1)
    relevancy     n = average relevancy of sampled live turns         (already 0..1)
    csat          n = (average CSAT - 1) / 4                          (1..5 → 0..1)
    latency       n = targets.latency_p95_ms / p95, 1 when p95 ≤ target
    errors        n = 1 - error rate / targets.max_error_rate        (0 at or past the tolerated rate)

A component without data (no ended conversation, no sampled turn, no CSAT answer, no timed turn) is left out and
the remaining weights are renormalised to sum to 1, so an agent is not punished for a figure it cannot have; the
output says which were left out. With no component at all the score is None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cadre.observability.config import COMPONENTS, ScoreConfig, Targets

FORMULA = "100 * Σ weight·normalised / Σ weight, over the components with data"
RAW = {
    "deflection": "deflection_rate",
    "groundedness": "groundedness",
    "relevancy": "relevancy",
    "csat": "csat",
    "latency": "latency_p95_ms",
    "errors": "error_rate",
}


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))


_NORMALISE: dict[str, Callable[[float, Targets], float]] = {
    "deflection": lambda raw, t: _clip(raw / t.deflection_rate),
    "groundedness": lambda raw, _t: _clip(raw),
    "relevancy": lambda raw, _t: _clip(raw),
    "csat": lambda raw, _t: _clip((raw - 1.0) / 4.0),
    "latency": lambda raw, t: 1.0 if raw <= t.latency_p95_ms else _clip(t.latency_p95_ms / raw),
    "errors": lambda raw, t: _clip(1.0 - raw / t.max_error_rate),
}


def performance_score(raw: Mapping[str, float | None], config: ScoreConfig) -> dict[str, Any]:
    """The score of `raw` figures keyed as `RAW`'s values (deflection_rate, groundedness, …, error_rate)."""
    components: list[dict[str, Any]] = []
    for name in COMPONENTS:
        value = raw.get(RAW[name])
        weight = config.weights.of(name)
        normalised = None if value is None else _NORMALISE[name](value, config.targets)
        components.append({"name": name, "figure": RAW[name], "raw": value, "normalised": normalised, "weight": weight})
    counted = [c for c in components if c["normalised"] is not None and c["weight"] > 0]
    total_weight = sum(c["weight"] for c in counted)
    counted_names = {c["name"] for c in counted}
    for component in components:
        share = component["name"] in counted_names and total_weight > 0
        component["effective_weight"] = component["weight"] / total_weight if share else 0.0
    value = None if total_weight == 0 else 100.0 * sum(c["weight"] * c["normalised"] for c in counted) / total_weight
    missing = [c["name"] for c in components if c["normalised"] is None and c["weight"] > 0]
    return {
        "value": None if value is None else round(value, 1),
        "formula": FORMULA,
        "components": components,
        "missing": missing,
        "renormalised": bool(missing),
        "note": _note(missing, counted),
    }


def _note(missing: list[str], counted: list[dict[str, Any]]) -> str:
    if not counted:
        return "no component has data in this window: no score"
    if not missing:
        return "every component has data"
    return f"no data for {', '.join(missing)}: left out, the other weights renormalised to sum to 1"
