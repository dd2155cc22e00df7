"""The website concierge on the sample company: list prices, BANT qualification, leads for the SDR team."""
# ruff: noqa: RUF001
# (the concierge's replies use typographic apostrophes and Japanese punctuation)

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from cadre.agents.actions import ActionContext, ActionRegistry
from cadre.agents.inbox import Inbox
from cadre.agents.registry import load_actions
from cadre.agents.runtime import Runtime, TurnRequest, TurnResult
from cadre.agents.setup import build_runtime
from cadre.agents.specs import AgentVersions
from cadre.data.service import DataService
from cadre.errors import PolicyDenied
from cadre.evaluation.runner import run_suite
from cadre.evaluation.suites import load_suite
from cadre.heroes._concierge_leads import _person
from cadre.heroes._concierge_regions import named_region, region_for
from cadre.heroes._concierge_visit import Visit, declines
from cadre.knowledge.service import KnowledgeBase
from cadre.sample.install import deploy_sample_agents, install_sample
from cadre.settings import Settings
from cadre.store import Database, open_database
from tests.hero_company import SUITES, Hero

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
LEAD_FIELDS = ["lead_id", "email", "status", "source", "owner_id", "owner_team", "country", "time_zone", "language",
               "product_interest", "first_name", "company", "need", "timeline", "budget", "authority",
               "qualified_at"]  # fmt: skip


@dataclass
class Company:
    """A private copy of the sample company: the concierge writes leads, which other tests must not see."""

    data: DataService
    db: Database
    runtime: Runtime
    actions: ActionRegistry

    def say(self, *messages: str) -> list[TurnResult]:
        results: list[TurnResult] = []
        for message in messages:
            conversation = results[-1].conversation_id if results else None
            request = TurnRequest(
                agent="concierge", message=message, conversation_id=conversation, channel="web", now=NOW
            )
            results.append(self.runtime.run_turn(request))
        return results

    def leads(self, email: str) -> list[dict[str, Any]]:
        rows = self.data.get("Lead", principal="role:admin", purpose="test", fields=LEAD_FIELDS, limit=None).rows
        return [row for row in rows if str(row["email"] or "").lower() == email.lower()]

    def act(self, name: str, *, language: str = "en", state: dict[str, Any] | None = None, **arguments: Any) -> Any:
        context = ActionContext(
            agent="concierge",
            conversation_id="direct",
            principal="anonymous",
            purpose="marketing",
            language=language,
            channel="web",
            state=state if state is not None else {},
            services={"data": self.data},
            now=NOW,
        )
        outcome = self.actions.get(name).call(context, arguments)
        assert outcome.ok, outcome.error
        return outcome.result


@pytest.fixture(scope="module")
def company(hero: Hero, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Company]:
    home = tmp_path_factory.mktemp("concierge") / "home"
    shutil.copytree(hero.settings.resolved_home, home)
    settings = Settings(home=home)
    db = open_database(settings)
    data = DataService(settings, db)
    install_sample(data, size="small", seed=7, force=True, reset_config=True)  # sources point at this copy
    actions = load_actions(["cadre.heroes.concierge"])
    deploy_sample_agents(AgentVersions(db, actions), ["concierge"])
    runtime = build_runtime(settings, db, KnowledgeBase(db), data=data, actions=actions)
    yield Company(data=data, db=db, runtime=runtime, actions=actions)
    data.close()
    db.close()


# ------------------------------------------------------------------ prices


def test_prices_come_from_the_price_book_in_the_visitors_currency(company: Company) -> None:
    assert "¥6,800" in company.act("quote_prices", language="ja", question="Relayの料金は？")["message"]
    euros = company.act("quote_prices", question="How much is Pipeline Enterprise in euros?")
    assert euros["currency"] == "EUR"
    assert "Enterprise: 91 €" in euros["message"]
    assert "Starter" not in euros["message"]  # the edition asked about only


def test_a_visitor_never_sees_discount_limits_and_the_read_asks_for_list_prices_only(company: Company) -> None:
    company.act("quote_prices", question="What does Beacon cost?")
    entry = [e for e in company.data.audit.entries(principal="agent:concierge") if e.entity == "PriceBookEntry"][-1]
    assert entry.decision == "allowed"
    assert "list_price" in entry.fields and not any("discount" in field for field in entry.fields)


