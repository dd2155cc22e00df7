"""Hand-off rules, one at a time, in the agents' languages."""

import pytest

from cadre.agents.handoff import HandoffCounters, Signals, asks_for_human, decide_handoff, handoff_summary, is_negative
from cadre.agents.models import Escalation


@pytest.mark.parametrize(
    "message",
    [
        "I want to talk to a human",
        "can I speak with a real person please",
        "Quiero hablar con una persona",
        "Je voudrais parler à un conseiller",
        "Ich möchte mit einem Mitarbeiter sprechen",
        "Posso parlare con un operatore?",
        "Quero falar com um atendente",
        "担当者と話したいです",
        "I need a person to help me with my bill",
        "necesito ayuda de un agente",
        "Can a person from your team call me back?",
        "Put me through to your team please",
    ],
)
def test_asking_for_a_person_is_recognised_in_every_language(message: str) -> None:
    assert asks_for_human(message)


@pytest.mark.parametrize(
    "message", ["Where is the human resources report?", "How do I add an agent to Relay?", "Talk me through SSO"]
)
def test_mentioning_people_is_not_asking_for_one(message: str) -> None:
    assert not asks_for_human(message)


def test_strong_anger_counts_as_negative_but_a_complaint_about_a_bug_does_not() -> None:
    assert is_negative("This is unacceptable, third time I ask!")
    assert is_negative("esto es inaceptable")
    assert is_negative("最悪です")
    assert not is_negative("The export is failing with an error")


def test_low_confidence_hands_off_only_when_it_repeats() -> None:
    rules, counters = Escalation(low_confidence_turns=2), HandoffCounters()
    assert decide_handoff(rules, Signals("hmm", low_confidence=True), counters) is None
    decision = decide_handoff(rules, Signals("what?", low_confidence=True), counters)
    assert decision is not None and decision.reason == "low_confidence"
    fresh = HandoffCounters()
    decide_handoff(rules, Signals("hmm", low_confidence=True), fresh)
    assert decide_handoff(rules, Signals("ok", low_confidence=False), fresh) is None
    assert fresh.low_confidence_streak == 0


def test_rules_can_be_switched_off_and_queues_come_from_the_spec() -> None:
    quiet = Escalation(on_human_request=False, on_negative_sentiment=False, queue="billing")
    assert decide_handoff(quiet, Signals("I want to talk to a human, this is unacceptable"), HandoffCounters()) is None
    blocked = decide_handoff(quiet, Signals("refund", policy_blocked=True), HandoffCounters())
    assert blocked is not None and (blocked.reason, blocked.queue) == ("policy_block", "billing")


def test_the_summary_says_why_what_and_what_was_tried() -> None:
    summary = handoff_summary(
        reason="action_failures",
        topic="billing",
        language="de",
        transcript=[("customer", "Meine Rechnung INV-1 ist falsch"), ("agent", "…"), ("customer", "Immer noch falsch")],
        tried=["invoice_status (failed)", "invoice_status (failed)"],
    )
    assert summary.splitlines() == [
        "Reason: action failures.",
        "Topic: billing; language: de.",
        "Customer first wrote: “Meine Rechnung INV-1 ist falsch”.",
        "Latest message: “Immer noch falsch”.",
        "Tried: invoice_status (failed); invoice_status (failed).",
    ]
