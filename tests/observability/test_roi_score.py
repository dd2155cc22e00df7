"""ROI and the performance score from known inputs, and the config file that sets their costs and weights."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from cadre.errors import ConfigError
from cadre.observability.config import Costs, ObservabilityConfig, ScoreConfig, load_config
from cadre.observability.roi import Work, return_on_investment
from cadre.observability.score import performance_score
from cadre.settings import Settings

FULL = {
    "deflection_rate": 0.35,
    "groundedness": 0.9,
    "relevancy": 0.8,
    "csat": 4.0,
    "latency_p95_ms": 6000.0,
    "error_rate": 0.01,
}


def test_roi_over_a_week_with_its_formula_and_inputs() -> None:
    work = Work(deflected=100, lead_touches=50, model_cost_usd=12.5, conversations=400, infrastructure_share=0.5)
    roi = return_on_investment(work, Costs(), timedelta(days=7))
    infrastructure = 300.0 * 7 / (365.25 / 12) * 0.5
    net = 100 * 6.0 + 50 * 12 / 60 * 45.0 - (12.5 + infrastructure)
    assert roi["net_usd"] == round(net, 2)
    assert roi["annualised_usd"] == round(net * 365.25 / 7, 2)
    assert roi["cost_usd"] == {"model": 12.5, "infrastructure": round(infrastructure, 2)}
    assert roi["model_cost_per_conversation_usd"] == 12.5 / 400
    assert roi["inputs"]["window_days"] == 7.0 and roi["inputs"]["infrastructure_share"] == 0.5
    assert roi["formula"].startswith("deflected * human_conversation_usd + lead_touches")


def test_roi_is_negative_when_the_agents_cost_more_than_they_save() -> None:
    roi = return_on_investment(Work(0, 0, 1.0, 0), Costs(infrastructure_usd_per_month=0), timedelta(hours=1))
    assert roi["net_usd"] == -1.0 and roi["model_cost_per_conversation_usd"] is None


def test_the_score_normalises_each_component_against_its_target() -> None:
    score = performance_score(FULL, ScoreConfig())
    parts = {c["name"]: c["normalised"] for c in score["components"]}
    assert parts == pytest.approx(
        {"deflection": 0.5, "groundedness": 0.9, "relevancy": 0.8, "csat": 0.75, "latency": 0.5, "errors": 0.8}
    )
    expected = 100 * (0.25 * 0.5 + 0.2 * 0.9 + 0.15 * 0.8 + 0.2 * 0.75 + 0.1 * 0.5 + 0.1 * 0.8)
    assert score["value"] == round(expected, 1) and not score["renormalised"]


def test_missing_components_are_left_out_and_the_weights_renormalised() -> None:
    partial = FULL | {"groundedness": None, "csat": None}
    score = performance_score(partial, ScoreConfig())
    counted = 0.25 + 0.15 + 0.1 + 0.1
    expected = 100 * (0.25 * 0.5 + 0.15 * 0.8 + 0.1 * 0.5 + 0.1 * 0.8) / counted
    assert score["value"] == round(expected, 1)
    assert score["missing"] == ["groundedness", "csat"] and score["renormalised"]
    assert "groundedness, csat" in score["note"] and "renormalised" in score["note"]
    weights = {c["name"]: c["effective_weight"] for c in score["components"]}
    assert weights["csat"] == 0 and weights["deflection"] == pytest.approx(0.25 / counted)
    assert sum(weights.values()) == pytest.approx(1.0)


def test_a_perfect_agent_scores_100_and_one_without_data_has_no_score() -> None:
    perfect = {"deflection_rate": 0.9, "groundedness": 1.0, "relevancy": 1.0, "csat": 5.0}
    assert performance_score(perfect | {"latency_p95_ms": 10.0, "error_rate": 0.0}, ScoreConfig())["value"] == 100.0
    empty = performance_score({}, ScoreConfig())
    assert empty["value"] is None and len(empty["missing"]) == 6


def test_a_zero_weight_takes_a_component_out_of_the_score() -> None:
    config = ScoreConfig.model_validate({"weights": {"deflection": 1, "groundedness": 0, "relevancy": 0, "csat": 0,
                                                     "latency": 0, "errors": 0}})  # fmt: skip
    assert performance_score(FULL, config)["value"] == 50.0


def test_config_defaults_without_a_file_and_overrides_from_yaml(tmp_path: Path) -> None:
    assert load_config(Settings(home=tmp_path)) == ObservabilityConfig()
    (tmp_path / "observability.yaml").write_text(
        "costs:\n  human_conversation_usd: 8.5\nscore:\n  targets:\n    latency_p95_ms: 1500\n", encoding="utf-8"
    )
    config = load_config(Settings(home=tmp_path))
    assert config.costs.human_conversation_usd == 8.5 and config.costs.sdr_hour_usd == 45.0
    assert config.score.targets.latency_p95_ms == 1500 and config.score.weights.csat == 0.2


def test_config_problems_name_the_file_line_and_yaml_path(tmp_path: Path) -> None:
    path = tmp_path / "observability.yaml"
    names = ("deflection", "groundedness", "relevancy", "csat", "latency", "errors")
    path.write_text("score:\n  weights:\n" + "".join(f"    {name}: 0\n" for name in names), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"observability.yaml:3: `score.weights`: .*sum to more than 0, got 0"):
        load_config(Settings(home=tmp_path))
    path.write_text("costs:\n  sdr_hour_usd: -1\n  coffee_usd: 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"2 problem\(s\).*`costs.sdr_hour_usd`.*`costs.coffee_usd`"):
        load_config(Settings(home=tmp_path))


def test_an_explicitly_configured_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="observability config file not found"):
        load_config(Settings(home=tmp_path, observability_path=tmp_path / "missing.yaml"))
