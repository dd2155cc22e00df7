"""Questions are answered from the sales collateral, with the source named; the demo runs the whole workflow."""

from __future__ import annotations

from pathlib import Path

from cadre.knowledge.service import KnowledgeBase
from cadre.sales.demo import reply_to, run_sales_demo
from cadre.sales.service import SalesService
from cadre.testing.smtp import LocalSmtpServer
from tests.sales.conftest import NOW

SHEET = """# Halyard Relay pricing

Halyard Relay costs 29 USD per seat per month on the Professional edition, billed monthly or yearly.
Relay integrates with Slack: conversations from a Slack channel arrive in the shared inbox.
"""


def test_a_question_is_answered_from_the_collateral(sales: SalesService, smtp: LocalSmtpServer, tmp_path: Path) -> None:
    sheet = tmp_path / "relay-pricing.md"
    sheet.write_text(SHEET, encoding="utf-8")
    knowledge = KnowledgeBase(sales.db)
    knowledge.ingest([sheet], collection="sales")
    sales.knowledge = knowledge
    sales.run(now=NOW)
    touch = smtp.to("kaitlin64@inbox.example")[0]
    outcome = sales.inbound(reply_to(touch, "How much does Halyard Relay cost per seat?"), now=NOW)
    assert outcome["outcome"] == "answered"
    assert outcome["source"] == "Halyard Relay pricing"
    answer = smtp.messages[-1].text()
    assert "29 USD per seat" in answer and "Halyard Relay pricing" in answer
    assert outcome.get("handoff") is None


def test_without_an_answer_the_question_goes_to_the_rep(sales: SalesService, smtp: LocalSmtpServer) -> None:
    sales.run(now=NOW)
    touch = smtp.to("kaitlin64@inbox.example")[0]
    outcome = sales.inbound(reply_to(touch, "Do you support on-premise deployment?"), now=NOW)
    assert outcome["outcome"] == "question_for_rep"
    assert outcome["handoff"] == {"queue": "rep:U0006", "reason": "question"}
    assert "Justin Sparks will get back to you" in smtp.messages[-1].text()


def test_the_demo_runs_every_reply_class_books_meetings_and_covers_every_lead(
    sales: SalesService, smtp: LocalSmtpServer
) -> None:
    summary = run_sales_demo(sales.settings, sales.db, sales.data, None, smtp=smtp)
    assert summary["open_leads"] == 56
    assert summary["leads_touched"] == summary["first_touches"] == 53
    assert summary["replies"] == {label: 2 for label in summary["replies"]} and len(summary["replies"]) == 6
    assert summary["meetings_booked"] == summary["invites_with_ics"] == 2
    assert summary["coverage"]["share"] == 1.0
    assert summary["follow_ups"] > 0
    assert {h["reason"] for h in summary["handoffs"]} >= {"meeting_booked"}
