"""Every turn is counted in the event store; hand-offs, human resolutions and CSAT too; suite and shadow turns
are tagged so the dashboard leaves them out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from cadre.agents.actions import ActionContext
from cadre.agents.inbox import Inbox
from cadre.agents.runtime import Runtime, TurnRequest
from cadre.channels.feedback import FeedbackStore
from cadre.observability.events import EventStore, MemoryEvents, person_digest
from cadre.observability.live_scoring import LiveScorer, sampled

NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_a_turn_is_one_event_with_its_figures_at_the_time_the_turn_ran(runtime: Runtime, _shared_kb: tuple) -> None:
    result = runtime.run_turn(
        TurnRequest(agent="help-desk", message="How do I reset my password?", principal="ana@example.com", now=NOON)
    )
    # (a sampled turn is also scored in the background: `turn_scored`, tested with the live scorer)
    [event] = [e for e in EventStore(_shared_kb[1]).of_conversation(result.conversation_id) if e.kind == "turn"]
    assert (event.kind, event.agent, event.stage, event.at) == ("turn", "help-desk", "production", NOON)
    assert (event.turn_id, event.topic, event.language, event.channel) == (result.turn_id, result.topic, "en", "api")
    assert event.outcome == "answered" and event.cited is True and event.error is False
    assert event.latency_ms == result.latency_ms and event.cost_usd == result.cost_usd
    assert event.person == person_digest("ana@example.com") and "ana" not in event.person


def test_a_hand_off_is_counted_once_though_the_customer_writes_again(runtime: Runtime, _shared_kb: tuple) -> None:
    first = runtime.run_turn(TurnRequest(agent="help-desk", message="I want to talk to a human", now=NOON))
    runtime.run_turn(
        TurnRequest(
            agent="help-desk",
            message="Hello? Still there?",
            conversation_id=first.conversation_id,
            now=NOON + timedelta(minutes=3),
        )
    )
    store = EventStore(_shared_kb[1])
    kinds = [(e.kind, e.outcome) for e in store.of_conversation(first.conversation_id)]
    assert kinds == [("turn", "handed_off"), ("conversation_handed_off", None), ("turn", "handed_off")]
    handed = store.of_conversation(first.conversation_id)[1]
    assert handed.data == {"queue": "tier1", "reason": "human_requested"}

    inbox = Inbox(_shared_kb[1])
    [handoff] = [h for h in inbox.list() if h.conversation_id == first.conversation_id]
    inbox.resolve(handoff.id, by="user:sam")
    resolved = store.of_conversation(first.conversation_id)[-1]
    assert resolved.kind == "conversation_resolved" and resolved.data == {"by": "human", "queue": "tier1"}
    assert resolved.person == handed.person


def test_a_csat_score_is_counted_with_its_value_and_a_thumb_alone_is_not(runtime: Runtime, _shared_kb: tuple) -> None:
    result = runtime.run_turn(TurnRequest(agent="help-desk", message="How do I reset my password?", now=NOON))
    ratings = FeedbackStore(_shared_kb[1])
    ratings.give(result.conversation_id, thumbs="up", author="ana", channel="api")
    ratings.give(result.conversation_id, csat=4, author="ana", channel="api", at=NOON + timedelta(minutes=5))
    rated = [e for e in EventStore(_shared_kb[1]).of_conversation(result.conversation_id) if e.kind == "csat_given"]
    assert [(e.value, e.at, e.topic) for e in rated] == [(4.0, NOON + timedelta(minutes=5), result.topic)]
    assert result.topic is not None  # counted under the topic the conversation was last on


def test_suite_turns_are_tagged_as_evaluation_not_live_traffic(runtime: Runtime, _shared_kb: tuple) -> None:
    result = runtime.run_turn(
        TurnRequest(agent="help-desk", message="How do I reset my password?", evaluation="case:reset")
    )
    [event] = EventStore(_shared_kb[1]).of_conversation(result.conversation_id)  # suite turns are never sampled
    assert event.stage == "evaluation"


def test_an_action_counts_its_business_outcome_in_its_turns_stage() -> None:
    events = MemoryEvents()
    context = ActionContext(
        agent="service",
        conversation_id="c-1",
        principal="ana@example.com",
        purpose="support",
        language="de",
        channel="web",
        services={"events": events},
        now=NOON,
        stage="evaluation",
    )
    context.count("case_opened", case_id="500X1")
    [event] = events.of_kind("case_opened")
    assert (event.agent, event.at, event.stage, event.conversation_id) == ("service", NOON, "evaluation", "c-1")
    assert (event.language, event.channel, event.data) == ("de", "web", {"case_id": "500X1"})
    # Without an event store (unit tests, scripts) counting is a no-op, not an error.
    ActionContext(
        agent="service", conversation_id="c-2", principal="p", purpose="x", language="en", channel="api"
    ).count("case_opened")


def test_a_sampled_live_turn_is_scored_like_a_suite_case_in_the_background(runtime: Runtime, _shared_kb: tuple) -> None:
    events = MemoryEvents()
    scorer = LiveScorer(runtime.embedder, events, share=1.0)
    answered = runtime.run_turn(TurnRequest(agent="help-desk", message="How do I reset my password?", now=NOON))
    [turn] = [e for e in EventStore(_shared_kb[1]).of_conversation(answered.conversation_id) if e.kind == "turn"]
    assert scorer.submit(turn, message="How do I reset my password?", reply=answered.reply, sources=answered.sources)
    scorer.drain(timeout=60)
    [scored] = events.of_kind("turn_scored")
    assert (scored.turn_id, scored.at, scored.topic) == (answered.turn_id, NOON, answered.topic)
    assert scored.groundedness == 1.0  # an extractive answer: every sentence is in the cited article
    assert scored.relevancy is not None and scored.relevancy > 0.2
    assert scored.latency_ms is None and "grounding check" in scored.data["method"]

    # An answer with nothing behind it is measured as such, not flattered.
    assert scorer.submit(
        turn,
        message="How do I reset my password?",
        reply="Passwords expire every 30 days and must contain 14 characters.",
        sources=[],
    )
    scorer.drain(timeout=60)
    assert events.of_kind("turn_scored")[-1].groundedness == 0.0

    # Hand-offs and suite turns are not sampled; nothing is scored twice by accident of sharing.
    handed = replace(turn, outcome="handed_off")
    suite = replace(turn, stage="evaluation")
    assert not scorer.submit(handed, message="x", reply="y", sources=[])
    assert not scorer.submit(suite, message="x", reply="y", sources=[])
    scorer.close()


def test_sampling_is_by_the_turn_id_so_a_replay_samples_the_same_turns() -> None:
    ids = [f"turn-{n}" for n in range(2000)]
    picked = [i for i in ids if sampled(i, 0.2)]
    assert picked == [i for i in ids if sampled(i, 0.2)]
    assert 0.17 < len(picked) / len(ids) < 0.23
    assert not any(sampled(i, 0.0) for i in ids) and all(sampled(i, 1.0) for i in ids)
