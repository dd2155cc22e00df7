"""A simulated day runs through the real runtime and leaves conversations, hand-offs and ratings behind."""

from __future__ import annotations

from cadre.channels.feedback import FeedbackStore
from cadre.observability.events import EventStore
from cadre.sample import TODAY
from cadre.server.services import Services
from cadre.simulation import LANGUAGES, TrafficSummary
from tests.simulation.conftest import CONVERSATIONS

Day = tuple[TrafficSummary, list[tuple[int, int]]]


def test_the_day_speaks_every_language_on_every_channel(day: Day) -> None:
    summary, reports = day
    assert summary.planned == CONVERSATIONS
    assert set(summary.languages) == set(LANGUAGES)  # as the runtime detected them, not as planned
    assert set(summary.channels) == {"web", "api", "email", "slack"}
    assert set(summary.agents) == {"service", "concierge", "seller_assistant", "sdr"}
    assert summary.turns > summary.conversations  # verification, then the question
    assert reports[-1] == (CONVERSATIONS, CONVERSATIONS) and len(reports) == CONVERSATIONS


def test_every_accepted_message_has_a_completed_turn(day: Day, services: Services) -> None:
    summary, _ = day
    customer_messages = 0
    for conversation_id in summary.conversation_ids:
        for message in services.conversations.messages(conversation_id):
            if message["role"] != "customer":
                continue
            turn = services.conversations.turn(message["turn_id"])
            assert turn is not None and turn.status == "completed", message
            customer_messages += 1
    assert customer_messages >= summary.turns  # a conversation continued from earlier holds older messages too


def test_people_wait_in_the_inbox(day: Day, services: Services) -> None:
    summary, _ = day
    ours = set(summary.conversation_ids)
    waiting = [h for h in services.inbox.list(status="open") if h.conversation_id in ours]
    assert summary.handoffs_open == len(waiting) >= summary.handed_off >= 3
    assert {h.reason for h in waiting} >= {"human_requested", "negative_sentiment"}
    assert summary.outcomes["refused"] >= 1  # the injection attempt


def test_ratings_are_stored_on_the_last_turn(day: Day, services: Services) -> None:
    summary, _ = day
    store = FeedbackStore(services.db)
    ratings = [f for cid in summary.conversation_ids for f in store.for_conversation(cid)]
    assert len(ratings) == summary.feedback > 0
    assert all(f.csat in range(1, 6) and f.thumbs == ("up" if f.csat >= 4 else "down") for f in ratings)
    assert all(f.turn_id is not None for f in ratings)
    assert summary.mean_csat == round(sum(f.csat for f in ratings if f.csat) / len(ratings), 2)


def test_a_signed_in_visitor_continues_by_email(day: Day, services: Services) -> None:
    summary, _ = day
    assert summary.continued_across_channels >= 1
    crossed = [
        cid
        for cid in summary.conversation_ids
        if {m["channel"] for m in services.conversations.messages(cid) if m["role"] == "customer"} >= {"web", "email"}
    ]
    assert crossed


def test_the_day_is_counted_in_the_event_store_on_its_own_hours(day: Day, services: Services) -> None:
    summary, _ = day
    events = [e for cid in summary.conversation_ids for e in EventStore(services.db).of_conversation(cid)]
    turns = [e for e in events if e.kind == "turn"]
    assert len(turns) == summary.turns
    assert all(e.at.date() == TODAY.date() for e in turns)  # the simulated day, not the wall clock
    assert len([e for e in events if e.kind == "csat_given"]) == summary.feedback
    assert len({e.conversation_id for e in events if e.kind == "conversation_handed_off"}) == summary.handed_off
    # Once the day is over every conversation has ended one way or another, or waits for a person.
    ended = {e.conversation_id for e in events if e.kind in ("conversation_resolved", "conversation_abandoned")}
    # (the sweep ends every quiet live conversation in the store, so it may count others' too, never fewer)
    assert sum(summary.ended.values()) >= len(ended) > 0
    assert ended | {e.conversation_id for e in events if e.kind == "conversation_handed_off"} == set(
        summary.conversation_ids
    )
