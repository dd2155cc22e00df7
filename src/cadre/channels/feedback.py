"""Feedback on a conversation or one of its turns: a CSAT score, a thumb, a comment, from whoever was served."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from sqlalchemy import select

from cadre.agents.conversations import UnknownConversation, conversation_event
from cadre.agents.store import ConversationRow, TurnRow
from cadre.channels.tables import FeedbackRow
from cadre.errors import CadreError, NotFound
from cadre.observability.events import EventStore
from cadre.store import Database
from cadre.store.base import aware

Thumbs = Literal["up", "down"]
THUMBS: tuple[Thumbs, ...] = get_args(Thumbs)
CSAT_RANGE = range(1, 6)
COMMENT_MAX_CHARS = 4000


class FeedbackRejected(CadreError):
    """Feedback is empty or out of range; nothing was stored."""


class UnknownTurn(NotFound):
    """The turn does not exist, or belongs to another conversation."""


@dataclass(frozen=True)
class Feedback:
    id: int
    conversation_id: str
    turn_id: str | None
    csat: int | None
    thumbs: str | None
    comment: str | None
    author: str
    channel: str
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "created_at": self.created_at.isoformat()}


class FeedbackStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._events = EventStore(db)

    def give(
        self,
        conversation_id: str,
        *,
        turn_id: str | None = None,
        csat: int | None = None,
        thumbs: str | None = None,
        comment: str | None = None,
        author: str,
        channel: str,
        at: datetime | None = None,
    ) -> Feedback:
        """Record feedback on the conversation, or on one of its turns when `turn_id` is given. `at` is when it was
        given (default: now); a CSAT score is also counted for the dashboard."""
        comment = comment.strip() if comment else None
        _check(csat=csat, thumbs=thumbs, comment=comment)
        with self._db.session() as session:
            conversation = session.get(ConversationRow, conversation_id)
            if conversation is None:
                raise UnknownConversation(f"no conversation {conversation_id!r}")
            if turn_id is not None:
                turn = session.get(TurnRow, turn_id)
                if turn is None or turn.conversation_id != conversation_id:
                    raise UnknownTurn(f"turn {turn_id!r} is not a turn of conversation {conversation_id!r}")
            row = FeedbackRow(
                conversation_id=conversation_id,
                turn_id=turn_id,
                csat=csat,
                thumbs=thumbs,
                comment=comment,
                author=author,
                channel=channel,
                created_at=at or datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            given = _feedback(row)
            rated = conversation_event(
                session, conversation, "csat_given", at=row.created_at, turn_id=turn_id, value=csat
            )
        if csat is not None:
            self._events.record([rated])
        return given

    def for_conversation(self, conversation_id: str) -> list[Feedback]:
        """The conversation's feedback, oldest first."""
        with self._db.session() as session:
            rows = session.scalars(
                select(FeedbackRow).where(FeedbackRow.conversation_id == conversation_id).order_by(FeedbackRow.id)
            ).all()
            return [_feedback(row) for row in rows]


def _check(*, csat: int | None, thumbs: str | None, comment: str | None) -> None:
    if csat is None and thumbs is None and not comment:
        raise FeedbackRejected("feedback must carry a `csat` score, a `thumbs` or a `comment`, got none of them")
    # bool is an int in Python; a JSON `true` is not a score
    if csat is not None and (isinstance(csat, bool) or csat not in CSAT_RANGE):
        raise FeedbackRejected(f"`csat` must be an integer from 1 to 5, got {csat!r}")
    if thumbs is not None and thumbs not in THUMBS:
        raise FeedbackRejected(f"`thumbs` must be 'up' or 'down', got {thumbs!r}")
    if comment is not None and len(comment) > COMMENT_MAX_CHARS:
        raise FeedbackRejected(f"`comment` must be at most {COMMENT_MAX_CHARS} characters, got {len(comment)}")


def _feedback(row: FeedbackRow) -> Feedback:
    return Feedback(
        id=row.id,
        conversation_id=row.conversation_id,
        turn_id=row.turn_id,
        csat=row.csat,
        thumbs=row.thumbs,
        comment=row.comment,
        author=row.author,
        channel=row.channel,
        created_at=aware(row.created_at),
    )
