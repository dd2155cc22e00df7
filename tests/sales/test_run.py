"""An SDR pass over the small sample: real SMTP delivery, skips with reasons, quiet hours, idempotence, coverage."""

from __future__ import annotations

from datetime import timedelta

from cadre.observability.events import EventStore
from cadre.sales.service import SalesService
from cadre.testing.smtp import LocalSmtpServer
from tests.sales.conftest import NOW

NO_EMAIL = {"L000121", "L000128", "L000147"}  # open leads of the small sample without an address


def test_a_pass_delivers_one_first_touch_per_reachable_lead_awake_now(
    sales: SalesService, smtp: LocalSmtpServer
) -> None:
    report = sales.run(now=NOW)
    delivered = smtp.messages
    assert report["open_leads"] == 56
    assert report["emails_sent"] == report["first_touches"] == len(delivered) == report["leads_touched"]
    assert {s["lead_id"] for s in report["skipped"]} == NO_EMAIL
    assert {s["reason"] for s in report["skipped"]} == {"no e-mail address"}
    recipients = [m.recipients[0] for m in delivered]
    assert len(set(recipients)) == len(recipients)
    first = delivered[0].message
    assert first["Message-ID"].endswith("@halyard.example>")
    assert first["From"] == "Halyard Cloud <sdr@halyard.example>"


def test_a_lead_asleep_now_waits_for_its_morning(sales: SalesService, smtp: LocalSmtpServer) -> None:
    report = sales.run(now=NOW)
    waiting = {w["lead_id"]: w for w in report["waiting"]}
    assert waiting["L000010"]["reason"] == "quiet hours"  # Tokyo, midnight
    assert waiting["L000010"]["until"] == "2026-11-24T23:00:00+00:00"
    assert not smtp.to("yoichi.ota@bearland.example")
    sales.run(now=NOW + timedelta(hours=8))  # 08:00 in Tokyo
    [touch] = smtp.to("yoichi.ota@bearland.example")
    assert touch.message["Date"] == "Tue, 24 Nov 2026 23:00:00 +0000"
    assert "Yoichi Ota様" in touch.text()  # in the lead's language, Japanese


def test_running_twice_at_the_same_instant_sends_nothing_twice(sales: SalesService, smtp: LocalSmtpServer) -> None:
    first = sales.run(now=NOW)
    second = sales.run(now=NOW)
    assert first["emails_sent"] > 40
    assert second["emails_sent"] == 0
    assert len(smtp.messages) == first["emails_sent"]


def test_follow_ups_go_out_on_day_3_on_the_same_thread(sales: SalesService, smtp: LocalSmtpServer) -> None:
    sales.run(now=NOW)
    assert sales.run(now=NOW + timedelta(days=2, hours=23))["follow_ups"] == 0  # the night owls' first touches
    firsts = {m.recipients[0]: m.message for m in smtp.messages}
    smtp.clear()
    report = sales.run(now=NOW + timedelta(days=3, hours=1))
    threaded = [m for m in smtp.messages if m.message["In-Reply-To"]]
    assert report["follow_ups"] == len(threaded) > 30
    for delivered in threaded:
        original = firsts[delivered.recipients[0]]
        assert delivered.message["In-Reply-To"] == original["Message-ID"]
        assert original["Message-ID"] in delivered.message["References"]
        assert delivered.subject.endswith(str(original["Subject"]))


def test_every_reachable_lead_is_covered_within_the_sla(sales: SalesService) -> None:
    afternoon = sales.run(now=NOW)
    assert afternoon["coverage"]["share"] == 1.0
    assert afternoon["coverage"]["pending"]  # asleep now, still inside their 24 h
    evening = sales.run(now=NOW + timedelta(hours=8))
    coverage = evening["coverage"]
    assert coverage == {
        "sla_hours": 24.0,
        "eligible": 53,
        "covered": 53,
        "missed": [],
        "pending": [],
        "share": 1.0,
    }


