"""The portfolio's domain types: lifecycle stages, KPIs, registry entries, and the intake proposal of a use case."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cadre.errors import CadreError
from cadre.yamlfile import YamlProblem

Stage = Literal["proposed", "building", "pilot", "hero", "retired"]
STAGES: tuple[Stage, ...] = get_args(Stage)
ACTIVE: tuple[Stage, ...] = ("proposed", "building", "pilot", "hero")  # listed by default; retired ones are not
LIVE: tuple[Stage, ...] = ("pilot", "hero")  # customers talk to it: adoption can be measured

NAME = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")  # the same names agents take, so a proposal can become one


class PortfolioError(CadreError):
    """A portfolio change that cannot be made."""


class StageRefused(PortfolioError):
    """A stage change its gate does not allow (a hero without a passing promotion, a pilot never deployed)."""


class UnknownEntry(PortfolioError):
    """No agent or proposal of that name is in the portfolio."""


class ProposalInvalid(YamlProblem):
    """An intake proposal does not parse or does not fit its schema."""


def parse_stage(value: str) -> Stage:
    if value not in STAGES:
        raise PortfolioError(f"stage must be one of {', '.join(STAGES)}, got {value!r}")
    return value


@dataclass(frozen=True)
class Kpi:
    """A number the agent is meant to move: its target, and where it stands now (None: not measured yet)."""

    name: str
    target: float
    current: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "target": self.target, "current": self.current}


def parse_kpi(text: str) -> Kpi:
    """`name=target` or `name=target@current`, as typed on the command line (`deflection=0.6@0.42`)."""
    name, sep, figures = text.partition("=")
    target, at, current = figures.partition("@")
    try:
        if not sep or not name.strip():
            raise ValueError(text)
        return Kpi(name.strip(), float(target), float(current) if at else None)
    except ValueError:
        raise PortfolioError(f"a KPI must be name=target or name=target@current, got {text!r}") from None


@dataclass(frozen=True)
class StageChange:
    """One recorded move between stages: who made it, when, why, and the gate evidence it passed."""

    name: str
    from_stage: Stage | None
    to_stage: Stage
    by: str
    why: str
    at: datetime
    evidence: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "from": self.from_stage,
            "to": self.to_stage,
            "by": self.by,
            "why": self.why,
            "at": self.at.isoformat(),
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Entry:
    """One agent or proposed use case in the portfolio. `recorded` False: a deployed agent nobody registered yet,
    shown with the stage its deployment implies."""

    name: str
    stage: Stage
    deployed: bool
    recorded: bool
    owner: str | None = None
    problem: str | None = None
    kpis: tuple[Kpi, ...] = ()
    proposal: dict[str, Any] | None = None  # the intake proposal, as validated
    assessment: dict[str, Any] | None = None  # its intake scores (see `cadre.portfolio.intake`)
    version: int | None = None  # the latest deployed version
    updated_at: datetime | None = None

    @property
    def overall(self) -> float | None:
        return self.assessment["overall"] if self.assessment else None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "stage": self.stage,
            "deployed": self.deployed,
            "recorded": self.recorded,
            "version": self.version,
            "owner": self.owner,
            "problem": self.problem,
            "kpis": [k.to_json() for k in self.kpis],
            "scores": _scores(self.assessment),
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }


def _scores(assessment: dict[str, Any] | None) -> dict[str, Any] | None:
    if assessment is None:
        return None
    return {key: assessment[key] for key in ("impact", "feasibility", "roi", "overall")}


# ---------------------------------------------------------------- the intake proposal (YAML, a boundary)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DataNeed(_Strict):
    """A catalog entity the use case reads, and the fields it needs (none listed: the entity itself)."""

    entity: str = Field(min_length=1)
    fields: list[str] = Field(default_factory=list)


class ProposedTopic(_Strict):
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    examples: list[str] = Field(default_factory=list)


class ProposedAction(_Strict):
    """An action the use case calls: a registered one by its name, or a new one to build; `writes` names the
    catalog entities it changes."""

    name: str = Field(min_length=1)
    description: str = ""
    writes: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        # A bare name is shorthand for `{name: …}`.
        return {"name": value} if isinstance(value, str) else value


class ProposedKpi(_Strict):
    name: str = Field(min_length=1)
    target: float


class Proposal(_Strict):
    """A use case put forward before anything is built: what it solves, what it is worth, what it needs."""

    name: str
    owner: str = Field(min_length=1)
    problem: str = Field(min_length=1, description="The business problem, in the owner's words.")
    volume_per_year: int = Field(ge=0, description="Contacts (conversations, leads, requests) a year it would take.")
    handle_minutes: float | None = Field(default=None, gt=0, description="A person's time on one contact today.")
    hourly_cost: float | None = Field(default=None, gt=0, description="What an hour of that person costs.")
    cost_per_contact: float | None = Field(
        default=None, ge=0, description="What one human-handled contact costs (instead of minutes x hourly cost)."
    )
    expected_deflection: float = Field(ge=0, le=1, description="Share of contacts the agent would finish alone.")
    cost_per_conversation: float | None = Field(
        default=None, ge=0, description="The agent's cost per conversation (model, tools); default: the intake's."
    )
    yearly_cost: float | None = Field(
        default=None, ge=0, description="Fixed yearly cost of running it (infrastructure, upkeep); default: intake's."
    )
    data: list[DataNeed] = Field(default_factory=list)
    topics: list[ProposedTopic] = Field(default_factory=list)
    actions: list[ProposedAction] = Field(default_factory=list)
    kpis: list[ProposedKpi] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError(f"a name must be lowercase letters, digits, `-` or `_`, from a letter, got {value!r}")
        return value

    @model_validator(mode="after")
    def _human_cost(self) -> Proposal:
        if self.cost_per_contact is None and (self.handle_minutes is None or self.hourly_cost is None):
            raise ValueError("the human cost must be `cost_per_contact`, or both `handle_minutes` and `hourly_cost`")
        return self

    @property
    def human_cost_per_contact(self) -> float:
        if self.cost_per_contact is not None:
            return self.cost_per_contact
        assert self.handle_minutes is not None and self.hourly_cost is not None  # the validator above
        return self.handle_minutes / 60 * self.hourly_cost


@dataclass(frozen=True)
class ProfileTopic:
    """A topic as overlap detection compares it: its name, description and examples."""

    name: str
    description: str
    examples: tuple[str, ...] = ()

    @property
    def texts(self) -> list[str]:
        return [self.name.replace("_", " ").replace("-", " "), self.description, *self.examples]


@dataclass(frozen=True)
class Profile:
    """What an agent or proposal does, as far as overlap goes: its topics, the actions it calls, what it writes."""

    name: str
    stage: Stage
    topics: tuple[ProfileTopic, ...]
    actions: frozenset[str] = frozenset()
    writes: frozenset[str] = frozenset()
    since: datetime | None = None  # when it first appeared (deployed or proposed): the original before its copy
