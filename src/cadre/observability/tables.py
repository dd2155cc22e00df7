"""Tables the observability part owns: the event store, its spans and the packed event chunks of past days."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Float, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cadre.store.base import Base

# SQLite only auto-increments an INTEGER primary key; PostgreSQL gets a 64-bit one for a store that grows forever.
EventId = BigInteger().with_variant(Integer(), "sqlite")


class EventRow(Base):
    """One event. Turn figures are columns, not JSON, so a million of them aggregate with plain SQL."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_agent_at", "agent", "at"),
        Index("ix_events_kind_at", "kind", "at"),
        Index("ix_events_conversation_id", "conversation_id"),
        Index("ix_events_person_at", "person", "at"),  # returning users: one probe per person, not a history scan
    )

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    agent: Mapped[str] = mapped_column(String(63))
    agent_version: Mapped[int | None] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(16))  # production | pilot | shadow | evaluation
    conversation_id: Mapped[str | None] = mapped_column(String(36))
    turn_id: Mapped[str | None] = mapped_column(String(36))
    topic: Mapped[str | None] = mapped_column(String(63))
    language: Mapped[str | None] = mapped_column(String(8))
    channel: Mapped[str | None] = mapped_column(String(16))
    person: Mapped[str | None] = mapped_column(String(16))  # a digest: counts people without naming them
    outcome: Mapped[str | None] = mapped_column(String(16))
    latency_ms: Mapped[float | None] = mapped_column(Float)
    input_tokens: Mapped[int | None] = mapped_column(Integer)
    output_tokens: Mapped[int | None] = mapped_column(Integer)
    cost_usd: Mapped[float | None] = mapped_column(Float)
    value: Mapped[float | None] = mapped_column(Float)  # the kind's number: CSAT score, pipeline amount, …
    groundedness: Mapped[float | None] = mapped_column(Float)
    relevancy: Mapped[float | None] = mapped_column(Float)
    cited: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[bool] = mapped_column(Boolean, default=False)
    failover: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class SpanRow(Base):
    """One finished OpenTelemetry span of a turn, as the console's trace view reads it (attributes PII-masked)."""

    __tablename__ = "spans"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    trace_id: Mapped[str] = mapped_column(String(32), index=True)
    span_id: Mapped[str] = mapped_column(String(16))
    parent_span_id: Mapped[str | None] = mapped_column(String(16))
    turn_id: Mapped[str | None] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    duration_ms: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(8))  # ok | error | unset
    status_message: Mapped[str | None] = mapped_column(String(300))  # PII-masked, cut short
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON)
    events: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # name, offset_ms from the span's start, attributes


class EventChunkRow(Base):
    """A day's live events of one agent, topic, language and channel, packed as columns (`cadre.observability.chunks`).

    Long dashboard windows read these instead of the events: a few bytes per event, counted in memory. Missing
    dimensions are stored as '' so the key is unique on every database."""

    __tablename__ = "event_chunks"
    __table_args__ = (UniqueConstraint("day", "agent", "topic", "language", "channel"),)

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    day: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)  # its UTC midnight
    agent: Mapped[str] = mapped_column(String(63))
    topic: Mapped[str] = mapped_column(String(63))
    language: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(16))
    turns: Mapped[int] = mapped_column(Integer)
    others: Mapped[int] = mapped_column(Integer)
    turn_columns: Mapped[bytes] = mapped_column(LargeBinary)
    other_columns: Mapped[bytes] = mapped_column(LargeBinary)


class EventChunkDayRow(Base):
    """A day whose chunks are written: they hold every live event of that day up to event id `through_id`."""

    __tablename__ = "event_chunk_days"

    day: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    through_id: Mapped[int] = mapped_column(EventId)
    events: Mapped[int] = mapped_column(Integer)
    packed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