def test_without_a_product_named_every_product_starts_at_its_starter_price(company: Company) -> None:
    message = company.act("quote_prices", language="pt", question="Quais são os preços?")["message"]
    assert "R$ 135" in message and "R$ 75" in message  # Relay and Vault Starter in reais


# ------------------------------------------------------------------ qualification


def test_a_qualified_visitor_becomes_a_new_lead_of_their_regions_sdr_team(company: Company) -> None:
    replies = company.say(
        "Wir möchten ein Angebot für Vault",
        "Im nächsten Quartal",
        "Etwa 1.500 Euro im Monat",
        "Ich entscheide das selbst",
        "lukas.weber@brennwerk-technik.de, wir sitzen in München",
    )
    assert [r.topic for r in replies] == ["buying"] * 5
    assert "lukas.weber@brennwerk-technik.de" in replies[-1].reply
    [lead] = company.leads("lukas.weber@brennwerk-technik.de")
    assert lead | {"lead_id": "*"} == {
        "lead_id": "*",
        "email": "lukas.weber@brennwerk-technik.de",
        "status": "new",
        "source": "concierge",
        "owner_id": "U0014",  # the emea team's SDR
        "owner_team": "emea",
        "country": "DE",
        "time_zone": "Europe/Berlin",
        "language": "de",
        "product_interest": "P005",
        "first_name": "Lukas",
        "company": "Brennwerk Technik",
        "need": "Wir möchten ein Angebot für Vault",
        "timeline": "Im nächsten Quartal",
        "budget": "Etwa 1.500 Euro im Monat",
        "authority": "Ich entscheide das selbst",
        "qualified_at": "2026-11-24T15:00:00Z",
    }
    [handoff] = [h for h in Inbox(company.db).list(queue="sdr") if h.conversation_id == replies[-1].conversation_id]
    assert handoff.reason == "qualified_lead"
    assert lead["lead_id"] in handoff.summary and "Etwa 1.500 Euro im Monat" in handoff.summary
    assert replies[-1].handoff is None  # the visitor keeps talking to the concierge; the SDR writes by e-mail
    writes = [e for e in company.data.audit.entries(principal="agent:concierge") if e.operation == "write"]
    assert (writes[-1].entity, writes[-1].decision, writes[-1].detail) == (
        "Lead",
        "allowed",
        f"insert lead_id={lead['lead_id']}",
    )


def test_a_returning_visitor_updates_their_lead_instead_of_duplicating_it(company: Company) -> None:
    [before] = [lead for lead in company.leads("yoko.sato@bearland.example")]
    assert before["status"] == "nurture"
    replies = company.say(
        "Beaconのデモをお願いします", "3か月以内です", "予算は月20万円ほどです", "部長が決めます",
        "YOKO.SATO@bearland.example",
    )  # fmt: skip
    assert [r.topic for r in replies] == ["buying"] * 5
    assert "再度" in replies[-1].reply
    [after] = company.leads("yoko.sato@bearland.example")
    assert after["lead_id"] == before["lead_id"]
    assert after["status"] == "new"  # parked, and back: the SDR works it again
    assert (after["timeline"], after["authority"]) == ("3か月以内です", "部長が決めます")


def test_an_email_given_up_front_is_not_asked_for_and_the_lead_is_handed_over_once(company: Company) -> None:
    replies = company.say(
        "Hi, I'm priya.nair@lumen-analytics.io and we'd like a demo of Pulse",
        "Early next year",
        "About $20,000 a year",
        "I sign off on it",
        "Can someone from sales contact me?",
    )
    assert [r.topic for r in replies] == ["buying"] * 5
    assert "passed your answers" in replies[3].reply and "priya.nair@lumen-analytics.io" in replies[3].reply
    assert "are with our sales team" in replies[4].reply
    handoffs = [h for h in Inbox(company.db).list(queue="sdr") if h.conversation_id == replies[0].conversation_id]
    assert len(handoffs) == 1
    assert len(company.leads("priya.nair@lumen-analytics.io")) == 1


def test_a_visitor_who_declines_to_give_an_email_gets_answers_and_no_lead(company: Company) -> None:
    count = len(company.data.get("Lead", principal="role:admin", purpose="test", fields=["lead_id"]).rows)
    replies = company.say(
        "I'd like a demo",
        "A shared inbox for our support team",
        "In about six months",
        "No budget yet",
        "I decide",
        "No thanks, I'd rather not give my email",
        "How much does Relay cost?",
    )
    assert "won’t keep any contact details" in replies[5].reply
    assert "$27" in replies[6].reply
    assert len(company.data.get("Lead", principal="role:admin", purpose="test", fields=["lead_id"]).rows) == count


