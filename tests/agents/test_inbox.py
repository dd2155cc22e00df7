"""The hand-off inbox: a handed-off conversation waits for a human, who replies, returns it or resolves it."""

from __future__ import annotations

import pytest

from cadre.agents.inbox import HandoffError, Inbox
from cadre.agents.runtime import Runtime, TurnRequest


def test_a_human_takes_over_answers_and_returns_the_conversation(runtime: Runtime, _shared_kb: tuple) -> None:
    first = runtime.run_turn(TurnRequest(agent="help-desk", message="I want to talk to a human"))
    inbox = Inbox(_shared_kb[1])
    waiting = inbox.list(queue="tier1")
    assert [h.conversation_id for h in waiting] == [first.conversation_id]
    handoff = waiting[0]
    assert handoff.reason == "human_requested" and handoff.language == "en"

    meanwhile = runtime.run_turn(
        TurnRequest(agent="help-desk", message="Hello? Still there?", conversation_id=first.conversation_id)
    )
    assert meanwhile.handoff == {"queue": "tier1", "reason": "human_requested", "summary": handoff.summary}
    assert meanwhile.actions == [] and "colleague" in meanwhile.reply.lower()

    inbox.reply(handoff.id, "Hi, this is Sam. How can I help?", by="user:sam")
    assert inbox.get(handoff.id).status == "claimed"
    inbox.return_to_agent(handoff.id, by="user:sam")
    back = runtime.run_turn(
        TurnRequest(agent="help-desk", message="How do I reset my password?", conversation_id=first.conversation_id)
    )
    assert back.handoff is None and back.citations[0]["doc_id"] == "reset-password"
    roles = [(m["role"], m["author"]) for m in runtime.conversations.messages(first.conversation_id)]
    assert ("human", "user:sam") in roles
    assert inbox.list(queue="tier1") == []


def test_a_resolved_hand_off_cannot_be_answered_or_resolved_twice(runtime: Runtime, _shared_kb: tuple) -> None:
    runtime.run_turn(TurnRequest(agent="help-desk", message="Can I speak to a real person?"))
    inbox = Inbox(_shared_kb[1])
    handoff = inbox.list()[0]
    inbox.resolve(handoff.id, by="user:sam")
    with pytest.raises(HandoffError, match="is resolved"):
        inbox.reply(handoff.id, "late", by="user:sam")
    with pytest.raises(HandoffError, match="must be open or claimed"):
        inbox.resolve(handoff.id, by="user:sam")
    with pytest.raises(HandoffError, match="no hand-off with id 999"):
        inbox.get(999)
