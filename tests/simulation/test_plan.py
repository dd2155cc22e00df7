"""The day's plan: the same for a seed, and even a short day shows every language, channel and agent."""

from __future__ import annotations

import pytest

from cadre.errors import ConfigError
from cadre.simulation import LANGUAGES, Cast, plan_day
from cadre.simulation.plan import SHOWCASE, Incident


def test_the_plan_is_the_same_for_a_seed_and_another_for_another_seed(cast: Cast) -> None:
    first = plan_day(cast, conversations=60, seed=3)
    assert plan_day(cast, conversations=60, seed=3) == first
    assert plan_day(cast, conversations=60, seed=4) != first
    assert [visit.number for visit in first] == list(range(1, 61))
    assert [visit.at for visit in first] == sorted(visit.at for visit in first)


def test_a_short_day_covers_every_language_channel_and_agent(cast: Cast) -> None:
    visits = plan_day(cast, conversations=30, seed=1)
    assert {visit.language for visit in visits} == set(LANGUAGES)
    assert {visit.channel for visit in visits} == {"web", "api", "email", "slack"}
    assert {visit.agent for visit in visits} == {"service", "concierge", "seller_assistant", "sdr"}
    kinds = {visit.kind for visit in visits}
    assert {"human", "injection", "refund", "follow_up", "buying"} <= kinds


def test_visits_name_real_customers_and_sellers(cast: Cast) -> None:
    visits = plan_day(cast, conversations=200, seed=5)
    emails = {c.email for c in cast.customers} | {c.email for c in cast.contacts}
    verifying = [v for v in visits if v.kind in ("invoice", "order", "refund", "case", "reset")]
    assert verifying and all(v.author in emails and v.author in v.messages[0].text for v in verifying)
    sellers = {f"user:{s.user_id}" for s in cast.sellers}
    assert {v.principal for v in visits if v.agent == "seller_assistant"} <= sellers
    assert all(v.principal.startswith("lead:") for v in visits if v.agent == "sdr")
    # A known person writes in once a day per agent: a second visit would continue their first conversation.
    known = [(v.agent, v.person_id) for v in visits if v.person_id]
    assert known and len(known) == len(set(known))


def test_the_seller_assistant_hears_only_its_languages(cast: Cast) -> None:
    visits = plan_day(cast, conversations=200, seed=2, languages=("fr", "de"))
    assert {v.language for v in visits if v.agent != "seller_assistant"} == {"fr", "de"}
    assert {v.language for v in visits if v.agent == "seller_assistant"} == {"de"}


@pytest.mark.parametrize(
    ("conversations", "languages", "message"),
    [(0, LANGUAGES, "conversations must be at least 1, got 0"), (5, ("en", "xx"), "languages must be a non-empty")],
)
def test_a_bad_day_is_refused(cast: Cast, conversations: int, languages: tuple[str, ...], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        plan_day(cast, conversations=conversations, seed=1, languages=languages)


def test_an_incident_turns_its_share_of_service_visits_in_its_stretch_into_outage_reports(cast: Cast) -> None:
    whole_day = Incident(start_minute=0, end_minute=24 * 60, share=1.0)
    visits = plan_day(cast, conversations=60, seed=3, incident=whole_day)
    service = [v for v in visits if v.agent == "service"]
    showcase = len(SHOWCASE["service"])
    outages = [v for v in service if v.kind == "outage"]
    assert len(outages) == len(service) - showcase  # every visit but the showcase ones
    assert all((len(v.messages) == 2 and v.rating is None) or v.rating.csat <= 4 for v in outages)
    assert {v.kind for v in visits if v.agent != "service"}.isdisjoint({"outage"})
    assert not [v for v in plan_day(cast, conversations=60, seed=3) if v.kind == "outage"]
    with pytest.raises(ConfigError, match="an incident must span"):
        Incident(start_minute=600, end_minute=500, share=0.5)
