"""Turns cut off by a process that died: marked failed once, each with its failed `turn` event for the dashboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cadre.agents.conversations import ConversationStore
from cadre.observability.events import EventStore
from cadre.store import Database


def test_an_interrupted_turn_is_failed_with_its_event_once_and_a_finished_turn_is_left_alone(db: Database) -> None:
    store = ConversationStore(db)
    conversation = store.open(None, agent="service", agent_version=3, channel="web", principal="key:abc")
    cut_off = store.start_turn(conversation, "Where is my order?", channel="web", engine="offline")
    other = store.open(None, agent="concierge", agent_version=1, channel="api", principal="key:abc")
    failed_before = store.start_turn(other, "Hello", channel="api", engine="offline")
    store.fail_turn(failed_before, "the model endpoint was down")
    later = datetime.now(UTC) + timedelta(seconds=1)

    assert store.fail_interrupted(later) == 1
    assert store.fail_interrupted(later) == 0  # marked once, counted once
    turn = store.turn(cut_off)
    assert turn is not None and (turn.status, turn.error) == ("failed", "interrupted: the process stopped mid-turn")
    [event] = EventStore(db).latest(kind="turn")
    assert (event.turn_id, event.conversation_id, event.agent, event.agent_version) == (cut_off, conversation.id,
                                                                                         "service", 3)  # fmt: skip
    assert (event.outcome, event.error, event.stage, event.channel) == ("failed", True, "production", "web")
    assert event.data == {"engine": "offline", "interrupted": True}
    assert event.person is not None and abs(event.at - turn.started_at.replace(tzinfo=UTC)) < timedelta(seconds=1)