def test_a_malformed_address_is_asked_for_again_and_a_second_miss_counts_as_no(company: Company) -> None:
    state: dict[str, Any] = {}
    for answer in ("I want to buy Relay", "Next month", "$2,000 a month", "Me"):
        company.act("qualify", state=state, answer=answer)
    again = company.act("qualify", state=state, answer="jane at acme dot com")
    assert again["next"] == "email" and "doesn’t look like an e-mail" in again["message"]
    declined = company.act("qualify", state=state, answer="still jane at acme")
    assert declined["lead_id"] is None and "won’t keep" in declined["message"]


def test_the_concierge_may_not_write_what_its_policy_does_not_name(company: Company) -> None:
    with pytest.raises(PolicyDenied):
        company.data.insert(
            "Account", {"account_id": "A99999", "name": "Nope"}, principal="agent:concierge", purpose="marketing"
        )
    with pytest.raises(PolicyDenied):
        company.data.get("Lead", principal="agent:concierge", purpose="marketing", fields=["phone"])


def test_the_shipped_suite_passes_on_the_offline_engine(company: Company) -> None:
    run = run_suite(company.runtime, load_suite(SUITES / "concierge.yaml"), suite_name="concierge")
    failed = {r.id: r.failures for r in run.results if not r.passed}
    assert len(run.results) >= 40
    assert run.passed / len(run.results) >= 0.9, failed


# ------------------------------------------------------------------ answers, places and people (no data)


def test_answers_are_kept_in_the_visitors_words_and_an_amount_answers_the_budget_early() -> None:
    visit = Visit()
    visit.record("We want Relay for 30 agents", products=["P001"])
    assert (visit.need, visit.product_interest, visit.next_step()) == (
        "We want Relay for 30 agents",
        "P001",
        "timeline",
    )
    visit.asked = "timeline"
    visit.record("By March, and we can spend about €3,000 a month", products=[])
    assert visit.timeline == visit.budget == "By March, and we can spend about €3,000 a month"
    assert visit.next_step() == "authority"


def test_state_round_trips_through_the_conversation() -> None:
    state: dict[str, Any] = {}
    Visit(asked="budget", need="inbox", email="a@b.example").keep(state)
    assert Visit.of(state) == Visit(asked="budget", need="inbox", email="a@b.example")


@pytest.mark.parametrize(
    "message",
    ["No thanks", "I'd rather not", "Prefiero no darlo", "Non merci", "Lieber nicht", "No grazie", "Prefiro não",
     "結構です"],
)  # fmt: skip
def test_declining_is_understood_in_every_language(message: str) -> None:
    assert declines(message)


@pytest.mark.parametrize("message", ["Not sure yet, maybe Q2", "Yes, I decide", "jane@acme.example"])
def test_ordinary_answers_are_not_refusals(message: str) -> None:
    assert not declines(message)


@pytest.mark.parametrize(
    ("message", "email", "language", "team", "country"),
    [
        ("We're in Seattle", None, "en", "west", "US"),
        ("Oficina en Ciudad de México", None, "es", "west", "MX"),
        ("Wir sitzen in München", None, "de", "emea", "DE"),
        ("", "kenji@hoshizora.co.jp", "en", "apac", "JP"),  # the address's country domain
        ("", "ana@empresa.example", "pt", "east", "BR"),  # nothing said: the language's main market
        ("Estamos em Lisboa", "ana@empresa.com.br", "pt", "emea", "PT"),  # what they say beats the domain
    ],
)
def test_the_visitors_region_decides_the_sales_team(
    message: str, email: str | None, language: str, team: str, country: str
) -> None:
    region = region_for(named=named_region(message), email=email, language=language)
    assert (region.team, region.country) == (team, country)


def test_a_work_address_names_the_person_and_the_company_a_free_one_only_the_person() -> None:
    assert _person("jane.doe@acme-labs.com") == {
        "first_name": "Jane", "last_name": "Doe", "full_name": "Jane Doe", "company": "Acme Labs"
    }  # fmt: skip
    assert _person("jdoe77@gmail.com") == {"first_name": None, "last_name": None, "full_name": None, "company": None}
