"""The one small protocol every engine implements: a topic-scoped turn in, a reply (or a hand-off wish) out.

The runtime has already guarded the input, detected the language, routed the topic and retrieved passages;
an engine only reasons: which actions to call, what to say, how sure it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from cadre.agents.actions import Action, ActionOutcome
from cadre.agents.handoff import HandoffReason
from cadre.agents.models import AgentSpec, Topic
from cadre.knowledge.models import SearchHit

Outcome = Literal["answered", "asked", "handed_off", "refused"]


@dataclass(frozen=True)
class Passage:
    """A retrieved knowledge passage the engine may cite; `number` is how prompts and replies refer to it."""

    number: int
    hit: SearchHit
    cross_lingual: bool = False


@dataclass(frozen=True)
class ActionCall:
    name: str
    arguments: dict[str, Any]
    outcome: ActionOutcome


@dataclass(frozen=True)
class EarlierResult:
    """An action result a model read in an earlier turn of the conversation, exactly as it read it."""

    name: str
    arguments: dict[str, Any]
    content: str


@dataclass
class EngineTurn:
    """Everything an engine may use for one turn. Texts are PII-masked unless the agent allows otherwise."""

    spec: AgentSpec
    topic: Topic
    route_confidence: float
    message: str
    language: str
    history: Sequence[tuple[str, str]]  # (role, text), oldest first, this turn's message excluded
    passages: Sequence[Passage]
    actions: Mapping[str, Action]
    call_action: Callable[[str, Mapping[str, Any]], ActionCall]
    state: dict[str, Any]  # the engine's memory for this conversation; persisted after the turn
    on_text: Callable[[str], None] | None = None  # streaming: reply text as it is produced
    earlier_results: Sequence[EarlierResult] = ()  # what the model's actions returned in earlier turns


@dataclass
class EngineReply:
    text: str
    outcome: Outcome
    confidence: float  # 0..1: how sure the engine is that `text` answers the message
    cited: list[int] = field(default_factory=list)  # Passage numbers the reply relies on
    handoff_reason: HandoffReason | None = None  # the engine wants a human (e.g. "low_confidence")
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    model: str | None = None
    failed_over: bool = False  # a fallback model endpoint answered (the configured one failed)


class Engine(Protocol):
    name: str

    def run(self, turn: EngineTurn) -> EngineReply: ...
