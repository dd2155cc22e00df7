"""Outbound e-mail: compose threaded messages and hand them to an SMTP server, retrying with backoff.

A send either returns (the server accepted every recipient) or raises `MailNotSent`; callers mark a message sent
only after a return, so a refused or failed message is retried by the next run, never counted twice.
"""

from __future__ import annotations

import hashlib
import re
import smtplib
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from typing import Protocol

from cadre.errors import CadreError
from cadre.settings import Settings

MAX_ID_LOCAL = 64
BACKOFF_S = 1.0  # first wait between attempts; doubled after each failure


class MailNotSent(CadreError):
    """The SMTP server refused a message, or could not be reached after every retry."""


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Deliver `message` to the server, or raise `MailNotSent`."""


@dataclass
class SmtpMailer:
    """Delivers through `smtplib`: transient failures (4xx, connection errors) are retried, refusals (5xx) not."""

    host: str
    port: int
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout_s: float = 30.0
    retries: int = 3
    backoff_s: float = BACKOFF_S
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpMailer:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            user=settings.smtp_user,
            password=password,
            starttls=settings.smtp_starttls,
            timeout_s=settings.smtp_timeout_s,
            retries=settings.smtp_retries,
        )

    def send(self, message: EmailMessage) -> None:
        wait = self.backoff_s
        for attempt in range(self.retries + 1):
            try:
                self._send_once(message)
                return
            except smtplib.SMTPResponseException as exc:
                if exc.smtp_code >= 500 or attempt == self.retries:
                    raise MailNotSent(self._why(exc)) from exc
            except smtplib.SMTPRecipientsRefused as exc:
                raise MailNotSent(f"the SMTP server refused every recipient of {message['To']!r}") from exc
            except (smtplib.SMTPException, OSError) as exc:
                if attempt == self.retries:
                    raise MailNotSent(
                        f"SMTP server {self.host}:{self.port} must be reachable, got {type(exc).__name__}: {exc}",
                        hint="check `CADRE_SMTP_HOST` and `CADRE_SMTP_PORT`",
                    ) from exc
            self.sleep(wait)
            wait *= 2

    def _send_once(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s, local_hostname=_hostname()) as client:
            if self.starttls:
                client.starttls()
            if self.user:
                client.login(self.user, self.password or "")
            refused = client.send_message(message)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)

    def _why(self, exc: smtplib.SMTPResponseException) -> str:
        reply = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"SMTP server {self.host}:{self.port} must accept the message, got {exc.smtp_code} {reply}"


def _hostname() -> str:
    # The FQDN lookup smtplib does by default can hang on machines without DNS; the name is only a greeting.
    return socket.gethostname() or "localhost"


@dataclass(frozen=True)
class Attachment:
    data: bytes
    maintype: str
    subtype: str
    filename: str
    params: dict[str, str] = field(default_factory=dict)


def compose(
    *,
    sender: str,
    to: Sequence[str],
    subject: str,
    body: str,
    message_id: str,
    sent_at: object,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    cc: Sequence[str] = (),
    calendar: bytes | None = None,
) -> EmailMessage:
    """A plain-text message with threading headers; `calendar` (an iCalendar REQUEST) goes inline and attached,
    the way calendar clients expect an invitation."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(sent_at)  # type: ignore[arg-type]
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = " ".join(references)
    message.set_content(body)
    if calendar is not None:
        message.add_alternative(calendar, maintype="text", subtype="calendar", params={"method": "REQUEST"})
        message.add_attachment(calendar, maintype="application", subtype="ics", filename="invite.ics")
    return message


def address_of(display: str) -> str:
    """The bare address in `Name <addr>` (lower case)."""
    found = getaddresses([display])
    return found[0][1].strip().lower() if found and found[0][1] else display.strip().lower()


def name_of(display: str) -> str:
    found = getaddresses([display])
    return found[0][0] if found and found[0][0] else display


def message_id(key: str, sender: str) -> str:
    """A Message-ID derived from what the message is for, so a retried send carries the same id."""
    domain = address_of(sender).rpartition("@")[2] or "cadre.local"
    local = re.sub(r"[^A-Za-z0-9-]+", ".", key).strip(".")
    if len(local) > MAX_ID_LOCAL:  # keys that embed another message's id: keep a readable head, make it unique
        local = local[:40].strip(".") + "." + hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"<{local}@{domain}>"
