"""Send a stored outbound message and record the result: `sent` only once the SMTP server has accepted it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cadre.observability.events import Event, EventKind, EventSink, person_digest
from cadre.sales.handoff import AGENT
from cadre.sales.mail import Mailer, MailNotSent, compose
from cadre.sales.store import Outbound, SalesStore


def deliver(
    store: SalesStore,
    mailer: Mailer,
    message: Outbound,
    *,
    sender: str,
    now: datetime,
    references: Sequence[str] = (),
    events: EventSink | None = None,
) -> str | None:
    """Send `message` unless it went out already; the error text when the server did not take it. A sent message
    is counted (`email_sent`, and `lead_touched` for a cadence touch) only once the server has taken it."""
    if message.status == "sent":
        return None
    email = compose(
        sender=sender,
        to=[message.to_addr],
        cc=message.cc,
        subject=message.subject,
        body=message.body,
        message_id=message.message_id,
        sent_at=now,
        in_reply_to=message.in_reply_to,
        references=references,
        calendar=message.calendar.encode() if message.calendar else None,
    )
    try:
        mailer.send(email)
    except MailNotSent as exc:
        store.mark_failed(message.key, exc.one_line())
        return exc.one_line()
    store.mark_sent(message.key, now=now)
    if events is not None:
        events.record(_sent_events(message, now))
    return None


def _sent_events(message: Outbound, now: datetime) -> list[Event]:
    kinds: list[EventKind] = ["email_sent", "lead_touched"] if message.kind == "touch" else ["email_sent"]
    return [
        Event(
            kind=kind,
            agent=AGENT,
            at=now,
            channel="email",
            language=message.language,
            person=person_digest(message.lead_id),
            data={"lead_id": message.lead_id, "kind": message.kind, "step": message.step},
        )
        for kind in kinds
    ]
