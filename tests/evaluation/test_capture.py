"""Captured suites: stored conversations replay as regression cases, people's corrections become fact expectations."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cadre.agents.conversations import ConversationStore, UnknownConversation
from cadre.agents.runtime import Runtime, TurnRequest, TurnResult
from cadre.channels.feedback import FeedbackStore
from cadre.evaluation.capture import CaptureError, capture_suite, parse_correction, parse_since, sample_conversations
from cadre.evaluation.generate import dump_suite
from cadre.evaluation.runner import run_suite
from cadre.evaluation.suites import load_suite
from tests.hero_company import Hero

VAT = "How do I add our VAT number to invoices?"
VERIFY = "Hola, mi correo es apacheco@eaglesys.example y mi teléfono es +34 696 925 161"
HUMAN = "I want to talk to a human"


@pytest.fixture(scope="module")
def service(hero: Hero) -> Runtime:
    return hero.runtime(agents=["service", "concierge"])


def converse(runtime: Runtime, *messages: str, agent: str = "service") -> list[TurnResult]:
    results: list[TurnResult] = []
    for message in messages:
        conversation = results[-1].conversation_id if results else None
        results.append(runtime.run_turn(TurnRequest(agent=agent, message=message, conversation_id=conversation)))
    return results


def test_a_captured_conversation_replays_and_passes_on_the_same_agent(hero: Hero, service: Runtime) -> None:
    turns = converse(service, VAT, VERIFY, HUMAN)
    assert turns[1].actions and turns[2].handoff  # the conversation exercises an action and a hand-off
    captured = capture_suite(hero.db, [turns[0].conversation_id])
    [case] = captured.suite.cases
    assert case.made_by is not None and turns[0].conversation_id in case.made_by
    assert [t.user for t in case.turns] == [VAT, VERIFY, HUMAN]
    first, verify, human = (t.expect for t in case.turns)
    assert (first.cited, first.no_actions, first.handoff, first.topic) == (True, True, False, turns[0].topic)
    assert verify.actions and verify.actions[0].name == "verify_customer"
    assert verify.actions[0].arguments["email"] == "apacheco@eaglesys.example"
    assert human.handoff == "support"
    run = run_suite(service, captured.suite, suite_name="captured")
    assert run.passed == 1, run.results[0].failures


def test_a_should_say_comment_on_a_turn_becomes_a_fact_expectation(hero: Hero, service: Runtime) -> None:
    turns = converse(service, HUMAN.replace("human", "person"), VAT)
    conversation = turns[0].conversation_id
    FeedbackStore(hero.db).give(
        conversation,
        turn_id=turns[1].turn_id,
        thumbs="down",
        comment="Should say: Settings → Billing; tax ID",
        author="lea@halyard.example",
        channel="console",
    )
    FeedbackStore(hero.db).give(conversation, turn_id=turns[1].turn_id, thumbs="up", author="x", channel="web")
    captured = capture_suite(hero.db, [conversation])
    assert captured.corrections == 1
    [correction] = [c for c in captured.suite.cases if "correction" in c.tags]
    assert [t.user for t in correction.turns] == [HUMAN.replace("human", "person"), VAT]
    assert correction.turns[0].expect.model_dump(exclude_defaults=True) == {}
    assert correction.turns[1].expect.facts == ["Settings → Billing", "tax ID"]
    assert correction.made_by is not None and "lea@halyard.example" in correction.made_by


def test_a_persons_reply_after_a_hand_off_becomes_the_expected_answer(hero: Hero, service: Runtime) -> None:
    turns = converse(service, "Mi factura está duplicada, quiero hablar con una persona")
    conversation = turns[0].conversation_id
    assert turns[0].handoff
    store = ConversationStore(hero.db)
    store.post_human_reply(conversation, "The duplicate is refunded in **5 business days**, $0 fee.", author="lea")
    store.post_human_reply(conversation, "Anything else I can do?", author="lea")
    captured = capture_suite(hero.db, [conversation])
    [correction] = [c for c in captured.suite.cases if "correction" in c.tags]
    assert correction.turns[-1].expect.facts == ["5 business days", "$0"]
    assert correction.turns[-1].expect.language == "es"
    assert captured.skipped == [
        f"conversation {conversation}, the reply of lea after turn 1: it names no fact to expect "
        "(no 'should say:' line, no bold span or amount)"
    ]


def test_the_correction_format() -> None:
    assert parse_correction("should say: 3 to 7 business days; pending authorisation") == [
        "3 to 7 business days",
        "pending authorisation",
    ]
    assert parse_correction("Thanks.\nShould have said:\n- nothing\n") == ["- nothing"]
    assert parse_correction("Wrong answer, it should say something else") == []
    assert parse_correction(None) == []


def test_sampling_is_seeded_and_draws_every_stratum_first(hero: Hero, service: Runtime) -> None:
    since = datetime.now(UTC)
    converse(service, VAT)
    converse(service, "How do I build a dashboard in Pulse?")
    converse(service, HUMAN)
    converse(service, "Hello, what can you do for me?", agent="concierge")
    picked = sample_conversations(hero.db, 3, agent="service", since=since, seed=1)
    assert picked == sample_conversations(hero.db, 3, agent="service", since=since, seed=1)
    assert len(set(picked)) == 3
    everything = sample_conversations(hero.db, 10, since=since, seed=2)
    assert len(everything) == 4
    with pytest.raises(CaptureError, match="a suite is for one agent"):
        capture_suite(hero.db, everything)


def test_bad_input_is_refused_with_what_was_expected(hero: Hero) -> None:
    with pytest.raises(UnknownConversation, match="no conversation 'nope'"):
        capture_suite(hero.db, ["nope"])
    with pytest.raises(CaptureError, match="at least one conversation"):
        capture_suite(hero.db, [])
    with pytest.raises(CaptureError, match="--sample must be at least 1, got 0"):
        sample_conversations(hero.db, 0)
    with pytest.raises(CaptureError, match=r"stored conversations of agent 'nobody' .*found none"):
        sample_conversations(hero.db, 2, agent="nobody")
    with pytest.raises(CaptureError, match=r"--since must be an ISO date or time.*'yesterday'"):
        parse_since("yesterday")
    assert parse_since("2026-11-24") == datetime(2026, 11, 24, tzinfo=UTC)


def test_the_command_appends_new_cases_and_skips_known_ones(
    hero: Hero,
    service: Runtime,
    cadre_eval: Callable[..., Any],
    tmp_path: Path,
) -> None:
    first = converse(service, VAT)[0].conversation_id
    second = converse(service, "How do I build a dashboard in Pulse?")[0].conversation_id
    out = tmp_path / "captured.yaml"
    code, stdout, _ = cadre_eval("capture", "--conversation", first, "--out", str(out), "--json")
    assert (code, json.loads(stdout)["added"]) == (0, 1)
    assert out.read_text(encoding="utf-8").startswith("# Corrections:")
    code, stdout, _ = cadre_eval(
        "capture", "--conversation", first, "--conversation", second, "--out", str(out), "--append", "--json"
    )
    body = json.loads(stdout)
    assert (code, body["added"], body["cases"]) == (0, 1, 2)
    assert body["skipped"] == [f"conversation-{first.replace('-', '')[:12]}: already in the suite"]
    assert len(load_suite(out).cases) == 2
    code, _, stderr = cadre_eval("capture", "--out", str(out))
    assert code == 2
    assert "either --conversation ID (repeatable) or --sample N" in stderr


def test_a_captured_suite_written_and_read_back_is_the_same(hero: Hero, service: Runtime, tmp_path: Path) -> None:
    conversation = converse(service, VERIFY)[0].conversation_id
    suite = capture_suite(hero.db, [conversation]).suite
    dump_suite(suite, tmp_path / "s.yaml", header="")
    assert load_suite(tmp_path / "s.yaml") == suite
