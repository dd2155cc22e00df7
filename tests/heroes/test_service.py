"""The Service agent on the sample company: verification, scoping to one customer, cases, refunds, reset links."""
# ruff: noqa: RUF001
# (the agent's replies use typographic apostrophes)

from __future__ import annotations

import email
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from cadre.agents.actions import ActionContext, ActionRegistry
from cadre.agents.inbox import Inbox
from cadre.agents.registry import load_actions
from cadre.agents.runtime import Runtime, TurnRequest, TurnResult
from cadre.agents.setup import build_runtime
from cadre.agents.specs import AgentVersions
from cadre.data.service import DataService
from cadre.heroes._service_identity import Facts, Record, group_people, id_forms, resolve_customer, same_phone
from cadre.heroes._service_links import ResetLinkError, read_reset_token, sign_reset_token, signing_key
from cadre.knowledge.service import KnowledgeBase
from cadre.sample.install import deploy_sample_agents, install_sample
from cadre.settings import Settings
from cadre.store import Database, open_database
from cadre.testing.ports import free_port
from tests.hero_company import Hero

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
JOEL = "My email is joel.day@sunspark.example and my customer number is CUST-00008"
ARACELI = "Hola, mi correo es apacheco@eaglesys.example y mi teléfono es +34 696 925 161"


