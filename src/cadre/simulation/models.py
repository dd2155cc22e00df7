"""The day's types: a planned visit (who writes, where, what) and the summary of the traffic it produced."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from cadre.agents.models import Channel

LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "ja")


@dataclass(frozen=True)
class Message:
    """One customer message. A message on another channel than the visit's comes back later through that channel,
    known only by the person's unified profile: the runtime must find the conversation itself."""

    text: str
    channel: Channel | None = None  # None: the visit's channel


@dataclass(frozen=True)
class Rating:
    """The feedback a visitor gives when the conversation ends well enough to be asked."""

    csat: int
    thumbs: str
    comment: str | None = None


@dataclass(frozen=True)
class Visit:
    """One planned conversation of the day."""

    number: int
    agent: str
    kind: str  # what the visitor wants, e.g. "invoice", "human", "injection"
    language: str
    channel: Channel
    principal: str
    person_id: str | None
    messages: tuple[Message, ...]
    at: datetime  # when the visitor writes: the time actions see
    author: str  # who the feedback is from
    rating: Rating | None = None  # given unless the conversation ended with a person


@dataclass
class TrafficSummary:
    """What a simulated day left in the system of record."""

    seed: int
    planned: int
    conversations: int = 0
    turns: int = 0
    rejected: int = 0  # messages refused before a turn started (the sender still has them)
    languages: dict[str, int] = field(default_factory=dict)  # detected, per conversation
    channels: dict[str, int] = field(default_factory=dict)
    agents: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)  # per turn
    handed_off: int = 0  # conversations the runtime gave to a person
    handoffs_open: int = 0  # inbox items still waiting, with those actions open (refund approvals, qualified leads)
    continued_across_channels: int = 0
    last_message_at: str | None = None  # ISO time of the day's last message: where its figures end
    ended: dict[str, int] = field(default_factory=dict)  # conversations the quiet sweep closed: resolved, abandoned
    feedback: int = 0
    mean_csat: float | None = None
    turn_ms_p50: float | None = None
    seconds: float = 0.0
    conversation_ids: list[str] = field(default_factory=list, repr=False)

    def to_json(self) -> dict[str, Any]:
        body = asdict(self)
        body.pop("conversation_ids")
        return body
