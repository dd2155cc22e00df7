"""Raw e-mails as a customer's mail client writes them, for the channel tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

SUPPORT = "Halyard Support <support@halyard.example>"


def eml(
    sender: str,
    subject: str,
    body: str,
    message_id: str,
    *,
    to: str = SUPPORT,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    auto: bool = False,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(datetime(2026, 11, 2, 9, 30, tzinfo=UTC))
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = " ".join(references)
    if auto:
        message["Auto-Submitted"] = "auto-replied"
    message.set_content(body)
    return message.as_bytes()
