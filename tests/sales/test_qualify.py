"""Qualification scores firmographics, engagement and fit, and gives a reason for every point."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cadre.sales.models import Engagement, Lead, LeadProfile, Product
from cadre.sales.qualify import qualify

NOW = datetime(2026, 11, 24, tzinfo=UTC)


def lead(**changes: object) -> Lead:
    values: dict[str, object] = {
        "lead_id": "L000001",
        "first_name": "Ana",
        "full_name": "Ana Lima",
        "email": "ana@example.com",
        "company": "Lima Logistics",
        "title": "Operations Manager",
        "industry": "Logistics",
        "employees": 250,
        "country": "PT",
        "status": "new",
        "owner_id": "U0014",
        "time_zone": "Europe/Lisbon",
        "language": "pt",
        "product_interest": None,
        "created_at": NOW - timedelta(days=2),
    }
    values.update(changes)
    return Lead(**values)  # type: ignore[arg-type]


def test_a_demo_request_and_recent_visits_outscore_a_cold_lead_and_say_why() -> None:
    cold = qualify(LeadProfile(lead()), now=NOW)
    warm = qualify(
        LeadProfile(
            lead(title="VP of Operations"),
            engagement=[
                Engagement("form", NOW - timedelta(days=3), "demo_request"),
                Engagement("page", NOW - timedelta(days=2), "Pricing", url="https://www.halyard.example/pricing"),
            ],
            product=Product("P001", "Halyard Relay", "Customer Service", "Shared inbox"),
        ),
        now=NOW,
    )
    assert warm.score > cold.score + 40
    assert warm.grade == "A"
    assert any("demo request" in reason for reason in warm.reasons)
    assert any("senior buyer" in reason for reason in warm.reasons)
    assert any("Halyard Relay" in reason for reason in warm.reasons)
    assert any("last 30 days" in reason for reason in warm.reasons)


def test_bounces_and_unsubscribes_lower_the_score() -> None:
    clean = qualify(LeadProfile(lead()), now=NOW)
    bounced = qualify(
        LeadProfile(lead(), engagement=[Engagement("email", NOW - timedelta(days=40), "Launch", event="bounce")]),
        now=NOW,
    )
    assert bounced.score < clean.score
    assert any("bounced" in reason for reason in bounced.reasons)


def test_the_score_stays_between_0_and_100() -> None:
    empty = qualify(LeadProfile(lead(title=None, industry=None, employees=None)), now=NOW)
    assert empty.score == 0
    assert empty.grade == "D"
