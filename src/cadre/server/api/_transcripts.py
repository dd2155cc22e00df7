"""Reads of stored conversations the conversation store does not offer yet: one conversation's record, and search.

The conversation store (`cadre.agents.conversations`) opens conversations for turns; the API also needs to show one
without opening it and to find conversations by agent, language, topic, outcome, channel, status and words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select

from cadre.agents.conversations import UnknownConversation
from cadre.agents.store import ConversationRow, MessageRow, TurnRow
from cadre.store import Database
from cadre.store.base import aware

PREVIEW_CHARS = 160


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
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class ConversationFilters:
    agent: str | None = None
    language: str | None = None
    topic: str | None = None
    outcome: str | None = None
    channel: str | None = None
    status: str | None = None
    q: str | None = None  # words in any message, or the conversation's id


def conversation_record(db: Database, conversation_id: str) -> ConversationRecord:
    with db.session() as session:
        row = session.get(ConversationRow, conversation_id)
        if row is None:
            raise UnknownConversation(f"no conversation {conversation_id!r}")
        return _record(row)


def search_conversations(
    db: Database, filters: ConversationFilters, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of matching conversations, most recently active first, and how many match in all."""
    query = _filtered(select(ConversationRow), filters)
    with db.session() as session:
        total = session.scalar(_filtered(select(func.count()).select_from(ConversationRow), filters)) or 0
        rows = session.scalars(
            query.order_by(ConversationRow.updated_at.desc(), ConversationRow.id).limit(limit).offset(offset)
        ).all()
        ids = [row.id for row in rows]
        turns = session.execute(
            select(TurnRow.conversation_id, TurnRow.topic, TurnRow.outcome)
            .where(TurnRow.conversation_id.in_(ids))
            .order_by(TurnRow.started_at)
        ).all()
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
        previews = dict(
            session.execute(
                select(MessageRow.conversation_id, MessageRow.text).join(
                    first_seq,
                    (MessageRow.conversation_id == first_seq.c.conversation_id) & (MessageRow.seq == first_seq.c.seq),
                )
            ).all()
        )
        records = [_record(row) for row in rows]
    topics: dict[str, list[str]] = {}
    outcomes: dict[str, str | None] = {}
    for conversation_id, topic, outcome in turns:
        if topic and topic not in topics.setdefault(conversation_id, []):
            topics[conversation_id].append(topic)
        outcomes[conversation_id] = outcome or outcomes.get(conversation_id)
    listed = [
        {
            **{k: v for k, v in record.__dict__.items() if k != "principal"},
            "topics": topics.get(record.id, []),
            "outcome": outcomes.get(record.id),
            "messages": counts.get(record.id, 0),
            "preview": _preview(previews.get(record.id)),
        }
        for record in records
    ]
    return listed, int(total)


def _filtered(query: Select[Any], filters: ConversationFilters) -> Select[Any]:
    for column, value in (
        (ConversationRow.agent, filters.agent),
        (ConversationRow.language, filters.language),
        (ConversationRow.channel, filters.channel),
        (ConversationRow.status, filters.status),
    ):
        if value:
            query = query.where(column == value)
    for column, value in ((TurnRow.topic, filters.topic), (TurnRow.outcome, filters.outcome)):
        if value:
            query = query.where(
                select(TurnRow.id).where(TurnRow.conversation_id == ConversationRow.id, column == value).exists()
            )
    if filters.q and filters.q.strip():
        words = filters.q.strip().lower()
        in_messages = (
            select(MessageRow.id)
            .where(
                MessageRow.conversation_id == ConversationRow.id,
                func.lower(MessageRow.text).contains(words, autoescape=True),
            )
            .exists()
        )
        query = query.where(or_(in_messages, ConversationRow.id == filters.q.strip()))
    return query


def _preview(text: str | None) -> str | None:
    if text is None or len(text) <= PREVIEW_CHARS:
        return text
    return text[: PREVIEW_CHARS - 1] + "…"


def _record(row: ConversationRow) -> ConversationRecord:
    return ConversationRecord(
        id=row.id,
        agent=row.agent,
        agent_version=row.agent_version,
        channel=row.channel,
        principal=row.principal,
        person_id=row.person_id,
        language=row.language,
        status=row.status,
        created_at=aware(row.created_at).isoformat(),
        updated_at=aware(row.updated_at).isoformat(),
    )
