"""Feedback on conversations and turns: what is stored, and what is refused before anything is."""

from __future__ import annotations

import pytest

from cadre.agents.conversations import ConversationStore, UnknownConversation
from cadre.channels.feedback import FeedbackRejected, FeedbackStore, UnknownTurn
from cadre.store import Database


def _conversation_with_turn(db: Database) -> tuple[str, str]:
    store = ConversationStore(db)
    conversation = store.open(None, agent="service", agent_version=1, channel="web", principal="key:abc")
    turn_id = store.start_turn(conversation, "Where is my order?", channel="web", engine="offline")
    return conversation.id, turn_id


def test_feedback_on_a_turn_is_stored_and_listed(db: Database) -> None:
    conversation_id, turn_id = _conversation_with_turn(db)
    store = FeedbackStore(db)
    given = store.give(
        conversation_id, turn_id=turn_id, csat=4, thumbs="up", comment="  quick  ", author="web:v1", channel="web"
    )
    store.give(conversation_id, csat=2, author="web:v1", channel="web")
    listed = store.for_conversation(conversation_id)
    assert [(f.turn_id, f.csat, f.thumbs, f.comment) for f in listed] == [
        (turn_id, 4, "up", "quick"),
        (None, 2, None, None),
    ]
    assert listed[0] == given
    assert given.to_json()["created_at"] == given.created_at.isoformat()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "feedback must carry"),
        ({"comment": "   "}, "feedback must carry"),
        ({"csat": 6}, "`csat` must be an integer from 1 to 5, got 6"),
        ({"csat": 0}, "got 0"),
        ({"csat": True}, "got True"),
        ({"thumbs": "sideways"}, "`thumbs` must be 'up' or 'down', got 'sideways'"),
        ({"comment": "x" * 4001}, "at most 4000 characters"),
    ],
)
def test_bad_feedback_is_refused(db: Database, fields: dict[str, object], message: str) -> None:
    conversation_id, _turn_id = _conversation_with_turn(db)
    store = FeedbackStore(db)
    with pytest.raises(FeedbackRejected, match=message.replace("(", r"\(")):
        store.give(conversation_id, author="a", channel="api", **fields)  # type: ignore[arg-type]
    assert store.for_conversation(conversation_id) == []


def test_feedback_names_an_existing_conversation_and_one_of_its_turns(db: Database) -> None:
    first, turn_of_first = _conversation_with_turn(db)
    second, _ = _conversation_with_turn(db)
    store = FeedbackStore(db)
    with pytest.raises(UnknownConversation, match="no conversation 'nope'"):
        store.give("nope", csat=3, author="a", channel="api")
    with pytest.raises(UnknownTurn, match=f"is not a turn of conversation '{second}'"):
        store.give(second, turn_id=turn_of_first, csat=3, author="a", channel="api")
    assert store.for_conversation(first) == [] and store.for_conversation(second) == []
