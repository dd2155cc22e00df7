"""What a model call cost: USD per 1M input and output tokens per model, shipped table plus the user's overrides."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from cadre.engines.messages import Usage
from cadre.errors import ConfigError
from cadre.yamlfile import load_model, parse_model

# Vendors answer with a dated snapshot name (gpt-4o-mini-2024-07-18) for an undated request.
_RELEASE_DATE = re.compile(r"-\d{4}-\d{2}-\d{2}$")


class _PriceRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input: float = Field(ge=0, description="USD per 1M input (prompt) tokens")
    output: float = Field(ge=0, description="USD per 1M output (completion) tokens")


class _PriceFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    models: dict[str, _PriceRow] = Field(default_factory=dict)


@dataclass(frozen=True)
class Price:
    input_per_million: float
    output_per_million: float


@dataclass(frozen=True)
class Cost:
    usd: float
    priced: bool  # False: the model is not in the table, so `usd` is 0.0 by ignorance, not because it was free


class PriceTable:
    """Prices by model name; `cost` never fails, it says when it does not know."""

    def __init__(self, prices: dict[str, Price]) -> None:
        self._prices = dict(prices)

    @classmethod
    def load(cls, override: Path | None = None) -> PriceTable:
        """The shipped table, with the rows of `override` (same YAML shape) replacing or adding models."""
        text = resources.files("cadre.engines").joinpath("prices.yaml").read_text(encoding="utf-8")
        rows = parse_model(text, _PriceFile, what="shipped price table", error=ConfigError).models
        if override is not None:
            rows = rows | load_model(override, _PriceFile, what="price table", error=ConfigError).models
        return cls({name: Price(row.input, row.output) for name, row in rows.items()})

    def price_of(self, model: str) -> Price | None:
        return self._prices.get(model) or self._prices.get(_RELEASE_DATE.sub("", model))

    def cost_served(self, served_by: str, asked_for: str, usage: Usage) -> Cost:
        """A reply's cost, by the model that answered (a dated snapshot, a deployment's name), else by the one asked
        for when only that one is in the table."""
        cost = self.cost(served_by, usage)
        if not cost.priced and served_by != asked_for:
            cost = self.cost(asked_for, usage)
        return cost

    def cost(self, model: str, usage: Usage) -> Cost:
        price = self.price_of(model)
        if price is None:
            return Cost(0.0, priced=False)
        usd = (usage.input_tokens * price.input_per_million + usage.output_tokens * price.output_per_million) / 1e6
        return Cost(usd, priced=True)
