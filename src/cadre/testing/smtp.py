"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for tests and the demo.

`refuse_next(n, code)` makes the next `n` messages fail with an SMTP reply, to exercise retries and refusals.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

from cadre.testing.ports import free_port


@dataclass(frozen=True)
class Delivered:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    def text(self) -> str:
        """The plain-text body."""
        part = self.message.get_body(preferencelist=("plain",))
        return str(part.get_content()) if part is not None else ""

    def calendar(self) -> bytes | None:
        """The iCalendar invitation carried by the message, if any."""
        for part in self.message.walk():
            if part.get_content_type() == "text/calendar":
                payload = part.get_payload(decode=True)
                return payload if isinstance(payload, bytes) else None
        return None


@dataclass
class _Handler:
    received: list[Delivered] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)  # replies for the next messages, consumed in order
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.refusals:
                return self.refusals.pop(0)
            message = message_from_bytes(envelope.content, policy=email_policy.default)
            assert isinstance(message, EmailMessage)
            self.received.append(Delivered(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class LocalSmtpServer:
    """`with LocalSmtpServer() as smtp:` then point `CADRE_SMTP_HOST/PORT` at `smtp.host`/`smtp.port`."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        self._handler = _Handler()
        self._controller = Controller(self._handler, hostname=host, port=self.port)

    def __enter__(self) -> LocalSmtpServer:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    @property
    def messages(self) -> list[Delivered]:
        with self._handler.lock:
            return list(self._handler.received)

    def clear(self) -> None:
        with self._handler.lock:
            self._handler.received.clear()

    def refuse_next(self, count: int = 1, reply: str = "554 Transaction failed") -> None:
        """The next `count` messages get `reply` (a 4xx is transient, a 5xx a refusal) instead of delivery."""
        with self._handler.lock:
            self._handler.refusals.extend([reply] * count)

    def to(self, address: str) -> list[Delivered]:
        """Messages delivered to `address` (any case)."""
        wanted = address.lower()
        return [m for m in self.messages if wanted in (r.lower() for r in m.recipients)]
