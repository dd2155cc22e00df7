"""The SDR part of `cadre demo`: a full pass over the sample company's leads at a fixed time, replies of every
kind fed back as e-mail through the inbound path, meetings booked, follow-ups three days later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from hashlib import sha256
from typing import Any

from cadre.agents.inbox import Inbox
from cadre.data.service import DataService
from cadre.knowledge.service import KnowledgeBase
from cadre.sales.mail import SmtpMailer
from cadre.sales.models import REPLY_CLASSES
from cadre.sales.personalise import lead_language
from cadre.sales.sample_replies import SAMPLE_REPLIES
from cadre.sales.service import SalesService
from cadre.settings import Settings
from cadre.store import Database
from cadre.testing.smtp import Delivered, LocalSmtpServer

DEMO_NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # the sample company's "today", mid-afternoon in Europe
REPLIES_PER_CLASS = 2


def run_sales_demo(
    settings: Settings,
    db: Database,
    data: DataService,
    kb: KnowledgeBase | None,
    *,
    smtp: LocalSmtpServer | None = None,
    now: datetime = DEMO_NOW,
) -> dict[str, Any]:
    """Run the SDR on the sample company against a local SMTP server and summarise what happened."""
    if smtp is None:
        with LocalSmtpServer() as server:
            return run_sales_demo(settings, db, data, kb, smtp=server, now=now)
    service = SalesService(settings, db, data, SmtpMailer(smtp.host, smtp.port, retries=1, backoff_s=0.1), kb)
    afternoon = service.run(now=now)
    # Eight hours later it is morning in Tokyo and Sydney: the leads quiet hours held back get their first touch.
    evening = service.run(now=now + timedelta(hours=8))
    first_touches = [m for m in smtp.messages if m.message["In-Reply-To"] is None]
    replies = _replies(service, first_touches, now=now + timedelta(hours=9))
    follow_up = service.run(now=now + timedelta(days=3, hours=1))
    handoffs = Inbox(db).list()
    return {
        "now": now.isoformat(),
        "open_leads": afternoon["open_leads"],
        "leads_touched": len(service.store.first_touches()),
        "emails_delivered": len(smtp.messages),
        "first_touches": afternoon["first_touches"] + evening["first_touches"],
        "follow_ups": follow_up["follow_ups"],
        "skipped": afternoon["skipped"],
        "replies": {label: sum(1 for r in replies if r.get("classification") == label) for label in REPLY_CLASSES},
        "reply_outcomes": [
            {"lead_id": r.get("lead_id"), "classification": r.get("classification"), "outcome": r["outcome"]}
            for r in replies
        ],
        "meetings_booked": follow_up["meetings_booked"],
        "invites_with_ics": sum(1 for m in smtp.messages if m.calendar() is not None),
        "handoffs": [{"queue": h.queue, "reason": h.reason} for h in handoffs],
        "coverage": evening["coverage"],
    }


def _replies(service: SalesService, touches: list[Delivered], *, now: datetime) -> list[dict[str, Any]]:
    """REPLIES_PER_CLASS replies of each class, each in its lead's language, as .eml through the inbound path."""
    leads = {lead.email.lower(): lead for lead in service.reads.open_leads() if lead.email}  # read before replies
    outcomes = []
    ordered = sorted(touches, key=lambda m: str(m.message["Message-ID"]))
    for index, touch in enumerate(ordered[: REPLIES_PER_CLASS * len(REPLY_CLASSES)]):
        label = REPLY_CLASSES[index % len(REPLY_CLASSES)]
        lead = leads[touch.recipients[0].lower()]
        text = SAMPLE_REPLIES[label][lead_language(lead)]
        outcomes.append(service.inbound(reply_to(touch, text, number=index), now=now))
    return outcomes


def reply_to(touch: Delivered, text: str, *, number: int = 0, auto: bool = False) -> bytes:
    """The .eml a lead's mail client writes when answering `touch`: threaded, with the original quoted."""
    original = touch.message
    message = EmailMessage()
    message["From"] = str(original["To"])
    message["To"] = str(original["From"])
    message["Subject"] = f"Re: {original['Subject']}"
    message["Message-ID"] = f"<reply-{number}.{sha256(text.encode()).hexdigest()[:12]}@lead.example>"
    message["In-Reply-To"] = str(original["Message-ID"])
    message["References"] = str(original["Message-ID"])
    if auto:
        message["Auto-Submitted"] = "auto-replied"
    quoted = "\n".join(f"> {line}" for line in touch.text().splitlines())
    message.set_content(f"{text}\n\nOn {original['Date']}, {original['From']} wrote:\n{quoted}\n")
    return bytes(message)