class Mailbox:
    """What the local SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@dataclass
class Company:
    """A private copy of the sample company (its cases are written to), with a real SMTP server beside it."""

    data: DataService
    runtime: Runtime
    actions: ActionRegistry
    mailbox: Mailbox
    settings: Settings
    db: Database
    referrals: list[tuple[str, str, str]] = field(default_factory=list)  # what actions called directly referred

    def say(self, *messages: str) -> list[TurnResult]:
        results: list[TurnResult] = []
        for message in messages:
            conversation = results[-1].conversation_id if results else None
            request = TurnRequest(
                agent="service", message=message, conversation_id=conversation, channel="web", now=NOW
            )
            results.append(self.runtime.run_turn(request))
        return results

    def context(self, **state: Any) -> ActionContext:
        return ActionContext(
            agent="service",
            conversation_id="test",
            principal="anonymous",
            purpose="support",
            language="en",
            channel="web",
            state=dict(state),
            services={"data": self.data},
            now=NOW,
            refer_to=self._refer,
        )

    def _refer(self, queue: str, reason: str, summary: str) -> int:
        self.referrals.append((queue, reason, summary))
        return len(self.referrals)

    def act(self, ctx: ActionContext, name: str, **arguments: Any) -> Any:
        outcome = self.actions.get(name).call(ctx, arguments)
        assert outcome.ok, outcome.error
        return outcome.result

    def case(self, case_id: str) -> dict[str, Any]:
        rows = self.data.get("Case", principal="role:admin", purpose="test", where={"case_id": case_id}).rows
        return rows[0]


@pytest.fixture(scope="module")
def company(hero: Hero, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Company]:
    home = tmp_path_factory.mktemp("service") / "home"
    shutil.copytree(hero.settings.resolved_home, home)
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    settings = Settings(home=home, smtp_host="127.0.0.1", smtp_port=smtp.port)
    db = open_database(settings)
    data = DataService(settings, db)
    install_sample(data, size="small", seed=7, force=True, reset_config=True)  # sources point at this copy
    actions = load_actions(["cadre.heroes.service"])
    deploy_sample_agents(AgentVersions(db, actions), ["service"])
    runtime = build_runtime(settings, db, KnowledgeBase(db), data=data, actions=actions)
    yield Company(data=data, runtime=runtime, actions=actions, mailbox=mailbox, settings=settings, db=db)
    smtp.stop()
    data.close()
    db.close()


# ------------------------------------------------------------------ who the customer is


def test_a_customer_number_verifies_and_the_customer_lives_in_the_conversation_state(company: Company) -> None:
    ctx = company.context()
    result = company.act(ctx, "verify_customer", email="Joel.Day@sunspark.example", customer_number="CUST-00008")
    assert result["verified"] is True
    assert "Joel Day" in result["message"]
    assert ctx.state["customer"]["billing_ids"] == ["CUST-00008"]
    assert ctx.state["customer"]["contact_ids"] == ["C000048"]


@pytest.mark.parametrize(
    "fact",
    [
        {"phone": "033 3530 1226"},  # the national form of the +44 number on file
        {"invoice_number": "INV-0000405"},
        {"order_number": "ORD-0000445"},
    ],
)
def test_each_kind_of_second_fact_verifies(company: Company, fact: dict[str, str]) -> None:
    ctx = company.context()
    assert company.act(ctx, "verify_customer", email="joel.day@sunspark.example", **fact)["verified"] is True


def test_a_case_number_of_the_customers_own_verifies_a_crm_contact(company: Company) -> None:
    ctx = company.context()
    result = company.act(ctx, "verify_customer", email="julien_benoit@forgedata.example", case_number="CS-000147")
    assert result["verified"] is True
    assert ctx.state["customer"]["contact_ids"] == ["C000069"]


def test_an_email_alone_asks_for_a_second_fact_and_says_nothing_personal(company: Company) -> None:
    ctx = company.context()
    result = company.act(ctx, "verify_customer", email="joel.day@sunspark.example")
    assert result == {"verified": False, "message": result["message"]}
    assert "one more detail" in result["message"]
    assert "Joel" not in result["message"]
    assert "customer" not in ctx.state


def test_an_unknown_email_and_a_wrong_fact_get_the_same_answer(company: Company) -> None:
    unknown = company.act(
        company.context(), "verify_customer", email="nobody@nowhere.example", customer_number="CUST-00008"
    )
    wrong = company.act(
        company.context(), "verify_customer", email="joel.day@sunspark.example", customer_number="CUST-00005"
    )
    assert unknown == wrong == {"verified": False, "message": wrong["message"]}


def test_another_customers_invoice_number_proves_nothing(company: Company) -> None:
    ctx = company.context()
    result = company.act(ctx, "verify_customer", email="joel.day@sunspark.example", invoice_number="INV-0000369")
    assert result["verified"] is False
    assert "customer" not in ctx.state


def test_repeated_failures_hand_the_conversation_to_a_person(company: Company) -> None:
    wrong = "My email is joel.day@sunspark.example and my customer number is CUST-0000{}"
    first, second, third = company.say(wrong.format(1), wrong.format(2), wrong.format(3))
    assert first.handoff is None and second.handoff is None
    assert "couldn’t verify" in first.reply
    assert third.handoff is not None
    assert third.handoff["reason"] == "policy_block"
    assert "Joel" not in third.reply


def test_records_of_one_email_at_one_company_are_one_person() -> None:
    twice = [
        Record("contact", "C1", "A1", "Antoine Techer", "+33 6 62 93 41 95"),
        Record("contact", "C2", "A1", "Antoine Techer"),
    ]
    resolution = resolve_customer("antoine@x.example", twice, Facts(phone="06 62 93 41 95"))
    assert resolution.outcome == "verified"
    assert resolution.customer is not None
    assert resolution.customer.contact_ids == ("C1", "C2")


def test_one_email_at_two_companies_is_ambiguous_until_a_fact_points_at_one() -> None:
    records = [
        Record("contact", "C1", "A1", "Sam Lee", "+1 555 010 2000"),
        Record("contact", "C2", "A2", "Sam Lee", "+1 555 010 2000"),
        Record("billing", "CUST-1", "A2", "Sam Lee"),
    ]
    assert len(group_people(records)) == 2
    assert resolve_customer("sam@x.example", records, Facts(phone="+1 555 010 2000")).outcome == "ambiguous"
    resolved = resolve_customer("sam@x.example", records, Facts(customer_id="CUST-1"))
    assert resolved.customer is not None
    assert resolved.customer.account_ids == ("A2",)


def test_ambiguous_identity_goes_to_a_person_not_to_a_guess(company: Company) -> None:
    ctx = company.context()
    # Two contacts carrying one email at two companies (the sample's duplicates sit at one company each).
    with sqlite3.connect(company.settings.resolved_home / "sources" / "crm.db") as crm:
        for contact_id, account_id in (("C900001", "A00001"), ("C900002", "A00002")):
            crm.execute(
                "INSERT INTO contacts (contact_id, account_id, full_name, email, phone, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    contact_id,
                    account_id,
                    "Pat Twice",
                    "shared@twice.example",
                    "+1 555 010 3000",
                    "2026-11-01T00:00:00Z",
                ),
            )
    outcome = company.actions.get("verify_customer").call(
        ctx, {"email": "shared@twice.example", "phone": "+15550103000"}
    )
    assert outcome.denied
    assert "customer" not in ctx.state


def test_phones_match_across_national_and_international_forms_but_not_on_a_few_digits() -> None:
    assert same_phone("+44 33 3530 1226", "033 3530 1226")
    assert not same_phone("1226", "1226")
    assert not same_phone("+44 33 3530 1227", "033 3530 1226")


def test_ids_are_looked_up_in_the_spellings_sources_use() -> None:
    assert "CS000045" in id_forms("CS-000045")
    assert "INV-0000042" in id_forms("inv 0000042")


# ------------------------------------------------------------------ one customer's records only


def _verified(company: Company, email_address: str, **fact: str) -> ActionContext:
    ctx = company.context()
    assert company.act(ctx, "verify_customer", email=email_address, **fact)["verified"] is True
    return ctx


def test_nothing_personal_is_said_before_verification(company: Company) -> None:
    for name, arguments in [
        ("find_invoice", {"invoice_id": "INV-0000405"}),
        ("order_status", {"order_id": "ORD-0000445"}),
        ("subscription_status", {}),
        ("open_case", {"details": "Dashboard broken"}),
        ("send_reset_link", {}),
    ]:
        result = company.act(company.context(), name, **arguments)
        assert result == {"verified": False, "message": result["message"]}, name
        assert "confirm who you are" in result["message"]


def test_a_number_asked_about_before_verification_is_the_second_fact_once_the_email_comes(company: Company) -> None:
    ctx = company.context()
    company.act(ctx, "request_refund", invoice_id="INV-0000391", reason="charged twice")
    assert "customer" not in ctx.state
    assert company.act(ctx, "verify_customer", email="manolo@forgehub.example")["verified"] is True


def test_an_invoice_of_the_verified_customer_is_shown(company: Company) -> None:
    ctx = _verified(company, "joel.day@sunspark.example", customer_number="CUST-00008")
    result = company.act(ctx, "find_invoice", invoice_id="INV-0000425")
    assert result["message"] == (
        "Invoice INV-0000425: 9,840.00 GBP, issued on 2026-10-14, due on 2026-11-13 — status: paid. "
        "It was paid on 2026-11-02."
    )


def test_another_customers_invoice_gets_the_answer_of_a_number_that_does_not_exist(company: Company) -> None:
    ctx = _verified(company, "joel.day@sunspark.example", customer_number="CUST-00008")
    theirs = company.act(ctx, "find_invoice", invoice_id="INV-0000369")  # Jessica Rocha's, 1,080.00 USD
    missing = company.act(ctx, "find_invoice", invoice_id="INV-9999999")
    assert theirs["message"].replace("INV-0000369", "N") == missing["message"].replace("INV-9999999", "N")
    assert theirs == {"found": False, "message": theirs["message"]}


def test_email_with_the_customers_own_invoice_number_verifies_and_answers_at_once(company: Company) -> None:
    ctx = company.context()
    result = company.act(ctx, "find_invoice", invoice_id="INV-0000405", email="joel.day@sunspark.example")
    assert "3,940.92 GBP" in result["message"]
    assert ctx.state["customer"]["billing_ids"] == ["CUST-00008"]


def test_order_and_subscription_status_are_the_customers_own(company: Company) -> None:
    ctx = _verified(company, "apacheco@eaglesys.example", phone="+34696925161")
    ctx.language = "es"
    order = company.act(ctx, "order_status", order_id="ORD-0000425")
    assert order["message"] == (
        "Pedido ORD-0000425 (Halyard Vault, cantidad 3): 504.00 EUR, realizado el 2026-10-04 — estado: completado."
    )
    subscriptions = company.act(ctx, "subscription_status")
    assert subscriptions["message"].splitlines() == [
        "Tus suscripciones:",
        "- SUB-000008: Halyard Vault starter, 3 licencias — activa, se renueva el 2026-12-08",
        "Tus últimos pedidos:",
        "- ORD-0000425: Halyard Vault — completado, realizado el 2026-10-04",
        "- ORD-0000337: Premium Support — cancelado, realizado el 2026-08-09",
        "- ORD-0000253: Halyard Vault — completado, realizado el 2026-05-15",
    ]
    assert company.act(ctx, "order_status", order_id="ORD-0000554")["found"] is False  # Nuri Girschner's


# ------------------------------------------------------------------ cases


def test_a_case_is_opened_for_the_customer_through_the_governed_write(company: Company) -> None:
    ctx = _verified(company, "joel.day@sunspark.example", customer_number="CUST-00008")
    result = company.act(ctx, "open_case", details="The Pulse dashboard shows no data since this morning")
    case = company.case(result["case_id"])
    assert case["account_id"] == "A00034"
    assert case["contact_id"] == "C000048"
    assert case["status"] == "new"
    assert case["subject"] == "The Pulse dashboard shows no data since this morning"
    (write,) = [
        e
        for e in company.data.audit.entries(limit=50, principal="agent:service")
        if e.operation == "write" and e.detail == f"insert case_id={result['case_id']}"
    ]
    assert (write.purpose, write.decision, write.policy) == ("support", "allowed", "service-agent-case-write")


def test_a_case_subject_is_the_problem_not_the_request(company: Company) -> None:
    ctx = _verified(company, "joel.day@sunspark.example", customer_number="CUST-00008")
    result = company.act(ctx, "open_case", details="Please open a case: scheduled exports to S3 fail every night")
    assert company.case(result["case_id"])["subject"] == "scheduled exports to S3 fail every night"


def test_a_customer_without_a_crm_account_is_referred_to_support_instead_of_getting_a_case(company: Company) -> None:
    ctx = _verified(company, "nanami.okamoto@amberwave-energy.example", customer_number="CUST-00015")
    result = company.act(ctx, "open_case", details="ダッシュボードが表示されません")
    assert result["case_id"] is None
    assert company.referrals[-1][:2] == ("support", "case_without_account")
    assert "CUST-00015" in company.referrals[-1][2]


def test_a_note_joins_the_customers_own_case_and_reopens_it(company: Company) -> None:
    ctx = _verified(company, "julien_benoit@forgedata.example", customer_number="CUST-00024")
    result = company.act(ctx, "add_to_case", case_id="CS-000079", note="Still slow this week")
    assert result["case_id"] == "CS000079"
    case = company.case("CS000079")
    assert case["description"].endswith("[2026-11-24T15:00:00Z · customer via the service agent] Still slow this week")
    assert case["status"] == "open"


def test_another_customers_case_is_neither_changed_nor_described(company: Company) -> None:
    before = company.case("CS000147")
    ctx = _verified(company, "r.soares@jadestar.example", phone="+351 655 388 438")
    result = company.act(ctx, "add_to_case", case_id="CS000147", note="Mine now")
    assert result == {
        "found": False,
        "message": "I can’t find a case CS000147 on your account. Please check the number.",
    }
    assert company.case("CS000147") == before


# ------------------------------------------------------------------ refunds


def test_a_recent_small_duplicate_charge_is_filed_for_refund(company: Company) -> None:
    ctx = _verified(company, "manolo@forgehub.example", customer_number="CUST-00028")
    result = company.act(ctx, "request_refund", invoice_id="INV-0000391", reason="We were charged twice for this")
    assert result["filed"] is True
    case = company.case(result["case_id"])
    assert case["subject"] == "Refund: duplicate charge on INV-0000391"
    assert case["account_id"] == "A00053"
    assert "refunded in full to the original card" in result["message"]


@pytest.mark.parametrize(
    ("email_address", "fact", "invoice", "reason", "problem"),
    [
        (
            "monica.delatorre@alphagate-logistics.example",
            "CUST-00010",
            "INV-0000407",
            "charged twice",
            "above the 2,500",
        ),
        (
            "annabelle.schmuck@primeford-learning.example",
            "CUST-00003",
            "INV-0000091",
            "doppelt abgebucht",
            "more than 60 days",
        ),
        ("manolo@forgehub.example", "CUST-00028", "INV-0000360", "we no longer use the seats", "not a duplicate"),
    ],
)
def test_a_refund_outside_the_agents_limits_goes_to_billing_with_a_summary(
    company: Company, email_address: str, fact: str, invoice: str, reason: str, problem: str
) -> None:
    ctx = _verified(company, email_address, customer_number=fact)
    result = company.act(ctx, "request_refund", invoice_id=invoice, reason=reason)
    assert result["filed"] is False
    assert result["referred"] == "billing"
    assert any(problem in why for why in result["why"])
    queue, reason_code, summary = company.referrals[-1]
    assert (queue, reason_code) == ("billing", "refund_approval")
    assert invoice in summary and problem in summary and reason in summary
    escalated = company.case(result["case_id"])
    assert escalated["status"] == "escalated"
    assert escalated["subject"] == f"Refund approval: {invoice}"
    assert escalated["description"] == summary


def test_a_refund_over_the_limit_waits_in_the_billing_queue_while_the_agent_keeps_helping(company: Company) -> None:
    verify = "Hola, mi correo es monica.delatorre@alphagate-logistics.example y mi número de cliente es CUST-00010"
    _, refund, after = company.say(
        verify,
        "Me habéis cobrado dos veces la factura INV-0000407, quiero un reembolso",
        "¿Cuándo se renueva mi suscripción?",
    )
    assert "equipo de facturación" in refund.reply
    assert "6,480" not in refund.reply
    (waiting,) = [h for h in Inbox(company.db).list(queue="billing") if h.conversation_id == refund.conversation_id]
    assert waiting.reason == "refund_approval"
    assert "INV-0000407, 6,480.00 USD, paid 2026-11-11: above the 2,500 USD" in waiting.summary
    assert [a["name"] for a in after.actions] == ["subscription_status"]
    assert "SUB-000014" in after.reply


def test_an_unpaid_invoice_has_nothing_to_refund(company: Company) -> None:
    ctx = _verified(company, "r.soares@jadestar.example", phone="+351 655 388 438")
    result = company.act(ctx, "request_refund", invoice_id="INV-0000549", reason="charged twice")
    assert result == {"filed": False, "message": "Invoice INV-0000549 is open, so there is no payment on it to refund."}


# ------------------------------------------------------------------ reset-access links


def test_a_reset_link_is_mailed_to_the_address_on_file_and_never_shown(company: Company) -> None:
    before = len(company.mailbox.messages)
    _, reset = company.say(JOEL, "Could you send me a link to reset my password? I'm locked out.")
    assert [a["name"] for a in reset.actions] == ["send_reset_link"]
    assert "expires in 30 minutes" in reset.reply
    (mail,) = company.mailbox.messages[before:]
    assert mail["To"] == "joel.day@sunspark.example"
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode()
    token = body.split("token=")[1].split()[0]
    assert token not in reset.reply and "token" not in reset.reply
    key = signing_key(company.settings.resolved_home)
    assert read_reset_token(key, token, now=NOW) == {"email": "joel.day@sunspark.example", "subject": "C000048"}


def test_an_unverified_person_gets_no_link(company: Company) -> None:
    before = len(company.mailbox.messages)
    (reset,) = company.say("I'm locked out of my account, please send me a password reset link")
    assert "confirm who you are" in reset.reply
    assert company.mailbox.messages[before:] == []


def test_reset_tokens_expire_and_cannot_be_forged(tmp_path: Any) -> None:
    key = signing_key(tmp_path)
    token = sign_reset_token(key, email="a@b.example", subject="C1", expires=NOW + timedelta(minutes=30))
    with pytest.raises(ResetLinkError, match="expired"):
        read_reset_token(key, token, now=NOW + timedelta(minutes=31))
    with pytest.raises(ResetLinkError, match="forged"):
        read_reset_token(signing_key(tmp_path / "other"), token, now=NOW)


# ------------------------------------------------------------------ conversations and the suite


def test_a_conversation_verifies_then_answers_in_the_customers_language(company: Company) -> None:
    verify, invoice = company.say(ARACELI, "¿Está pagada mi factura INV-0000409?")
    assert verify.topic == "account-and-access"
    assert "Araceli" in verify.reply
    assert invoice.topic == "billing"
    assert invoice.language == "es"
    assert "INV-0000409" in invoice.reply and "vencida" in invoice.reply


def test_the_shipped_suite_passes_on_the_offline_engine(company: Company, hero: Hero) -> None:
    run = hero.run_suite("service", company.runtime)
    assert len(run.results) >= 40
    assert {t for r in run.results for t in r.tags} >= {"en", "es", "fr", "de", "it", "pt", "ja"}
    failed = {r.id: r.failures for r in run.results if not r.passed}
    assert run.passed / len(run.results) >= 0.9, failed
