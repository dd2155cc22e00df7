"""Send a stored outbound message and record the result: `sent` only once the SMTP server has accepted it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

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
) -> str | None:
    """Send `message` unless it went out already; the error text when the server did not take it."""
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
    return None
