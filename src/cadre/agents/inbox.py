"""The hand-off inbox: conversations waiting for a human, claimed, answered, returned to the agent or resolved."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from cadre.agents.conversations import ConversationStore, conversation_event
from cadre.agents.store import ConversationRow, HandoffRow
from cadre.errors import CadreError, NotFound
from cadre.observability.events import Event, EventStore
from cadre.store import Database
from cadre.store.base import aware

HandoffStatus = Literal["open", "claimed", "returned", "resolved"]


class HandoffError(CadreError):
    """A hand-off is not in a state that allows the request."""


class UnknownHandoff(HandoffError, NotFound):
    """No hand-off has that id."""


@dataclass(frozen=True)
class Handoff:
    id: int
    conversation_id: str
    queue: str
    reason: str
    summary: str
    language: str | None
    profile: dict[str, Any] | None
    tried: list[str]
    status: str
    assignee: str | None
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "created_at": self.created_at.isoformat()}


class Inbox:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._conversations = ConversationStore(db)
        self._events = EventStore(db)

    def list(self, *, queue: str | None = None, status: HandoffStatus | None = "open") -> list[Handoff]:
        query = select(HandoffRow).order_by(HandoffRow.created_at)
        if queue:
            query = query.where(HandoffRow.queue == queue)
        if status:
            query = query.where(HandoffRow.status == status)
        with self._db.session() as session:
            return [_handoff(row) for row in session.scalars(query).all()]

    def get(self, handoff_id: int) -> Handoff:
        with self._db.session() as session:
            return _handoff(self._row(session, handoff_id))

    def claim(self, handoff_id: int, *, by: str) -> Handoff:
        return self._move(handoff_id, "claimed", allowed=("open",), assignee=by)

    def reply(self, handoff_id: int, text: str, *, by: str) -> int:
        """A human's answer joins the conversation (the channel delivers it); claims the hand-off if open."""
        if not text.strip():
            raise HandoffError("a reply must not be empty")
        handoff = self.get(handoff_id)
        if handoff.status in ("returned", "resolved"):
            raise HandoffError(f"hand-off {handoff_id} is {handoff.status}; reopen the conversation to reply")
        if handoff.status == "open":
            self.claim(handoff_id, by=by)
        return self._conversations.post_human_reply(handoff.conversation_id, text, author=by)

    def return_to_agent(self, handoff_id: int, *, by: str) -> Handoff:
        """The agent answers the conversation's next messages again."""
        return self._move(handoff_id, "returned", allowed=("open", "claimed"), assignee=by, conversation="open")

    def resolve(self, handoff_id: int, *, by: str) -> Handoff:
        """A person closes the conversation: counted as resolved by a human, not deflected."""
        counted: builtins.list[Event] = []
        handoff = self._move(
            handoff_id, "resolved", allowed=("open", "claimed"), assignee=by, conversation="resolved", counted=counted
        )
        self._events.record(counted)
        return handoff

    def _move(
        self,
        handoff_id: int,
        status: HandoffStatus,
        *,
        allowed: tuple[str, ...],
        assignee: str,
        conversation: str | None = None,
        counted: builtins.list[Event] | None = None,
    ) -> Handoff:
        with self._db.session() as session:
            row = self._row(session, handoff_id)
            if row.status not in allowed:
                raise HandoffError(
                    f"hand-off {handoff_id} is {row.status}; it must be {' or '.join(allowed)} to be {status}"
                )
            row.status = status
            row.assignee = assignee
            row.updated_at = datetime.now(UTC)
            if conversation is not None:
                owner = session.get(ConversationRow, row.conversation_id)
                if owner is not None:
                    owner.status = conversation
                    owner.updated_at = row.updated_at
                    if counted is not None:
                        counted.append(
                            conversation_event(
                                session,
                                owner,
                                "conversation_resolved",
                                at=row.updated_at,
                                data={"by": "human", "queue": row.queue},
                            )
                        )
            return _handoff(row)

    @staticmethod
    def _row(session: Session, handoff_id: int) -> HandoffRow:
        row = session.get(HandoffRow, handoff_id)
        if row is None:
            raise UnknownHandoff(f"no hand-off with id {handoff_id}")
        return row


def _handoff(row: HandoffRow) -> Handoff:
    return Handoff(
        id=row.id,
        conversation_id=row.conversation_id,
        queue=row.queue,
        reason=row.reason,
        summary=row.summary,
        language=row.language,
        profile=row.profile,
        tried=list(row.tried),
        status=row.status,
        assignee=row.assignee,
        created_at=aware(row.created_at),
    )
