"""Events: what happened to whom and when — turns, conversations ending, CSAT, leads, meetings, cases.

The dashboard and the alerts count events with SQL; nothing else reads them. They are append-only, carry no
personal data (a person is a short digest) and take their time from whoever records them, so a simulated or
replayed day lands on its own hours.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, get_args

from sqlalchemy import ScalarSelect, case, func, insert, select
from sqlalchemy.orm import Session

from cadre.observability.tables import EventRow
from cadre.store import Database
from cadre.store.base import aware

EventKind = Literal[
    "turn",  # one agent turn (outcome answered | asked | handed_off | refused | failed)
    "turn_scored",  # a sampled live turn measured like a suite case: groundedness, relevancy
    "conversation_handed_off",  # the agent passed the conversation to a human queue
    "conversation_resolved",  # ended with its need met: data.by = "agent" (deflected) or "human"
    "conversation_abandoned",  # the customer left while the agent still waited on them
    "csat_given",  # value = the score, 1..5
    "lead_touched",  # the SDR agent sent a lead its first touch or a follow-up
    "email_sent",  # any outbound e-mail an agent sent
    "meeting_booked",  # value = the pipeline the meeting opens, when known
    "case_opened",  # a support case an agent opened for a customer
]
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)
Stage = Literal["production", "pilot", "shadow", "evaluation"]
LIVE_STAGES: tuple[Stage, ...] = ("production", "pilot")  # what customers saw; shadow and suite turns are not


def person_digest(key: str | None) -> str | None:
    """A stable 16-hex token for a person (profile id, principal or address): unique and returning users can be
    counted without the event store holding who they are."""
    if not key:
        return None
    return hashlib.sha256(key.strip().lower().encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Event:
    kind: EventKind
    agent: str
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    agent_version: int | None = None
    stage: Stage = "production"
    conversation_id: str | None = None
    turn_id: str | None = None
    topic: str | None = None
    language: str | None = None
    channel: str | None = None
    person: str | None = None  # a `person_digest`, never the person
    outcome: str | None = None
    latency_ms: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None
    value: float | None = None
    groundedness: float | None = None
    relevancy: float | None = None
    cited: bool = False
    error: bool = False
    failover: bool = False
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"event kind must be one of {', '.join(EVENT_KINDS)}, got {self.kind!r}")
        if self.person is not None and len(self.person) != 16:
            raise ValueError(f"an event's person must be a person_digest, got {len(self.person)} characters")

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "at": self.at.isoformat()}


class EventSink(Protocol):
    """Where events go. The store writes them to the system of record; tests may keep them in memory."""

    def record(self, events: Iterable[Event]) -> None: ...


class EventStore:
    """The event store in the system of record (SQLite or PostgreSQL, same table)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, events: Iterable[Event]) -> None:
        with self._db.session() as session:
            record_in(session, events)

    def of_conversation(self, conversation_id: str) -> list[Event]:
        with self._db.session() as session:
            rows = session.scalars(
                select(EventRow).where(EventRow.conversation_id == conversation_id).order_by(EventRow.at, EventRow.id)
            ).all()
            return [_event(row) for row in rows]

    def latest(self, *, kind: EventKind | None = None, limit: int = 100) -> list[Event]:
        with self._db.session() as session:
            query = select(EventRow).order_by(EventRow.at.desc(), EventRow.id.desc()).limit(limit)
            if kind is not None:
                query = query.where(EventRow.kind == kind)
            return [_event(row) for row in session.scalars(query).all()]


RESOLVED_BY = EventRow.data["by"].as_string()  # who resolved a conversation: "agent" (deflected) or "human"


def first_live_turn_at(conversation_id: Any) -> ScalarSelect[Any]:
    """When the conversation (the given column) had its first live turn: a correlated lookup through the
    conversation index, one per row it is asked for, never a scan of the history. The kind is tested inside the
    aggregate, not in WHERE, so no planner walks the kind index instead."""
    turns = EventRow.__table__.alias("first_turns")
    return (
        select(func.min(case((turns.c.kind == "turn", turns.c.at))))
        .where(turns.c.conversation_id == conversation_id, turns.c.stage.in_(LIVE_STAGES))
        .scalar_subquery()
    )


def record_in(session: Session, events: Iterable[Event]) -> None:
    """Write events inside a transaction the caller holds, so they are stored with what they report or not at all."""
    rows = [_row(event) for event in events]
    if rows:
        session.execute(insert(EventRow), rows)


class MemoryEvents:
    """Events kept in a list: for tests and for code that runs without a store."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def record(self, events: Iterable[Event]) -> None:
        self.events.extend(events)

    def of_kind(self, kind: EventKind) -> list[Event]:
        return [event for event in self.events if event.kind == kind]


def _row(event: Event) -> dict[str, Any]:
    row = asdict(event)
    row["at"] = aware(event.at).astimezone(UTC)
    return row


def _event(row: EventRow) -> Event:
    values = {name: getattr(row, name) for name in Event.__dataclass_fields__}
    values["at"] = aware(row.at)
    return Event(**values)
