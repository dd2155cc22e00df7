"""Mail composition and SMTP delivery failures, against the real local server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cadre.sales.mail import MailNotSent, SmtpMailer, compose, message_id
from cadre.testing.ports import free_port
from cadre.testing.smtp import LocalSmtpServer

WHEN = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def letter(**changes: object) -> object:
    values: dict[str, object] = {
        "sender": "Halyard Cloud <sdr@halyard.example>",
        "to": ["ana@example.com"],
        "subject": "Re: Halyard Relay",
        "body": "Olá Ana",
        "message_id": "<L000001.touch.1@halyard.example>",
        "sent_at": WHEN,
        "in_reply_to": "<L000001.touch.0@halyard.example>",
        "references": ["<L000001.touch.0@halyard.example>"],
    }
    values.update(changes)
    return compose(**values)  # type: ignore[arg-type]


def test_a_delivered_message_keeps_its_threading_headers_and_text() -> None:
    with LocalSmtpServer() as smtp:
        SmtpMailer(smtp.host, smtp.port).send(letter())  # type: ignore[arg-type]
        [delivered] = smtp.messages
    assert delivered.message["Message-ID"] == "<L000001.touch.1@halyard.example>"
    assert delivered.message["In-Reply-To"] == "<L000001.touch.0@halyard.example>"
    assert delivered.message["References"] == "<L000001.touch.0@halyard.example>"
    assert delivered.text().strip() == "Olá Ana"


def test_a_permanent_refusal_is_not_retried() -> None:
    waits: list[float] = []
    with LocalSmtpServer() as smtp:
        smtp.refuse_next(5, "550 5.1.1 Mailbox unavailable")
        with pytest.raises(MailNotSent, match="550"):
            SmtpMailer(smtp.host, smtp.port, retries=3, sleep=waits.append).send(letter())  # type: ignore[arg-type]
        assert waits == [] and smtp.messages == []


def test_an_unreachable_server_is_retried_then_reported() -> None:
    closed_port = free_port()
    waits: list[float] = []
    mailer = SmtpMailer("127.0.0.1", closed_port, retries=2, backoff_s=1.0, sleep=waits.append, timeout_s=2)
    with pytest.raises(MailNotSent, match="must be reachable") as caught:
        mailer.send(letter())  # type: ignore[arg-type]
    assert waits == [1.0, 2.0]
    assert caught.value.hint == "check `CADRE_SMTP_HOST` and `CADRE_SMTP_PORT`"


def test_message_ids_are_stable_and_valid_for_long_keys() -> None:
    key = "L000001:reply:<CAF=very+long.reply-id.from.a.mail.client.that.goes.on@mail.example.com>"
    first = message_id(key, "Halyard Cloud <sdr@halyard.example>")
    assert first == message_id(key, "Halyard Cloud <sdr@halyard.example>")
    local = first[1:-1].split("@")[0]
    assert len(local) <= 64 and ".." not in local and first.endswith("@halyard.example>")
