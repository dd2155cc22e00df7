"""The Seller assistant on the sample company: prices and approvals, account answers under the seller's own
policy, refusals across teams, and its suite."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from cadre.agents.actions import ActionContext, ActionOutcome
from cadre.agents.registry import load_actions
from cadre.heroes import seller
from cadre.heroes._seller_accounts import match_account
from cadre.heroes._seller_facts import AccountFacts
from cadre.heroes._seller_health import assess_health
from tests.hero_company import Hero

NOW = datetime(2026, 11, 24, 15, tzinfo=UTC)
MARK = "user:U0008"  # seller, west team; manager Carol Warren (U0007)
CAROL = "user:U0007"  # sales manager, west team


def call(hero: Hero, action: str, principal: str, language: str = "en", **arguments: Any) -> ActionOutcome:
    context = ActionContext(
        agent="seller_assistant",
        conversation_id="test",
        principal=principal,
        purpose="sales",
        language=language,
        channel="api",
        services={"data": hero.data},
        now=NOW,
    )
    return seller.registry.get(action).call(context, arguments)


def audited_since(hero: Hero, seq: int) -> list[tuple[str, str]]:
    return [(row.principal, row.entity) for row in hero.data.audit.entries(limit=None) if row.seq > seq]


def last_seq(hero: Hero) -> int:
    entries = hero.data.audit.entries(limit=1)
    return entries[-1].seq if entries else 0


# ------------------------------------------------------------------ pricing and approvals


def test_a_discount_above_the_sellers_band_names_their_manager(hero: Hero) -> None:
    outcome = call(hero, "quote_price", MARK, product="Relay Professional, 12% for 20 seats")
    assert outcome.ok, outcome.error
    (line,) = outcome.result["lines"]
    assert (line["list_price"], line["seller_max_discount"], line["manager_max_discount"]) == (45.0, 0.1, 0.25)
    assert (line["decision"], line["approver"], line["net_price"]) == ("manager_approval", "Carol Warren", 39.6)
    assert "USD 792.00" in outcome.result["message"]  # 20 seats at the discounted price


def test_a_discount_within_the_band_needs_nobody(hero: Hero) -> None:
    outcome = call(hero, "quote_price", MARK, product="Pipeline Professional", discount_percent=8)
    (line,) = outcome.result["lines"]
    assert (line["decision"], line["approver"]) == ("seller_may_give", None)


def test_above_the_manager_band_nobody_can_approve(hero: Hero) -> None:
    outcome = call(hero, "quote_price", MARK, product="Pipeline Enterprise 40% off in EUR")
    (line,) = outcome.result["lines"]
    assert (line["currency"], line["decision"], line["approver"]) == ("EUR", "not_available", None)
    assert "nobody can approve" in outcome.result["message"]


def test_a_sales_manager_approves_up_to_the_manager_band(hero: Hero) -> None:
    within = call(hero, "quote_price", CAROL, product="Beacon Professional 20%").result["lines"][0]
    above = call(hero, "quote_price", CAROL, product="Beacon Professional 30%").result["lines"][0]
    assert (within["decision"], above["decision"]) == ("seller_may_give", "not_available")


def test_add_ons_are_list_price_for_sellers(hero: Hero) -> None:
    outcome = call(hero, "quote_price", MARK, product="Premium Support 5%")
    (line,) = outcome.result["lines"]
    assert (line["seller_max_discount"], line["decision"], line["approver"]) == (
        0.0,
        "manager_approval",
        "Carol Warren",
    )
    assert "list price only" in outcome.result["message"]


def test_without_an_edition_every_edition_is_quoted_in_the_sellers_language(hero: Hero) -> None:
    outcome = call(hero, "quote_price", "user:U0017", "ja", product="Vault を円で")
    assert [line["edition"] for line in outcome.result["lines"]] == ["starter", "professional", "enterprise"]
    assert {line["currency"] for line in outcome.result["lines"]} == {"JPY"}
    assert "Brian Lee の承認が必要" in outcome.result["message"]


def test_an_unknown_product_is_asked_about_in_the_sellers_language(hero: Hero) -> None:
    outcome = call(hero, "quote_price", "user:U0013", "de", product="Was kostet der Halyard Toaster?")
    assert outcome.ok and outcome.result["refused"] == "no_product"
    assert outcome.result["message"].startswith("Welches Produkt meinen Sie? Im Preisbuch stehen: Relay, Pipeline")


def test_only_sellers_are_served(hero: Hero) -> None:
    outcome = call(hero, "quote_price", "user:U0006", product="Relay Starter")  # an SDR
    assert not outcome.ok and "serves seller or sales_managers" in (outcome.error or "")


# ------------------------------------------------------------------ accounts, within and across teams


def test_own_account_deals_are_read_as_the_seller_and_cases_only_after(hero: Hero) -> None:
    before = last_seq(hero)
    outcome = call(hero, "open_opportunities", "user:U0009", account="What's open at Truepath Health?")
    assert [o["opportunity_id"] for o in outcome.result["opportunities"]] == ["OP00005", "OP00033", "OP00025"]
    reads = audited_since(hero, before)
    assert ("user:U0009", "Opportunity") in reads
    first_case = reads.index(("agent:seller_assistant", "Case"))
    assert reads.index(("user:U0009", "Account")) < first_case


def test_another_teams_account_is_refused_and_nothing_of_it_is_read(hero: Hero) -> None:
    before = last_seq(hero)
    outcome = call(hero, "open_opportunities", MARK, account="open deals at Titansmith?")
    assert outcome.ok  # a refusal in words, not a failure the runtime would hand off
    assert outcome.result == {
        "refused": "another_team",
        "message": "That account belongs to another team (Titansmith): I can't share its data with you.",
    }
    assert {entity for _, entity in audited_since(hero, before)} == {"User", "Account"}


def test_contacts_are_masked_for_sellers_and_not_for_their_manager(hero: Hero) -> None:
    masked = call(hero, "account_contacts", MARK, account="Rapidlight Software").result["contacts"]
    plain = call(hero, "account_contacts", CAROL, account="Rapidlight Software").result["contacts"]
    assert {c["email"] for c in masked} == {
        "p***@rapidlight-software.example",
        "t***@rapidlight-software.example",
        "a***@rapidlight-software.example",
    }
    assert "pcontreras@rapidlight-software.example" in {c["email"] for c in plain}


def test_a_follow_up_without_a_name_means_the_last_account(hero: Hero) -> None:
    context = ActionContext("seller_assistant", "t", "user:U0009", "sales", "en", "api", services={"data": hero.data})
    action = seller.registry.get
    assert action("account_summary").call(context, {"account": "Truepath Health"}).ok
    touches = action("last_touches").call(context, {"account": "and when did we last touch them?"})
    assert touches.result["account_id"] == "A00008"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("A00015", "A00015"), ("a-00015 please", "A00015"), ("Trueway の最近のケース", "A00015"), ("truepath?", "A00008")],
)
def test_accounts_are_found_by_id_name_or_distinctive_word(text: str, expected: str) -> None:
    rows = [{"account_id": "A00015", "name": "Trueway"}, {"account_id": "A00008", "name": "Truepath Health"}]
    found = match_account(text, rows)
    assert found is not None and found["account_id"] == expected


def test_a_word_two_accounts_share_names_neither() -> None:
    rows = [
        {"account_id": "A00001", "name": "Primeford Learning"},
        {"account_id": "A00014", "name": "Terravale Learning"},
    ]
    assert match_account("learning", rows) is None


# ------------------------------------------------------------------ health


def test_health_is_the_worst_reason_with_its_sources() -> None:
    facts = AccountFacts(
        account={"account_id": "A1", "name": "Acme"},
        subscriptions=[
            {"subscription_id": "S1", "product_id": "P1", "status": "past_due", "renews_at": "2027-06-01T00:00:00Z"},
            {"subscription_id": "S2", "product_id": "P2", "status": "active", "renews_at": "2026-12-10T00:00:00Z"},
        ],
        products={"P1": "Halyard Relay", "P2": "Halyard Pulse"},
    )
    health = assess_health(facts, NOW)
    assert health.status == "at_risk"
    assert [(r.level, r.text, r.sources) for r in health.reasons] == [
        ("risk", "Halyard Relay subscription is past due", ("Subscription S1",)),
        ("watch", "Halyard Pulse renews on 2026-12-10", ("Subscription S2",)),
        ("good", "1 active subscription(s)", ("Subscription S2",)),
    ]


def test_a_stalled_deal_is_watched_and_no_signals_is_healthy() -> None:
    stalled = {
        "opportunity_id": "O1",
        "name": "Acme - Relay",
        "stage": "proposal",
        "close_date": "2027-03-01",
        "updated_at": "2026-08-01T00:00:00Z",
    }
    assert assess_health(AccountFacts(account={}, opportunities=[stalled]), NOW).status == "watch"
    assert assess_health(AccountFacts(account={}), NOW).status == "healthy"


# ------------------------------------------------------------------ the suite


def test_the_suite_passes_on_the_offline_engine(hero: Hero) -> None:
    runtime = hero.runtime(actions=load_actions(["cadre.heroes.seller"]), agents=["seller_assistant"])
    run = hero.run_suite("seller_assistant", runtime)
    failed = [r.id for r in run.results if not r.passed]
    assert len(run.results) >= 40
    assert len(failed) / len(run.results) <= 0.1, failed
    refusals = [r for r in run.results if "refusal" in r.tags]
    assert refusals and all(r.passed for r in refusals)
