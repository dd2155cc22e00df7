"""The agent spec: what an agent is for, what it may do and say, and when it hands a conversation to a human."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from cadre.guardrails._pii_types import IdentifyingPiiType

Language = Literal["en", "es", "fr", "de", "it", "pt", "ja"]
LANGUAGES: tuple[Language, ...] = ("en", "es", "fr", "de", "it", "pt", "ja")
Channel = Literal["api", "web", "slack", "email"]
EngineName = Literal["offline", "openai", "scripted"]
# The personal data masked by default (cadre.guardrails.pii.DEFAULT_MASKED); an agent may let its model see some.
PiiVisibility = IdentifyingPiiType

NAME = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")


def _check_name(value: str, what: str) -> str:
    if not NAME.match(value):
        raise ValueError(f"{what} must be lowercase letters, digits, `-` or `_`, starting with a letter, got {value!r}")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Topic(_Strict):
    """One thing the agent handles: how to recognise it, how to handle it, and with which actions and knowledge."""

    name: str
    description: str = Field(min_length=1, description="What the topic covers; routing reads it.")
    examples: list[str] = Field(default_factory=list, description="Customer messages that belong to the topic.")
    instructions: str = Field(default="", description="How the agent handles the topic.")
    actions: list[str] = Field(default_factory=list, description="Registered actions the topic may call.")
    knowledge: list[str] | None = Field(
        default=None, description="Knowledge collections to search; default: the agent's `knowledge`."
    )
    handoff: bool = Field(default=False, description="Route straight to a human (e.g. 'talk to a person').")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _check_name(value, "a topic name")

    @field_validator("actions")
    @classmethod
    def _actions_registered(cls, value: list[str], info: ValidationInfo) -> list[str]:
        known = (info.context or {}).get("actions")
        if known is not None:
            unknown = [name for name in value if name not in known]
            if unknown:
                listed = ", ".join(sorted(known)) or "none"
                raise ValueError(f"unknown action(s) {', '.join(map(repr, unknown))}; registered: {listed}")
        return value


class DataScope(_Strict):
    """The purpose the agent reads data under (policies grant reads per purpose) and the entities it needs."""

    purpose: str = Field(min_length=1)
    entities: list[str] = Field(default_factory=list)


class ModelProfile(_Strict):
    model: str | None = Field(default=None, description="Overrides `CADRE_LLM_MODEL` for this agent.")
    temperature: float = Field(default=0.2, ge=0, le=2)
    max_steps: int = Field(default=6, ge=1, le=20, description="Model calls per turn at most.")
    time_budget_s: float = Field(default=30.0, gt=0, le=300, description="Wall time per turn at most.")


class Guardrails(_Strict):
    max_input_chars: int = Field(default=4000, ge=1, le=100_000)
    injection_threshold: float = Field(default=0.5, gt=0, le=1)
    mask_pii: bool = Field(
        default=True,
        description="Mask PII before any model sees it. When false the model reads the conversation as written; "
        "its action results are still screened for instructions and its replies checked for grounding and scope.",
    )
    pii_visible_to_model: list[PiiVisibility] = Field(
        default_factory=list, description="PII types the model may see unmasked."
    )
    grounding: Literal["revise", "handoff", "off"] = Field(
        default="revise", description="What to do with a knowledge answer a cited passage does not support."
    )
    forbidden: list[str] = Field(
        default_factory=list,
        description="Phrases the agent must never say (any case): sentences containing one are dropped; "
        "a reply with nothing left goes to a human.",
    )

    @field_validator("grounding", mode="before")
    @classmethod
    def _yaml_off(cls, value: Any) -> Any:
        # YAML 1.1 reads a bare `off` as false; that is what the writer meant.
        return "off" if value is False else value


class Escalation(_Strict):
    """When a conversation goes to a human, and to which queue."""

    queue: str = "support"
    on_human_request: bool = True
    low_confidence: float = Field(default=0.35, ge=0, le=1, description="Routing/answer confidence below this is low.")
    low_confidence_turns: int = Field(default=2, ge=1, description="Consecutive low-confidence turns before hand-off.")
    max_action_failures: int = Field(default=2, ge=1)
    on_negative_sentiment: bool = True
    on_policy_block: bool = True


class Gates(_Strict):
    """What a version must show on its gate suite before `cadre agents promote` makes it production."""

    suite: str = Field(min_length=1, description="A suite file, or the name of a shipped suite (`cadre eval suites`).")
    task_success: float | None = Field(default=None, ge=0, le=1, description="Task success at least this.")
    forbidden_violations: int | None = Field(
        default=0, ge=0, description="Forbidden-phrase violations at most this many (null: not gated)."
    )
    latency_p95_ms: float | None = Field(default=None, gt=0, description="95th-percentile turn latency at most this.")
    max_regression: float | None = Field(
        default=None, ge=0, le=1, description="No score may fall more than this below the production version's."
    )


class StageScope(_Strict):
    """What a version may do while in one rollout stage."""

    topics: list[str] | None = Field(
        default=None, description="Topics enabled in the stage; others go to a human (default: all)."
    )


class Stages(_Strict):
    pilot: StageScope = Field(default_factory=StageScope)


class AgentSpec(_Strict):
    """An agent, as written by its builder in YAML; deployed versions are immutable copies of it."""

    name: str
    description: str = Field(min_length=1)
    role: str = Field(min_length=1, description="Who the agent is and how it behaves (its system instructions).")
    languages: list[Language] = Field(default_factory=lambda: list(LANGUAGES), min_length=1)
    default_language: Language = "en"
    channels: list[Channel] = Field(default_factory=lambda: list[Channel](["api"]), min_length=1)
    engine: EngineName = "offline"
    model: ModelProfile = Field(default_factory=ModelProfile)
    data: DataScope | None = None
    knowledge: list[str] = Field(default_factory=list, description="Default knowledge collections of every topic.")
    topics: list[Topic] = Field(min_length=1)
    guardrails: Guardrails = Field(default_factory=Guardrails)
    escalation: Escalation = Field(default_factory=Escalation)
    gates: Gates | None = Field(default=None, description="Promotion gates (`cadre agents promote`).")
    stages: Stages | None = Field(default=None, description="What the version may do per rollout stage.")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _check_name(value, "an agent name")

    @model_validator(mode="after")
    def _consistent(self) -> AgentSpec:
        names = [topic.name for topic in self.topics]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"topic names must be unique, repeated: {', '.join(repeated)}")
        if self.default_language not in self.languages:
            raise ValueError(
                f"`default_language` must be one of `languages` {self.languages}, got {self.default_language!r}"
            )
        enabled = self.stages.pilot.topics if self.stages else None
        unknown = sorted(set(enabled or []) - set(names))
        if unknown:
            raise ValueError(f"`stages.pilot.topics` must name topics of the agent {names}, got {unknown}")
        return self

    @model_serializer(mode="wrap")
    def _without_unset_rollout(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Versions deployed before gates and stages existed keep their digest: an unchanged spec redeploys as nothing.
        data: dict[str, Any] = handler(self)
        for key in ("gates", "stages"):
            if data.get(key) is None:
                data.pop(key, None)
        return data

    def topic(self, name: str) -> Topic:
        for topic in self.topics:
            if topic.name == name:
                return topic
        raise KeyError(name)

    @property
    def purpose(self) -> str:
        """The purpose the agent's reads are made under (policies grant reads per purpose)."""
        return self.data.purpose if self.data else "support"

    def collections_of(self, topic: Topic) -> list[str]:
        return topic.knowledge if topic.knowledge is not None else self.knowledge


def json_schema() -> dict[str, Any]:
    """The JSON Schema editors and CI can validate agent YAML against (shipped as `agent-spec.schema.json`)."""
    schema = AgentSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
