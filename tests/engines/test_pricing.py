"""Prices per 1M tokens: the shipped table, dated snapshot names, the user's overrides, and unknown models."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadre.engines.messages import Usage
from cadre.engines.pricing import Cost, Price, PriceTable
from cadre.errors import ConfigError


def test_the_shipped_table_prices_common_models() -> None:
    prices = PriceTable.load()

    assert prices.price_of("gpt-4o-mini") == Price(0.15, 0.60)
    assert prices.cost("gpt-4o-mini", Usage(1_000_000, 1_000_000)) == Cost(0.75, priced=True)


def test_a_dated_snapshot_is_priced_as_its_model_unless_listed_itself() -> None:
    prices = PriceTable({"gpt-4o": Price(2.5, 10.0), "gpt-4o-2024-05-13": Price(5.0, 15.0)})

    assert prices.price_of("gpt-4o-2024-08-06") == Price(2.5, 10.0)
    assert prices.price_of("gpt-4o-2024-05-13") == Price(5.0, 15.0)


def test_an_unknown_model_is_unpriced_rather_than_free() -> None:
    assert PriceTable.load().cost("my-finetune", Usage(1000, 1000)) == Cost(0.0, priced=False)


def test_an_override_file_replaces_and_adds_models(tmp_path: Path) -> None:
    override = tmp_path / "prices.yaml"
    override.write_text(
        "models:\n  gpt-4o-mini: {input: 0.10, output: 0.40}\n  llama-3.1-70b: {input: 0.6, output: 0.6}\n"
    )
    prices = PriceTable.load(override)

    assert prices.price_of("gpt-4o-mini") == Price(0.10, 0.40)
    assert prices.price_of("llama-3.1-70b") == Price(0.6, 0.6)
    assert prices.price_of("gpt-4o") == Price(2.50, 10.00)


def test_a_malformed_override_names_the_line_and_field(tmp_path: Path) -> None:
    override = tmp_path / "prices.yaml"
    override.write_text("models:\n  gpt-4o-mini:\n    input: -1\n    output: 0.4\n")

    with pytest.raises(ConfigError, match=r"prices.yaml:3: `models.gpt-4o-mini.input`: Input should be greater"):
        PriceTable.load(override)


def test_a_missing_override_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="price table file not found"):
        PriceTable.load(tmp_path / "absent.yaml")
