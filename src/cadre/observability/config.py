"""What the dashboard's money and score figures are measured against: `CADRE_HOME/observability.yaml`."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cadre.errors import ConfigError
from cadre.settings import Settings
from cadre.yamlfile import load_model

COMPONENTS = ("deflection", "groundedness", "relevancy", "csat", "latency", "errors")


class Costs(BaseModel):
    """What the work an agent takes over would cost with people, and what running the agents costs."""

    model_config = ConfigDict(extra="forbid")

    human_conversation_usd: float = Field(default=6.0, ge=0, description="A conversation handled by a person.")
    sdr_hour_usd: float = Field(default=45.0, ge=0, description="One hour of a sales development rep.")
    minutes_per_lead_touch: float = Field(default=12.0, ge=0, description="A rep's minutes per e-mail touch of a lead.")
    infrastructure_usd_per_month: float = Field(default=300.0, ge=0, description="Servers, storage, licences.")


class Weights(BaseModel):
    """How much each normalised component counts in the score; only their ratios matter."""

    model_config = ConfigDict(extra="forbid")

    deflection: float = Field(default=0.25, ge=0)
    groundedness: float = Field(default=0.20, ge=0)
    relevancy: float = Field(default=0.15, ge=0)
    csat: float = Field(default=0.20, ge=0)
    latency: float = Field(default=0.10, ge=0)
    errors: float = Field(default=0.10, ge=0)

    def of(self, component: str) -> float:
        return float(getattr(self, component))


class Targets(BaseModel):
    """The figures at which a component counts as fully met (1.0) or, for errors, fully failed (0.0)."""

    model_config = ConfigDict(extra="forbid")

    deflection_rate: float = Field(default=0.7, gt=0, le=1, description="Deflection at or above this scores 1.")
    latency_p95_ms: float = Field(default=3000.0, gt=0, description="A p95 at or under this scores 1.")
    max_error_rate: float = Field(default=0.05, gt=0, le=1, description="An error rate at or above this scores 0.")


class ScoreConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weights: Weights = Field(default_factory=Weights)
    targets: Targets = Field(default_factory=Targets)

    @field_validator("weights")
    @classmethod
    def _some_weight(cls, weights: Weights) -> Weights:
        total = sum(weights.of(name) for name in COMPONENTS)
        if total <= 0:
            raise ValueError(f"the weights must sum to more than 0, got {total}")
        return weights


class ObservabilityConfig(BaseModel):
    """The whole file; every key is optional and falls back to the documented default."""

    model_config = ConfigDict(extra="forbid")

    costs: Costs = Field(default_factory=Costs)
    score: ScoreConfig = Field(default_factory=ScoreConfig)


def config_file(settings: Settings) -> Path:
    return settings.observability_path or settings.resolved_home / "observability.yaml"


def load_config(settings: Settings) -> ObservabilityConfig:
    """The installation's file, or the defaults when it has none (an explicitly configured path must exist)."""
    path = config_file(settings)
    if settings.observability_path is None and not path.exists():
        return ObservabilityConfig()
    return load_model(path, ObservabilityConfig, what="observability config", error=ConfigError)
