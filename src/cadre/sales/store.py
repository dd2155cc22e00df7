"""The sales part's store: sequences, outbound messages, inbound replies, meetings and runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from cadre.sales.tables import InboundRow, MeetingRow, OutboundRow, SalesRunRow, SequenceRow
from cadre.store import Database
from cadre.store.base import aware


@dataclass(frozen=True)
class Sequence:
    lead_id: str
    status: str  # active | snoozed | stopped | booked
    stop_reason: str | None
    score: float
    reasons: list[str]
    language: str
    snoozed_until: datetime | None
    started_at: datetime


@dataclass(frozen=True)
class Outbound:
    id: int
    key: str
    lead_id: str
    kind: str
    step: int
    message_id: str
    in_reply_to: str | None
    to_addr: str
    cc: list[str]
    calendar: str | None
    subject: str
    body: str
    language: str
    facts: list[str]
    status: str
    attempts: int
    error: str | None
    sent_at: datetime | None


@dataclass(frozen=True)
class Meeting:
    uid: str
    lead_id: str
    rep_id: str
    starts_at: datetime
    ends_at: datetime
    ics: str


class SalesStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ------------------------------------------------------------------ sequences

    def sequence(self, lead_id: str) -> Sequence | None:
        with self._db.session() as session:
            row = session.get(SequenceRow, lead_id)
            return _sequence(row) if row is not None else None

    def start_sequence(self, lead_id: str, *, score: float, reasons: list[str], language: str, now: datetime) -> None:
        with self._db.session() as session:
            row = session.get(SequenceRow, lead_id)
            if row is None:
                session.add(
                    SequenceRow(
                        lead_id=lead_id,
                        status="active",
                        stop_reason=None,
                        score=score,
                        reasons=reasons,
                        language=language,
                        snoozed_until=None,
                        started_at=now,
                        updated_at=now,
                    )
                )
            else:
                row.score, row.reasons = score, reasons

    def set_status(
        self, lead_id: str, status: str, *, now: datetime, reason: str | None = None, until: datetime | None = None
    ) -> None:
        with self._db.session() as session:
            row = session.get(SequenceRow, lead_id)
            if row is None:
                row = SequenceRow(
                    lead_id=lead_id, score=0.0, reasons=[], language="en", started_at=now, stop_reason=None
                )
                session.add(row)
            row.status = status
            row.stop_reason = reason
            row.snoozed_until = until
            row.updated_at = now

    # ------------------------------------------------------------------ outbound

    def outbound(self, key: str) -> Outbound | None:
        with self._db.session() as session:
            row = session.scalar(select(OutboundRow).where(OutboundRow.key == key))
            return _outbound(row) if row is not None else None

    def queue(self, values: dict[str, Any], *, now: datetime) -> Outbound:
        """The message stored under `values["key"]`, written as pending if it is not there yet."""
        with self._db.session() as session:
            row = session.scalar(select(OutboundRow).where(OutboundRow.key == values["key"]))
            if row is None:
                values = {"cc": [], "calendar": None, **values}
                row = OutboundRow(**values, status="pending", attempts=0, error=None, created_at=now, sent_at=None)
                session.add(row)
                session.flush()
            return _outbound(row)

    def mark_sent(self, key: str, *, now: datetime) -> None:
        with self._db.session() as session:
            row = session.scalar(select(OutboundRow).where(OutboundRow.key == key))
            assert row is not None
            row.status, row.sent_at, row.error = "sent", now, None
            row.attempts += 1

    def mark_failed(self, key: str, error: str) -> None:
        with self._db.session() as session:
            row = session.scalar(select(OutboundRow).where(OutboundRow.key == key))
            assert row is not None
            row.status, row.error = "failed", error
            row.attempts += 1

    def messages_of(self, lead_id: str) -> list[Outbound]:
        with self._db.session() as session:
            rows = session.scalars(select(OutboundRow).where(OutboundRow.lead_id == lead_id).order_by(OutboundRow.id))
            return [_outbound(row) for row in rows]

    def unsent(self) -> list[Outbound]:
        """Messages the SMTP server has not accepted yet, oldest first."""
        with self._db.session() as session:
            rows = session.scalars(select(OutboundRow).where(OutboundRow.status != "sent").order_by(OutboundRow.id))
            return [_outbound(row) for row in rows]

    def lead_of_message(self, message_ids: list[str]) -> str | None:
        if not message_ids:
            return None
        with self._db.session() as session:
            found = session.scalar(select(OutboundRow.lead_id).where(OutboundRow.message_id.in_(message_ids)))
            return str(found) if found else None

    def first_touches(self) -> dict[str, datetime]:
        with self._db.session() as session:
            rows = session.execute(
                select(OutboundRow.lead_id, OutboundRow.sent_at).where(
                    OutboundRow.kind == "touch", OutboundRow.step == 0, OutboundRow.status == "sent"
                )
            ).all()
            return {str(lead): aware(sent) for lead, sent in rows if sent is not None}

    # ------------------------------------------------------------------ inbound

    def inbound(self, message_id: str) -> dict[str, Any] | None:
        with self._db.session() as session:
            row = session.scalar(select(InboundRow).where(InboundRow.message_id == message_id))
            return dict(row.outcome) if row is not None else None

    def record_inbound(self, values: dict[str, Any]) -> None:
        with self._db.session() as session:
            session.add(InboundRow(**values))

    def count_replies(self) -> int:
        with self._db.session() as session:
            return int(
                session.scalar(select(func.count()).select_from(InboundRow).where(InboundRow.lead_id.is_not(None))) or 0
            )

    # ------------------------------------------------------------------ meetings

    def meetings_of_rep(self, rep_id: str) -> list[Meeting]:
        with self._db.session() as session:
            rows = session.scalars(
                select(MeetingRow).where(MeetingRow.rep_id == rep_id, MeetingRow.status != "cancelled")
            )
            return [_meeting(row) for row in rows]

    def meeting_of_lead(self, lead_id: str) -> Meeting | None:
        with self._db.session() as session:
            row = session.scalar(
                select(MeetingRow).where(MeetingRow.lead_id == lead_id, MeetingRow.status != "cancelled")
            )
            return _meeting(row) if row is not None else None

    def add_meeting(self, meeting: Meeting, *, now: datetime) -> None:
        with self._db.session() as session:
            session.add(
                MeetingRow(
                    uid=meeting.uid,
                    lead_id=meeting.lead_id,
                    rep_id=meeting.rep_id,
                    starts_at=meeting.starts_at,
                    ends_at=meeting.ends_at,
                    status="proposed",
                    ics=meeting.ics,
                    created_at=now,
                )
            )

    def count_meetings(self) -> int:
        with self._db.session() as session:
            return int(
                session.scalar(select(func.count()).select_from(MeetingRow).where(MeetingRow.status != "cancelled"))
                or 0
            )

    # ------------------------------------------------------------------ runs

    def record_run(self, now: datetime, summary: dict[str, Any]) -> None:
        with self._db.session() as session:
            session.add(SalesRunRow(now=now, summary=summary, created_at=datetime.now(UTC)))

    def first_run_at(self) -> datetime | None:
        with self._db.session() as session:
            found = session.scalar(select(func.min(SalesRunRow.now)))
            return aware(found) if found is not None else None


def _sequence(row: SequenceRow) -> Sequence:
    return Sequence(
        lead_id=row.lead_id,
        status=row.status,
        stop_reason=row.stop_reason,
        score=row.score,
        reasons=list(row.reasons),
        language=row.language,
        snoozed_until=aware(row.snoozed_until) if row.snoozed_until else None,
        started_at=aware(row.started_at),
    )


def _outbound(row: OutboundRow) -> Outbound:
    return Outbound(
        id=row.id,
        key=row.key,
        lead_id=row.lead_id,
        kind=row.kind,
        step=row.step,
        message_id=row.message_id,
        in_reply_to=row.in_reply_to,
        to_addr=row.to_addr,
        cc=list(row.cc),
        calendar=row.calendar,
        subject=row.subject,
        body=row.body,
        language=row.language,
        facts=list(row.facts),
        status=row.status,
        attempts=row.attempts,
        error=row.error,
        sent_at=aware(row.sent_at) if row.sent_at else None,
    )


def _meeting(row: MeetingRow) -> Meeting:
    return Meeting(
        uid=row.uid,
        lead_id=row.lead_id,
        rep_id=row.rep_id,
        starts_at=aware(row.starts_at),
        ends_at=aware(row.ends_at),
        ics=row.ics,
    )
