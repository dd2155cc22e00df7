"""Reading stored conversations without opening them for a turn: one record, search with filters, counts.

The console and the API both show conversations; the queries live here, beside the tables they read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select

from cadre.agents.conversations import UnknownConversation
from cadre.agents.store import ConversationRow, HandoffRow, MessageRow, TurnRow
from cadre.store import Database
from cadre.store.base import aware

SNIPPET_CHARS = 120


@dataclass(frozen=True)
class ConversationFilters:
    q: str = ""  # text anywhere in the conversation's messages, or the conversation's id
    agent: str = ""
    language: str = ""
    topic: str = ""
    outcome: str = ""
    channel: str = ""
    status: str = ""

    def active(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


@dataclass(frozen=True)
class ConversationRecord:
    id: str
    agent: str
    agent_version: int
    channel: str
    principal: str
    person_id: str | None
    language: str | None
    status: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ConversationSummary:
    id: str
    agent: str
    agent_version: int
    channel: str
    language: str | None
    status: str
    person_id: str | None
    created_at: datetime
    updated_at: datetime
    messages: int
    opening: str  # the customer's first message, shortened
    topics: list[str] = field(default_factory=list)
    outcome: str | None = None  # of the latest finished turn


@dataclass(frozen=True)
class ConversationPage:
    rows: list[ConversationSummary]
    total: int
    offset: int
    limit: int


def _conditions(filters: ConversationFilters) -> list[ColumnElement[bool]]:
    # A shadow version's conversations and a suite's cases were never seen by a customer: they are measured by their
    # stage (`cadre agents stages`) or their run (the test centre), not listed, searched, charted or sampled with
    # the real ones.
    conditions: list[ColumnElement[bool]] = [
        ConversationRow.state["shadow_of"].as_string().is_(None),
        ConversationRow.state["evaluation"].as_string().is_(None),
    ]
    for name in ("agent", "language", "channel", "status"):
        value = getattr(filters, name)
        if value:
            conditions.append(getattr(ConversationRow, name) == value)
    for name in ("topic", "outcome"):  # a conversation has the topic (outcome) if any of its turns has it
        value = getattr(filters, name)
        if value:
            conditions.append(
                exists().where(TurnRow.conversation_id == ConversationRow.id, getattr(TurnRow, name) == value)
            )
    if filters.q.strip():
        needle = filters.q.strip().lower()
        conditions.append(
            or_(
                exists().where(
                    MessageRow.conversation_id == ConversationRow.id,
                    func.lower(MessageRow.text).contains(needle, autoescape=True),
                ),
                ConversationRow.id == filters.q.strip(),
            )
        )
    return conditions


def _matching(filters: ConversationFilters) -> Select[Any]:
    return select(ConversationRow.id).where(*_conditions(filters))


def search(db: Database, filters: ConversationFilters, *, limit: int, offset: int) -> ConversationPage:
    """One page of the conversations matching `filters`, most recently active first."""
    with db.session() as session:
        total = session.scalar(select(func.count()).select_from(_matching(filters).subquery())) or 0
        rows = session.scalars(
            select(ConversationRow)
            .where(*_conditions(filters))
            .order_by(ConversationRow.updated_at.desc(), ConversationRow.id)
            .limit(limit)
            .offset(offset)
        ).all()
        ids = [row.id for row in rows]
        counts = dict(
            session.execute(
                select(MessageRow.conversation_id, func.count())
                .where(MessageRow.conversation_id.in_(ids))
                .group_by(MessageRow.conversation_id)
            ).all()
        )
        first_seq = (
            select(MessageRow.conversation_id, func.min(MessageRow.seq).label("seq"))
            .where(MessageRow.conversation_id.in_(ids), MessageRow.role == "customer")
            .group_by(MessageRow.conversation_id)
            .subquery()
        )
        openings = dict(
            session.execute(
                select(MessageRow.conversation_id, MessageRow.text).join(
                    first_seq,
                    (MessageRow.conversation_id == first_seq.c.conversation_id) & (MessageRow.seq == first_seq.c.seq),
                )
            ).all()
        )
        topics: dict[str, list[str]] = {}
        outcomes: dict[str, str] = {}
        for conversation_id, topic, outcome in session.execute(
            select(TurnRow.conversation_id, TurnRow.topic, TurnRow.outcome)
            .where(TurnRow.conversation_id.in_(ids))
            .order_by(TurnRow.conversation_id, TurnRow.started_at)
        ).all():
            if topic and topic not in topics.setdefault(conversation_id, []):
                topics[conversation_id].append(str(topic))
            if outcome:
                outcomes[conversation_id] = str(outcome)
    summaries = [
        ConversationSummary(
            id=row.id,
            agent=row.agent,
            agent_version=row.agent_version,
            channel=row.channel,
            language=row.language,
            status=row.status,
            person_id=row.person_id,
            created_at=aware(row.created_at),
            updated_at=aware(row.updated_at),
            messages=int(counts.get(row.id, 0)),
            opening=_shorten(openings.get(row.id, "")),
            topics=topics.get(row.id, []),
            outcome=outcomes.get(row.id),
        )
        for row in rows
    ]
    return ConversationPage(summaries, int(total), offset, limit)


def outcomes_by_language(db: Database, filters: ConversationFilters) -> dict[str, dict[str, int]]:
    """Completed turns of the matching conversations, counted by outcome then language (for the chart)."""
    with db.session() as session:
        rows = session.execute(
            select(TurnRow.outcome, TurnRow.language, func.count())
            .where(TurnRow.status == "completed", TurnRow.conversation_id.in_(_matching(filters)))
            .group_by(TurnRow.outcome, TurnRow.language)
        ).all()
    counted: dict[str, dict[str, int]] = {}
    for outcome, language, count in rows:
        counted.setdefault(outcome or "unknown", {})[language or "unknown"] = int(count)
    return counted


def filter_choices(db: Database) -> dict[str, list[str]]:
    """The values each filter can take, from what is stored."""
    with db.session() as session:

        def values(column: Any) -> list[str]:
            return sorted(v for v in session.scalars(select(column).distinct()) if v)

        return {
            "agent": values(ConversationRow.agent),
            "language": values(ConversationRow.language),
            "topic": values(TurnRow.topic),
            "outcome": values(TurnRow.outcome),
            "channel": values(ConversationRow.channel),
            "status": values(ConversationRow.status),
        }


def conversations_since(db: Database, since: datetime) -> int:
    with db.session() as session:
        return (
            session.scalar(
                select(func.count()).where(ConversationRow.created_at >= since, *_conditions(ConversationFilters()))
            )
            or 0
        )


def conversation(db: Database, conversation_id: str) -> ConversationRow | None:
    with db.session() as session:
        return session.get(ConversationRow, conversation_id)


def conversation_record(db: Database, conversation_id: str) -> ConversationRecord:
    """One conversation as stored, without opening it for a turn."""
    row = conversation(db, conversation_id)
    if row is None:
        raise UnknownConversation(f"no conversation {conversation_id!r}")
    return ConversationRecord(
        id=row.id,
        agent=row.agent,
        agent_version=row.agent_version,
        channel=row.channel,
        principal=row.principal,
        person_id=row.person_id,
        language=row.language,
        status=row.status,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


def turns(db: Database, conversation_id: str) -> dict[str, TurnRow]:
    """The conversation's turns by id, so each message shows what its turn did."""
    with db.session() as session:
        rows = session.scalars(select(TurnRow).where(TurnRow.conversation_id == conversation_id)).all()
    return {row.id: row for row in rows}


def handoffs(db: Database, conversation_id: str) -> list[int]:
    """Ids of the conversation's hand-offs, newest first (the inbox reads each)."""
    with db.session() as session:
        return list(
            session.scalars(
                select(HandoffRow.id)
                .where(HandoffRow.conversation_id == conversation_id)
                .order_by(HandoffRow.id.desc())
            )
        )


def _shorten(text: str) -> str:
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"
