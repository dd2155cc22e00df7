"""Conversations, their messages, turns and hand-offs in the system of record."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cadre.agents.store import ConversationRow, HandoffRow, MessageRow, TurnRow
from cadre.errors import CadreError
from cadre.observability.events import Event, EventKind, Stage, person_digest, record_in
from cadre.store import Database
from cadre.store.base import aware

ANONYMOUS = "anonymous"


class UnknownConversation(CadreError):
    """No conversation has that id (or it belongs to another agent)."""


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Conversation:
    id: str
    agent: str
    agent_version: int
    channel: str
    principal: str
    person_id: str | None
    language: str | None
    status: str
    state: dict[str, Any]
    pii_vault: dict[str, Any]
    transcript: list[tuple[str, str]] = field(default_factory=list)  # (role, text), oldest first
    created: bool = False


@dataclass
class FinishedTurn:
    reply: str
    language: str | None
    topic: str | None
    outcome: str
    actions: list[dict[str, Any]]
    citations: list[dict[str, Any]]
    guardrails: list[dict[str, Any]]
    handoff: dict[str, Any] | None
    latency_ms: float
    input_tokens: int
    output_tokens: int
    cost_usd: float
    engine: str


class ConversationStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def open(
        self,
        conversation_id: str | None,
        *,
        agent: str,
        agent_version: int,
        channel: str,
        principal: str,
        person_id: str | None = None,
        history: int = 20,
    ) -> Conversation:
        """The conversation `conversation_id` (with its last `history` messages), or a new one when None."""
        with self._db.session() as session:
            if conversation_id is None:
                row = ConversationRow(
                    id=str(uuid.uuid4()),
                    agent=agent,
                    agent_version=agent_version,
                    channel=channel,
                    principal=principal,
                    person_id=person_id,
                    language=None,
                    status="open",
                    state={},
                    pii_vault={},
                    created_at=_now(),
                    updated_at=_now(),
                )
                session.add(row)
                return _conversation(row, [], created=True)
            found = session.get(ConversationRow, conversation_id)
            if found is None or found.agent != agent:
                raise UnknownConversation(f"no conversation {conversation_id!r} with agent {agent!r}")
            row = found
            if person_id and not row.person_id:
                row.person_id = person_id
            messages = session.scalars(
                select(MessageRow)
                .where(MessageRow.conversation_id == row.id)
                .order_by(MessageRow.seq.desc())
                .limit(history)
            ).all()
            return _conversation(row, [(m.role, m.text) for m in reversed(messages)])

    def start_turn(self, conversation: Conversation, message: str, *, channel: str, engine: str) -> str:
        """Record the customer's message and a running turn, in one transaction; returns the turn id."""
        turn_id = str(uuid.uuid4())
        with self._db.session() as session:
            session.add(
                TurnRow(
                    id=turn_id,
                    conversation_id=conversation.id,
                    agent_version=conversation.agent_version,
                    status="running",
                    engine=engine,
                    actions=[],
                    citations=[],
                    guardrails=[],
                    input_tokens=0,
                    output_tokens=0,
                    cost_usd=0.0,
                    started_at=_now(),
                )
            )
            self._append(session, conversation.id, "customer", message, channel=channel, turn_id=turn_id)
        return turn_id

    def finish_turn(self, conversation: Conversation, turn_id: str, turn: FinishedTurn, *, channel: str) -> None:
        """Store the reply, the turn's record and the conversation's new state, in one transaction."""
        with self._db.session() as session:
            session.execute(
                update(TurnRow)
                .where(TurnRow.id == turn_id)
                .values(
                    status="completed",
                    # A restarting server marks every turn running before it as interrupted; one that was in fact
                    # alive on another worker still finishes here, and the mark goes with it.
                    error=None,
                    engine=turn.engine,
                    language=turn.language,
                    topic=turn.topic,
                    outcome=turn.outcome,
                    actions=turn.actions,
                    citations=turn.citations,
                    guardrails=turn.guardrails,
                    handoff=turn.handoff,
                    latency_ms=turn.latency_ms,
                    input_tokens=turn.input_tokens,
                    output_tokens=turn.output_tokens,
                    cost_usd=turn.cost_usd,
                    finished_at=_now(),
                )
            )
            self._append(session, conversation.id, "agent", turn.reply, channel=channel, turn_id=turn_id)
            row = session.get(ConversationRow, conversation.id)
            assert row is not None
            row.state = conversation.state
            row.pii_vault = conversation.pii_vault
            row.language = conversation.language
            row.person_id = conversation.person_id
            if turn.handoff:
                row.status = "handed_off"
            elif row.status == "resolved":  # the customer wrote again: the conversation is open again
                row.status = "open"
            row.updated_at = _now()

    def fail_turn(self, turn_id: str, error: str) -> None:
        with self._db.session() as session:
            session.execute(
                update(TurnRow).where(TurnRow.id == turn_id).values(status="failed", error=error, finished_at=_now())
            )

    def fail_interrupted(self, older_than: datetime) -> int:
        """Mark turns still `running` since before `older_than` as failed (their process died mid-turn), each with
        its failed `turn` event in the same transaction, so the dashboard's error rate counts them."""
        with self._db.session() as session:
            failed = session.execute(
                update(TurnRow)
                .where(TurnRow.status == "running", TurnRow.started_at < older_than)
                .values(status="failed", error="interrupted: the process stopped mid-turn", finished_at=_now())
                .returning(
                    TurnRow.id, TurnRow.conversation_id, TurnRow.agent_version, TurnRow.engine, TurnRow.started_at
                )
                .execution_options(synchronize_session=False)
            ).all()
            if not failed:
                return 0
            conversations = {
                row.id: row
                for row in session.scalars(
                    select(ConversationRow).where(ConversationRow.id.in_({turn.conversation_id for turn in failed}))
                )
            }
            record_in(
                session,
                [
                    conversation_event(
                        session,
                        conversations[turn.conversation_id],
                        "turn",
                        at=aware(turn.started_at),  # when it was asked for: the moment it died is unknown
                        agent_version=turn.agent_version,
                        turn_id=turn.id,
                        topic=None,
                        outcome="failed",
                        error=True,
                        data={"engine": turn.engine, "interrupted": True},
                    )
                    for turn in failed
                ],
            )
            return len(failed)

    def close(self, conversation_ids: list[str]) -> int:
        """Mark open conversations as ended (resolved); hand-offs stay with their humans. Returns how many closed."""
        if not conversation_ids:
            return 0
        with self._db.session() as session:
            result = session.execute(
                update(ConversationRow)
                .where(ConversationRow.id.in_(conversation_ids), ConversationRow.status == "open")
                .values(status="resolved", updated_at=_now())
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def open_handoff(
        self,
        conversation: Conversation,
        turn_id: str,
        *,
        queue: str,
        reason: str,
        summary: str,
        profile: dict[str, Any] | None,
        tried: list[str],
    ) -> int:
        with self._db.session() as session:
            row = HandoffRow(
                conversation_id=conversation.id,
                turn_id=turn_id,
                queue=queue,
                reason=reason,
                summary=summary,
                language=conversation.language,
                profile=profile,
                tried=tried,
                status="open",
                created_at=_now(),
                updated_at=_now(),
            )
            session.add(row)
            session.flush()
            return row.id

    def open_handoff_of(self, conversation_id: str) -> dict[str, Any] | None:
        """The conversation's unresolved hand-off as the turn contract shows it, or None."""
        with self._db.session() as session:
            row = session.scalars(
                select(HandoffRow)
                .where(HandoffRow.conversation_id == conversation_id, HandoffRow.status.in_(("open", "claimed")))
                .order_by(HandoffRow.id.desc())
                .limit(1)
            ).first()
            return {"queue": row.queue, "reason": row.reason, "summary": row.summary} if row else None

    def post_human_reply(self, conversation_id: str, text: str, *, author: str, channel: str | None = None) -> int:
        """A human's reply joins the transcript (the channel delivers it); returns its sequence number."""
        with self._db.session() as session:
            row = session.get(ConversationRow, conversation_id)
            if row is None:
                raise UnknownConversation(f"no conversation {conversation_id!r}")
            row.updated_at = _now()
            return self._append(session, conversation_id, "human", text, channel=channel or row.channel, author=author)

    def messages(self, conversation_id: str) -> list[dict[str, Any]]:
        with self._db.session() as session:
            rows = session.scalars(
                select(MessageRow).where(MessageRow.conversation_id == conversation_id).order_by(MessageRow.seq)
            ).all()
        return [
            {
                "seq": m.seq,
                "role": m.role,
                "author": m.author,
                "channel": m.channel,
                "text": m.text,
                "turn_id": m.turn_id,
                "at": m.created_at.isoformat(),
            }
            for m in rows
        ]

    def turn(self, turn_id: str) -> TurnRow | None:
        with self._db.session() as session:
            return session.get(TurnRow, turn_id)

    def latest_for_person(self, agent: str, person_id: str) -> str | None:
        """The person's most recent open conversation with `agent`, on any channel."""
        with self._db.session() as session:
            return session.scalars(
                select(ConversationRow.id)
                .where(
                    ConversationRow.agent == agent,
                    ConversationRow.person_id == person_id,
                    ConversationRow.status != "resolved",
                )
                .order_by(ConversationRow.updated_at.desc())
                .limit(1)
            ).first()

    @staticmethod
    def _append(
        session: Session,
        conversation_id: str,
        role: str,
        text: str,
        *,
        channel: str,
        turn_id: str | None = None,
        author: str | None = None,
    ) -> int:
        last = session.scalar(select(func.max(MessageRow.seq)).where(MessageRow.conversation_id == conversation_id))
        seq = (last or 0) + 1
        session.add(
            MessageRow(
                conversation_id=conversation_id,
                seq=seq,
                role=role,
                author=author,
                channel=channel,
                text=text,
                turn_id=turn_id,
                created_at=_now(),
            )
        )
        return seq


def _conversation(row: ConversationRow, transcript: list[tuple[str, str]], *, created: bool = False) -> Conversation:
    return Conversation(
        id=row.id,
        agent=row.agent,
        agent_version=row.agent_version,
        channel=row.channel,
        principal=row.principal,
        person_id=row.person_id,
        language=row.language,
        status=row.status,
        state=dict(row.state or {}),
        pii_vault=dict(row.pii_vault or {}),
        transcript=transcript,
        created=created,
    )


def stage_of(state: dict[str, Any]) -> Stage:
    """Which stage a conversation belongs to, from what the runtime wrote in its state."""
    if state.get("shadow_of"):
        return "shadow"
    if state.get("evaluation"):
        return "evaluation"
    return "pilot" if state.get("stage") == "pilot" else "production"


def person_of(conversation_id: str, principal: str, person_id: str | None) -> str | None:
    """The digest the event store counts a conversation's person by. Anonymous visitors are told apart by their
    conversation: one visit, one person."""
    known = principal if principal != ANONYMOUS else None
    return person_digest(person_id or known or conversation_id)


def last_topic(session: Session, conversation_id: str) -> str | None:
    """The topic of the conversation's latest turn: what a rating or a resolution of it is counted under."""
    return session.scalar(
        select(TurnRow.topic)
        .where(TurnRow.conversation_id == conversation_id, TurnRow.topic.is_not(None))
        .order_by(TurnRow.started_at.desc())
        .limit(1)
    )


def conversation_event(
    session: Session, row: ConversationRow, kind: EventKind, *, at: datetime | None = None, **fields: Any
) -> Event:
    """An event about a stored conversation (resolved, rated, …), tagged with its agent, version, stage, language,
    channel, person and the topic it was last on; `fields` add to or replace them."""
    if "topic" not in fields:
        fields["topic"] = last_topic(session, row.id)
    tags = {
        "agent": row.agent,
        "agent_version": row.agent_version,
        "stage": stage_of(dict(row.state or {})),
        "conversation_id": row.id,
        "language": row.language,
        "channel": row.channel,
        "person": person_of(row.id, row.principal, row.person_id),
    }
    return Event(kind=kind, at=at or _now(), **{**tags, **fields})
