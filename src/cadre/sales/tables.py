"""Tables the sales part owns: runs, lead sequences, outbound messages, inbound replies and meetings.

An outbound message is keyed by what it is for (`L000010:touch:0`, `L000010:reply:<message-id>`), so a second
run at the same instant finds the row and sends nothing twice; `status` turns `sent` only after the SMTP server
accepted the message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cadre.store.base import Base


class SalesRunRow(Base):
    __tablename__ = "sales_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    now: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)  # the instant the run acted at
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SequenceRow(Base):
    __tablename__ = "sales_sequences"

    lead_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # active | snoozed | stopped | booked
    stop_reason: Mapped[str | None] = mapped_column(String(32))  # replied | bounced | unsubscribed | …
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(8))
    snoozed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboundRow(Base):
    __tablename__ = "sales_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    lead_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # touch | answer | invite | ask_contact | confirm
    step: Mapped[int] = mapped_column(Integer)  # cadence step of a touch (0 = first touch); 0 otherwise
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(255))
    to_addr: Mapped[str] = mapped_column(String(320))
    cc: Mapped[list[str]] = mapped_column(JSON)  # e.g. the rep, on an invitation
    calendar: Mapped[str | None] = mapped_column(Text)  # the iCalendar REQUEST an invitation carries
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    facts: Mapped[list[str]] = mapped_column(JSON)  # the profile facts the text was built from
    status: Mapped[str] = mapped_column(String(16))  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InboundRow(Base):
    __tablename__ = "sales_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    lead_id: Mapped[str | None] = mapped_column(String(64), index=True)
    sender: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)  # the message as received, so nothing is lost whatever happens next
    status: Mapped[str] = mapped_column(String(16))  # handled | unmatched | malformed | unsupported
    classification: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(8))
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MeetingRow(Base):
    __tablename__ = "sales_meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(255), unique=True)
    lead_id: Mapped[str] = mapped_column(String(64), index=True)
    rep_id: Mapped[str] = mapped_column(String(64), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16))  # proposed | cancelled
    ics: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
