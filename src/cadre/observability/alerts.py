"""Alert rules (YAML) on the dashboard's metrics, and their evaluation against a metric reader at a moment."""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cadre.observability.window import BadWindow, Window, parse_period
from cadre.settings import Settings
from cadre.store import Database
from cadre.yamlfile import YamlProblem, load_model, parse_model

Op = Literal[">", "<", ">=", "<="]
Severity = Literal["info", "warning", "critical"]
Channel = Literal["console", "webhook", "email"]
State = Literal["firing", "clear", "quiet"]  # quiet: too little traffic or no value to judge by
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "critical")
RULES_FILE = "alerts.yaml"
CONVERSATIONS = "conversations"
# The dashboard's metric names, used when its figures module is not importable; the module's list wins otherwise.
DASHBOARD_METRICS = (
    "escalation_rate",
    "deflection_rate",
    "abandonment_rate",
    "groundedness",
    "relevancy",
    "csat",
    "error_rate",
    "failover_rate",
    "latency_p95_ms",
    "cost_per_conversation_usd",
    "conversations",
    "score",
)
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
_ROUNDING = 1e-9
_OPS = {">": operator.gt, "<": operator.lt, ">=": operator.ge, "<=": operator.le}


class AlertRulesInvalid(YamlProblem):
    """An alert rules file does not parse or a rule is malformed; `problems` names each with its YAML path."""


class MetricReader(Protocol):
    """Where rules read their figures: one metric over one window (None when the window holds nothing to count)."""

    def value(self, metric: str, window: Window) -> float | None: ...


def known_metrics() -> tuple[str, ...]:
    try:
        from cadre.observability.figures import METRICS
    except ImportError:
        return DASHBOARD_METRICS
    return tuple(METRICS)


def event_figures(db: Database, settings: Settings | None = None) -> MetricReader:
    """The real reader: the dashboard's figures over the event store, with the installation's costs and weights."""
    from cadre.observability.config import ObservabilityConfig, load_config
    from cadre.observability.figures import EventFigures

    config = load_config(settings) if settings is not None else ObservabilityConfig()
    reader: MetricReader = EventFigures(db, config=config)
    return reader


class Remembering:
    """A reader that asks its source once per metric and window: rules of one pass share their windows (the
    conversation count of the last 24h, the CSAT of the day before), and each answer is a query over the events."""

    def __init__(self, source: MetricReader) -> None:
        self._source = source
        self._known: dict[tuple[str, Window], float | None] = {}

    def value(self, metric: str, window: Window) -> float | None:
        key = (metric, window)
        if key not in self._known:
            self._known[key] = self._source.value(metric, window)
        return self._known[key]