def test_a_lead_missed_past_its_sla_lowers_coverage(sales: SalesService, smtp: LocalSmtpServer) -> None:
    smtp.refuse_next(100, "554 Transaction failed")
    sales.run(now=NOW)
    late = sales.run(now=NOW + timedelta(days=2))
    assert late["coverage"]["share"] == 0.0
    assert late["coverage"]["covered"] == 0
    assert len(late["coverage"]["missed"]) > 40


def test_a_refused_message_is_not_marked_sent_and_goes_out_on_the_next_run(
    sales: SalesService, smtp: LocalSmtpServer
) -> None:
    smtp.refuse_next(1, "554 5.7.1 Relay access denied")
    report = sales.run(now=NOW)
    assert len(report["failed"]) == 1
    assert "554" in report["failed"][0]["error"]
    failed_lead = report["failed"][0]["lead_id"]
    stored = sales.store.messages_of(failed_lead)
    assert [(m.status, m.attempts) for m in stored] == [("failed", 1)]
    again = sales.run(now=NOW + timedelta(minutes=5))
    assert again["leads_touched"] == 1 and again["emails_sent"] == 1
    assert sales.store.messages_of(failed_lead)[0].status == "sent"
    # Only mail the server took is counted: the refused touch counts once, when it finally went out.
    counted = [
        e for e in EventStore(sales.db).latest(kind="email_sent", limit=1000) if e.data["lead_id"] == failed_lead
    ]
    assert [(e.at, e.agent, e.data["kind"]) for e in counted] == [(NOW + timedelta(minutes=5), "sdr", "touch")]
    touched = EventStore(sales.db).latest(kind="lead_touched", limit=1000)
    assert len(touched) == report["emails_sent"] + 1 and all(e.person and len(e.person) == 16 for e in touched)
    retried = [m for m in smtp.messages if m.message["Message-ID"] == stored[0].message_id]
    assert len(retried) == 1  # the same Message-ID, delivered once


def test_a_transient_failure_is_retried_with_backoff(sales: SalesService, smtp: LocalSmtpServer) -> None:
    waits: list[float] = []
    mailer = sales.mailer
    mailer.sleep = waits.append  # type: ignore[attr-defined]
    mailer.backoff_s = 0.5  # type: ignore[attr-defined]
    smtp.refuse_next(1, "451 4.3.0 Try again later")
    report = sales.run(now=NOW)
    assert report["failed"] == []
    assert waits == [0.5]
    assert len(smtp.messages) == report["emails_sent"]


def test_a_new_lead_touched_for_the_first_time_becomes_working_in_the_crm(sales: SalesService) -> None:
    new = {lead.lead_id for lead in sales.reads.open_leads() if lead.status == "new"}
    report = sales.run(now=NOW)
    untouched = {item["lead_id"] for item in [*report["skipped"], *report["waiting"]]}
    assert "L000017" in new - untouched
    assert sales.reads.lead("L000017").status == "working"
    assert report["crm_updates"] == len(new - untouched) > 5
    assert {lead.lead_id for lead in sales.reads.open_leads() if lead.status == "new"} == new & untouched


def test_the_report_says_which_facts_each_email_used(sales: SalesService, smtp: LocalSmtpServer) -> None:
    report = sales.run(now=NOW)
    emails = {e["lead_id"]: e for e in report["emails"]}
    assert len(emails) == report["emails_sent"]
    jolanda = emails["L000020"]  # German, asked about Halyard Pipeline, Financial Services
    assert jolanda["language"] == "de"
    assert "product interest: Halyard Pipeline" in jolanda["facts"]
    assert "industry: Financial Services" in jolanda["facts"]
    [delivered] = smtp.to("jolanda.niemeier@stonegate-capital.example")
    assert delivered.subject == jolanda["subject"]
    assert "Halyard Pipeline" in delivered.text() and "Finanzdienstleistung" in delivered.text()
    assert all(len(e["facts"]) >= 2 for e in report["emails"])
