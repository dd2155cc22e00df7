"""Suites: YAML files of cases — a conversation, who speaks and where, and what each reply must (not) do."""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cadre.yamlfile import YamlProblem, load_model

Channel = Literal["api", "web", "slack", "email"]
ANY_VALUE = "*"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExpectedAction(_Strict):
    name: str
    arguments: dict[str, Any] = Field(
        default_factory=dict, description='a subset of the arguments; values compared as text, "*" = any value'
    )


class Expect(_Strict):
    """What one reply must do; every key is optional and every given key must hold."""

    topic: str | None = None
    actions: list[ExpectedAction] | None = None
    no_actions: bool = False
    facts: list[str | list[str]] = Field(
        default_factory=list, description="each must appear in the reply; a list means any one of them"
    )
    forbidden: list[str] = Field(default_factory=list, description="none may appear in the reply")
    language: str | None = None
    handoff: bool | str | None = Field(default=None, description="true / false / the queue it goes to")
    cited: bool | None = None

    @model_validator(mode="after")
    def _actions_or_none(self) -> Expect:
        if self.no_actions and self.actions:
            raise ValueError("`no_actions` and `actions` contradict each other; keep one")
        return self


class Turn(_Strict):
    user: str = Field(min_length=1)
    expect: Expect = Field(default_factory=Expect)


class Case(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    description: str | None = None
    made_by: str | None = Field(
        default=None, description="how the case was made: written by hand, generated from an article, captured"
    )
    tags: list[str] = Field(default_factory=list)
    principal: str = "anonymous"
    person_id: str | None = None
    channel: Channel = "api"
    now: datetime | None = Field(default=None, description="the time actions see, ISO 8601 with a zone")
    turns: list[Turn] = Field(min_length=1)

    @field_validator("now")
    @classmethod
    def _zoned(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("`now` must carry a time zone, e.g. 2026-11-24T15:00:00Z")
        return value


class SampleData(_Strict):
    size: str
    seed: int


class Suite(_Strict):
    agent: str
    description: str | None = None
    sample: SampleData | None = Field(default=None, description="the sample company the cases were written against")
    cases: list[Case] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_unique(self) -> Suite:
        seen: set[str] = set()
        for case in self.cases:
            if case.id in seen:
                raise ValueError(f"case ids must be unique, {case.id!r} appears twice")
            seen.add(case.id)
        return self


class SuiteInvalid(YamlProblem):
    """A suite file does not parse or does not fit the suite schema."""


def load_suite(path: Path) -> Suite:
    return load_model(path, Suite, what="suite", error=SuiteInvalid)


def shipped_suites() -> list[dict[str, str]]:
    """The suites shipped with the sample company, one per hero agent."""
    folder = files("cadre.sample") / "suites"
    found: list[dict[str, str]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            path = Path(str(entry))
            found.append({"agent": load_suite(path).agent, "path": str(path)})
    return found