class AlertRule(BaseModel):
    """One rule: a metric of one agent (or of each agent) over a window, against a threshold or the window before."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Unique name; an incident belongs to one rule and one agent.")
    description: str = ""
    agent: str | None = Field(default=None, description="One agent's name; left out: every agent, each on its own.")
    metric: str
    op: Op | None = None
    threshold: float | None = None
    window: timedelta = Field(description="A period such as 15m, 1h, 24h or 7d, ending at the evaluation.")
    min_conversations: int = Field(default=0, ge=0, description="Below this many conversations the rule stays quiet.")
    compare: Literal["previous"] | None = Field(default=None, description="Compare with the preceding window.")
    drop_by: float | str | None = Field(default=None, description="A fall of at least this much (or N%).")
    rise_by: float | str | None = Field(default=None, description="A rise of at least this much (or N%).")
    severity: Severity = "warning"
    notify: list[Channel] = Field(default_factory=lambda: list[Channel](["console"]))

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(f"name must be lower-case letters, digits, '-', '_' or '.', got {value!r}")
        return value

    @field_validator("metric")
    @classmethod
    def _metric(cls, value: str) -> str:
        known = known_metrics()
        if value not in known:
            raise ValueError(f"metric must be one of {', '.join(known)}, got {value!r}")
        return value

    @field_validator("window", mode="before")
    @classmethod
    def _window(cls, value: object) -> timedelta:
        if not isinstance(value, str):
            raise ValueError(f"window must be a period such as 15m, 1h or 7d, got {value!r}")
        try:
            return parse_period(value)
        except BadWindow as exc:
            raise ValueError(str(exc)) from None

    @field_validator("drop_by", "rise_by")
    @classmethod
    def _change(cls, value: float | str | None) -> float | str | None:
        if isinstance(value, str) and not _PERCENT.match(value):
            raise ValueError(f"a change must be a positive number or a percentage such as 20%, got {value!r}")
        if value is not None and change_size(value, 1.0) <= 0:
            raise ValueError(f"a change must be above zero, got {value!r}")
        return value

    @model_validator(mode="after")
    def _conditions(self) -> AlertRule:
        if (self.op is None) != (self.threshold is None):
            raise ValueError("`op` and `threshold` go together: give both or neither")
        changes = [c for c in (self.drop_by, self.rise_by) if c is not None]
        if self.compare is None and changes:
            raise ValueError("`drop_by` and `rise_by` need `compare: previous`")
        if self.compare is not None and len(changes) != 1:
            raise ValueError(f"`compare: previous` needs exactly one of `drop_by` or `rise_by`, got {len(changes)}")
        if self.op is None and self.compare is None:
            raise ValueError("a rule needs a condition: `op` with `threshold`, or `compare: previous` with a change")
        if not self.notify:
            raise ValueError("`notify` must name at least one channel (console, webhook, email), got none")
        return self

    def condition(self) -> str:
        """The rule as a person reads it, e.g. `escalation_rate > 0.3 over 1h`."""
        period = period_text(self.window)
        parts = [f"{self.metric} {self.op} {self.threshold:g} over {period}"] if self.op is not None else []
        if self.compare is not None:
            verb, size = ("drops", self.drop_by) if self.drop_by is not None else ("rises", self.rise_by)
            parts.append(f"{self.metric} over {period} {verb} by {size} against the {period} before")
        floor = f" (at least {self.min_conversations} conversations)" if self.min_conversations else ""
        return " and ".join(parts) + floor


class AlertRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[AlertRule]

    @field_validator("rules")
    @classmethod
    def _unique(cls, rules: list[AlertRule]) -> list[AlertRule]:
        names = [rule.name for rule in rules]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"rule names must be unique, got {', '.join(twice)} more than once")
        return rules


def change_size(change: float | str, base: float) -> float:
    """`0.1` is an absolute change; `"20%"` is that share of `base` (the preceding window's value)."""
    if isinstance(change, str):
        matched = _PERCENT.match(change)
        assert matched is not None  # the rule's validator accepted it
        return abs(base) * float(matched.group(1)) / 100
    return float(change)


def period_text(period: timedelta) -> str:
    """`15m`, `1h`, `24h`, `7d`, `2w`: hours up to a day, since people say "the last 24 hours"."""
    seconds = int(period.total_seconds())
    for unit, size, smallest in (("w", 604800, 2), ("d", 86400, 2), ("h", 3600, 1)):
        if seconds % size == 0 and seconds // size >= smallest:
            return f"{seconds // size}{unit}"
    return f"{seconds // 60}m"


def default_rules_file() -> Path:
    return Path(str(files("cadre.observability") / "default_alerts.yaml"))


def rules_file(settings: Settings) -> Path:
    """`CADRE_ALERTS_PATH`, else `CADRE_HOME/alerts.yaml` when it exists, else the shipped rules."""
    if settings.alerts_path is not None:
        return settings.alerts_path
    own = settings.resolved_home / RULES_FILE
    return own if own.exists() else default_rules_file()


def load_rules(path: Path) -> list[AlertRule]:
    return load_model(path, AlertRules, what="alert rules", error=AlertRulesInvalid).rules


def parse_rules(text: str, *, origin: str = "<text>") -> list[AlertRule]:
    return parse_model(text, AlertRules, what="alert rules", origin=origin, error=AlertRulesInvalid).rules


@dataclass(frozen=True)
class Verdict:
    """What one rule says about one agent at one moment. `Firing` is a verdict whose state is `firing`."""

    rule: AlertRule
    agent: str
    window: Window
    state: State
    value: float | None
    previous: float | None
    reason: str

    @property
    def firing(self) -> bool:
        return self.state == "firing"

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule.name,
            "agent": self.agent,
            "metric": self.rule.metric,
            "severity": self.rule.severity,
            "state": self.state,
            "value": self.value,
            "previous": self.previous,
            "reason": self.reason,
            "window": self.window.to_json(),
        }


