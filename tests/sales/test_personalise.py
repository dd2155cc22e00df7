"""First touches are written from each lead's own facts, in its language, and say which facts they used."""

from __future__ import annotations

from datetime import timedelta

from cadre.sales.models import Engagement, LeadProfile, Product
from cadre.sales.personalise import first_touch, follow_up
from tests.sales.test_qualify import NOW, lead

RELAY = Product("P001", "Halyard Relay", "Customer Service", "Shared inbox")
PULSE = Product("P003", "Halyard Pulse", "Analytics", "Dashboards")


def test_two_leads_get_different_letters_not_a_swapped_name() -> None:
    one = LeadProfile(
        lead(first_name="Ana", language="en"),
        engagement=[Engagement("form", NOW - timedelta(days=5), "demo_request")],
        product=RELAY,
        similar_customers=["Ironstar Freight"],
    )
    two = LeadProfile(
        lead(first_name="Ben", language="en", title="Data Analyst", industry="Software", company="Byteworks"),
        engagement=[Engagement("page", NOW - timedelta(days=1), "Halyard Pulse - Dashboards and reports")],
        product=PULSE,
        similar_customers=["Quantumworks Software"],
    )
    first = first_touch(one, now=NOW, sender="Halyard Cloud")
    second = first_touch(two, now=NOW, sender="Halyard Cloud")
    assert first.body.replace("Ana", "Ben") != second.body
    assert first.subject != second.subject
    shared = set(first.body.splitlines()) & set(second.body.splitlines())
    assert len(shared) <= 5  # the ask, the sign-off and the opt-out (and blank lines): the rest differs


def test_every_cited_fact_appears_in_the_letter() -> None:
    profile = LeadProfile(
        lead(language="en", title="Head of Customer Support"),
        engagement=[Engagement("form", NOW - timedelta(days=5), "pricing_quote")],
        product=RELAY,
        similar_customers=["Ironstar Freight", "Alphagate Logistics"],
    )
    draft = first_touch(profile, now=NOW, sender="Halyard Cloud")
    assert "role: Head of Customer Support" in draft.facts
    assert "product interest: Halyard Relay" in draft.facts
    assert "similar customers: Ironstar Freight, Alphagate Logistics" in draft.facts
    assert any(fact.startswith("recent activity: filled form") for fact in draft.facts)
    assert "Head of Customer Support" in draft.body
    assert "Halyard Relay" in draft.body
    assert "Ironstar Freight, Alphagate Logistics" in draft.body
    assert "pricing quote" in draft.body
    assert "19 November 2026" in draft.body


def test_a_fact_the_profile_lacks_is_left_out_rather_than_left_blank() -> None:
    draft = first_touch(LeadProfile(lead(language="en", industry=None, title=None)), now=NOW, sender="Halyard")
    assert not any(fact.startswith(("role", "industry", "similar")) for fact in draft.facts)
    assert "{" not in draft.body and "None" not in draft.body


def test_the_letter_is_in_the_leads_language() -> None:
    german = first_touch(LeadProfile(lead(language="de"), product=RELAY), now=NOW, sender="Halyard Cloud")
    japanese = first_touch(LeadProfile(lead(language="ja"), product=RELAY), now=NOW, sender="Halyard Cloud")
    unknown = first_touch(LeadProfile(lead(language="nl")), now=NOW, sender="Halyard Cloud")
    assert german.body.startswith("Hallo Ana,") and "Logistik" in german.body
    assert japanese.body.startswith("Ana Lima様") and "物流" in japanese.body
    assert unknown.language == "en" and unknown.body.startswith("Hi Ana,")


def test_follow_ups_reply_on_the_thread_and_the_last_offers_to_close_the_loop() -> None:
    profile = LeadProfile(lead(language="en"), product=RELAY, similar_customers=["Ironstar Freight"])
    second = follow_up(profile, step=1, first_subject="Halyard Relay for Lima Logistics", sender="Halyard")
    last = follow_up(profile, step=2, first_subject="Halyard Relay for Lima Logistics", sender="Halyard")
    assert second.subject == "Re: Halyard Relay for Lima Logistics"
    assert "Ironstar Freight" in second.body
    assert "close the loop" in last.body
