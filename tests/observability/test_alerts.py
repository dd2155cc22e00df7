"""Alert rules: the YAML they are written in (each problem named by its path and line), the shipped rules, and
their evaluation against a reader of hand-set figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadre.observability.alerts import (
    AlertRulesInvalid,
    default_rules_file,
    evaluate,
    load_rules,
    parse_rules,
    period_text,
    rules_file,
    verdicts,
)
from cadre.observability.window import Window, parse_period
from cadre.settings import Settings

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@dataclass
class Figures:
    """A metric reader of set figures: `now` for the window ending at NOW, `before` for any earlier window."""

    now: dict[tuple[str, str], float] = field(default_factory=dict)
    before: dict[tuple[str, str], float] = field(default_factory=dict)
    asked: list[tuple[str, Window]] = field(default_factory=list)

    def value(self, metric: str, window: Window) -> float | None:
        self.asked.append((metric, window))
        figures = self.now if window.until == NOW else self.before
        return figures.get((window.agent or "", metric))


ESCALATION = """
rules:
  - name: escalation
    agent: service
    metric: escalation_rate
    op: ">"
    threshold: 0.3
    window: 1h
"""


def test_the_shipped_rules_parse_and_watch_the_hero_metrics() -> None:
    rules = load_rules(default_rules_file())
    metrics = {rule.metric for rule in rules}
    assert {"escalation_rate", "groundedness", "csat", "error_rate", "cost_per_conversation_usd"} <= metrics
    groundedness = next(rule for rule in rules if rule.metric == "groundedness")
    assert groundedness.compare == "previous"
    assert groundedness.condition() == (
        "groundedness over 24h drops by 0.1 against the 24h before (at least 20 conversations)"
    )


def test_the_rules_in_force_are_the_setting_then_the_homes_file_then_the_shipped_ones(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert rules_file(Settings(home=home)) == default_rules_file()
    home.mkdir()
    (home / "alerts.yaml").write_text(ESCALATION, encoding="utf-8")
    assert rules_file(Settings(home=home)) == home.resolve() / "alerts.yaml"
    elsewhere = tmp_path / "mine.yaml"
    assert rules_file(Settings(home=home, alerts_path=elsewhere)) == elsewhere


def test_every_problem_is_reported_with_its_yaml_path_and_line() -> None:
    text = """\
rules:
  - name: fine
    metric: csat
    op: "<"
    threshold: 3.5
    window: 24h
  - name: Bad Name
    metric: happiness
    op: "<"
    threshold: 3
    window: 3 days
  - name: half
    metric: csat
    op: "<"
    window: 1h
  - name: lonely-change
    metric: groundedness
    window: 1h
    drop_by: 0.1
    colour: red
  - name: fine
    metric: csat
    window: 1h
    compare: previous
    drop_by: -5%