Firing = Verdict


def check(rule: AlertRule, agent: str, reader: MetricReader, now: datetime) -> Verdict:
    """Judge `rule` for `agent` over the window ending at `now`."""
    window = Window.ending(now, rule.window).narrowed(agent=agent)

    def verdict(state: State, reason: str, value: float | None = None, previous: float | None = None) -> Verdict:
        return Verdict(rule, agent, window, state, value, previous, reason)

    periods = [window, window.before()] if rule.compare else [window]
    for period in periods:
        if rule.min_conversations:
            count = reader.value(CONVERSATIONS, period) or 0
            if count < rule.min_conversations:
                return verdict(
                    "quiet",
                    f"{count:g} conversations from {_when(period)}, the rule needs at least {rule.min_conversations}",
                )
    value = reader.value(rule.metric, window)
    if value is None:
        return verdict("quiet", f"no {rule.metric} over the last {period_text(rule.window)}")
    holds, reasons = True, []
    if rule.op is not None and rule.threshold is not None:
        met = _OPS[rule.op](value, rule.threshold)
        holds &= met
        reasons.append(f"{rule.metric} is {value:.4g}, {'' if met else 'not '}{rule.op} {rule.threshold:g}")
    previous = None
    if rule.compare is not None:
        previous = reader.value(rule.metric, window.before())
        if previous is None:
            return verdict("quiet", f"no {rule.metric} in the preceding {period_text(rule.window)}", value)
        if rule.drop_by is not None:
            moved, needed, verb = previous - value, change_size(rule.drop_by, previous), "fell"
        else:
            assert rule.rise_by is not None  # the rule's validator asks for one of them
            moved, needed, verb = value - previous, change_size(rule.rise_by, previous), "rose"
        met = moved >= needed - _ROUNDING  # 0.9 - 0.8 is 0.0999…: a fall of exactly `drop_by` counts
        holds &= met
        reasons.append(
            f"{rule.metric} {verb if moved > 0 else 'moved'} from {previous:.4g} to {value:.4g} "
            f"({'at least' if met else 'less than'} {needed:.4g})"
        )
    reason = "; ".join(reasons) + f" over the last {period_text(rule.window)}"
    return verdict("firing" if holds else "clear", reason, value, previous)


def verdicts(
    rules: Iterable[AlertRule], reader: MetricReader, now: datetime, *, agents: Sequence[str] = ()
) -> list[Verdict]:
    """Every rule for its agent, or, for a rule without one, for each of `agents`."""
    found = []
    for rule in rules:
        for agent in [rule.agent] if rule.agent else agents:
            found.append(check(rule, agent, reader, now))
    return found


def evaluate(
    rules: Iterable[AlertRule], reader: MetricReader, now: datetime, *, agents: Sequence[str] = ()
) -> list[Firing]:
    """The rules whose condition holds at `now`."""
    return [found for found in verdicts(rules, reader, now, agents=agents) if found.firing]


def _when(window: Window) -> str:
    return f"{window.since:%Y-%m-%d %H:%M} to {window.until:%Y-%m-%d %H:%M}"
