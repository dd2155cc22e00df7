"""Replies are classified in the seven languages; the phrase that decided is kept."""

from __future__ import annotations

import pytest

from cadre.sales.classify import classify_reply
from cadre.sales.inbound import new_text
from cadre.sales.sample_replies import SAMPLE_REPLIES

CASES = [(label, language, text) for label, texts in SAMPLE_REPLIES.items() for language, text in texts.items()]


@pytest.mark.parametrize(("label", "language", "text"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_each_class_in_each_language(label: str, language: str, text: str) -> None:
    found = classify_reply(text)
    assert found.label == label
    assert found.cue and found.cue.lower() in text.lower()


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Not interested, thanks.", "unsubscribe"),
        ("I'm interested but please remove me from the newsletter list - remove me.", "unsubscribe"),
        ("Interested! How much does it cost?", "interested"),
        ("Kein Interesse.", "unsubscribe"),
        ("Ich bin im Urlaub und ab dem 2. Dezember wieder da.", "out_of_office"),
        ("Can you tell me more about your SSO support?", "question"),
        ("Thanks.", None),
    ],
)
def test_the_stronger_intent_wins(text: str, label: str | None) -> None:
    assert classify_reply(text).label == label


def test_an_auto_reply_header_means_out_of_office_whatever_the_words() -> None:
    assert classify_reply("Thank you for your message.", auto_reply=True).label == "out_of_office"


def test_the_quoted_original_does_not_count() -> None:
    body = (
        "Sounds good, let's talk next week.\n\nOn Tue, 24 Nov 2026, Halyard Cloud wrote:\n"
        "> Not the right time or person? Reply “unsubscribe” and I will not write again.\n"
    )
    text = new_text(body)
    assert text == "Sounds good, let's talk next week."
    assert classify_reply(text).label == "interested"