"""
    with pytest.raises(AlertRulesInvalid) as raised:
        parse_rules(text, origin="alerts.yaml")
    problems = raised.value.problems
    assert any(p.startswith("alerts.yaml:7: `rules.1.name`") and "'Bad Name'" in p for p in problems)
    assert any(p.startswith("alerts.yaml:8: `rules.1.metric`") and "'happiness'" in p for p in problems)
    assert any(p.startswith("alerts.yaml:11: `rules.1.window`") and "'3 days'" in p for p in problems)
    assert any("`rules.2`" in p and "`op` and `threshold` go together" in p for p in problems)
    assert any("`rules.3.colour`" in p for p in problems)
    assert any("`rules.4.drop_by`" in p and "'-5%'" in p for p in problems)


def test_a_change_needs_compare_and_rule_names_are_unique() -> None:
    with pytest.raises(AlertRulesInvalid, match="`drop_by` and `rise_by` need `compare: previous`"):
        parse_rules("rules:\n  - {name: a, metric: csat, window: 1h, drop_by: 0.5}\n")
    with pytest.raises(AlertRulesInvalid, match="needs exactly one of `drop_by` or `rise_by`, got 2"):
        parse_rules("rules:\n  - {name: a, metric: csat, window: 1h, compare: previous, drop_by: 1, rise_by: 1}\n")
    with pytest.raises(AlertRulesInvalid, match="a rule needs a condition"):
        parse_rules("rules:\n  - {name: a, metric: csat, window: 1h}\n")
    twice = "rules:\n  - {name: a, metric: csat, op: '<', threshold: 3, window: 1h}\n" * 1
    twice += "  - {name: a, metric: csat, op: '<', threshold: 2, window: 1h}\n"
    with pytest.raises(AlertRulesInvalid, match="rule names must be unique, got a more than once"):
        parse_rules(twice)


@given(st.integers(min_value=1, max_value=5000), st.sampled_from(["m", "h", "d", "w"]))
def test_a_period_reads_back_as_the_same_duration(amount: int, unit: str) -> None:
    period = parse_period(f"{amount}{unit}")
    assert parse_period(period_text(period)) == period


def test_a_rule_fires_over_its_threshold_and_not_under_it() -> None:
    rules = parse_rules(ESCALATION)
    fired = evaluate(rules, Figures(now={("service", "escalation_rate"): 0.42}), NOW)
    assert [(f.rule.name, f.agent, f.value) for f in fired] == [("escalation", "service", 0.42)]
    assert fired[0].window == Window(NOW - timedelta(hours=1), NOW, agent="service")
    assert fired[0].reason == "escalation_rate is 0.42, > 0.3 over the last 1h"
    assert evaluate(rules, Figures(now={("service", "escalation_rate"): 0.3}), NOW) == []


def test_a_rule_without_enough_conversations_stays_quiet() -> None:
    rules = parse_rules(ESCALATION.replace("window: 1h", "window: 1h\n    min_conversations: 20"))
    few = Figures(now={("service", "escalation_rate"): 0.9, ("service", "conversations"): 4})
    [verdict] = verdicts(rules, few, NOW)
    assert (verdict.state, verdict.firing) == ("quiet", False)
    assert "4 conversations" in verdict.reason and "at least 20" in verdict.reason
    enough = Figures(now={("service", "escalation_rate"): 0.9, ("service", "conversations"): 20})
    assert [v.state for v in verdicts(rules, enough, NOW)] == ["firing"]


def test_no_figure_is_quiet_not_clear() -> None:
    [verdict] = verdicts(parse_rules(ESCALATION), Figures(), NOW)
    assert verdict.state == "quiet"


def test_a_drop_is_measured_against_the_window_before() -> None:
    rules = parse_rules(
        "rules:\n  - {name: g, agent: service, metric: groundedness, window: 24h, compare: previous, drop_by: 0.1}\n"
    )
    dropped = Figures(now={("service", "groundedness"): 0.72}, before={("service", "groundedness"): 0.9})
    [fired] = evaluate(rules, dropped, NOW)
    assert (fired.value, fired.previous) == (0.72, 0.9)
    assert "fell from 0.9 to 0.72" in fired.reason
    earlier = [w for metric, w in dropped.asked if w.until != NOW]
    assert earlier == [Window(NOW - timedelta(hours=48), NOW - timedelta(hours=24), agent="service")]
    exactly = Figures(now={("service", "groundedness"): 0.8}, before={("service", "groundedness"): 0.9})
    assert [v.state for v in verdicts(rules, exactly, NOW)] == ["firing"]
    slight = Figures(now={("service", "groundedness"): 0.85}, before={("service", "groundedness"): 0.9})
    assert [v.state for v in verdicts(rules, slight, NOW)] == ["clear"]
    risen = Figures(now={("service", "groundedness"): 0.95}, before={("service", "groundedness"): 0.7})
    assert evaluate(rules, risen, NOW) == []


def test_a_percentage_change_is_a_share_of_the_window_before_and_a_rise_fires_upward() -> None:
    rules = parse_rules(
        """
rules:
  - {name: csat, agent: a, metric: csat, window: 24h, compare: previous, drop_by: 10%}
  - {name: cost, agent: a, metric: cost_per_conversation_usd, window: 24h, compare: previous, rise_by: 50%}
"""
    )
    figures = Figures(
        now={("a", "csat"): 4.1, ("a", "cost_per_conversation_usd"): 0.16},
        before={("a", "csat"): 4.6, ("a", "cost_per_conversation_usd"): 0.10},
    )
    assert [f.rule.name for f in evaluate(rules, figures, NOW)] == ["csat", "cost"]
    figures.now[("a", "csat")] = 4.2  # a fall of 0.4, under 10% of 4.6
    figures.now[("a", "cost_per_conversation_usd")] = 0.14  # a rise of 40%
    assert evaluate(rules, figures, NOW) == []


def test_a_threshold_and_a_drop_together_must_both_hold() -> None:
    rules = parse_rules(
        "rules:\n  - {name: c, agent: a, metric: csat, op: '<', threshold: 3.5, window: 24h, "
        "compare: previous, drop_by: 0.5}\n"
    )
    low_but_steady = Figures(now={("a", "csat"): 3.2}, before={("a", "csat"): 3.3})
    assert [v.state for v in verdicts(rules, low_but_steady, NOW)] == ["clear"]
    low_and_falling = Figures(now={("a", "csat"): 3.2}, before={("a", "csat"): 4.0})
    assert len(evaluate(rules, low_and_falling, NOW)) == 1


def test_a_rule_for_every_agent_judges_each_agent_on_its_own() -> None:
    rules = parse_rules("rules:\n  - {name: errors, metric: error_rate, op: '>', threshold: 0.05, window: 15m}\n")
    figures = Figures(now={("service", "error_rate"): 0.2, ("concierge", "error_rate"): 0.01})
    found = verdicts(rules, figures, NOW, agents=["concierge", "service"])
    assert [(v.agent, v.state) for v in found] == [("concierge", "clear"), ("service", "firing")]
    assert verdicts(rules, figures, NOW) == []  # nobody to watch
