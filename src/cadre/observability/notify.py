"""Telling people about a new incident: the console lists it (and counts the unread), a webhook gets it as JSON,
an e-mail goes to the on-call addresses. A delivery that fails is logged and kept on the incident, never raised:
the incident is already stored, and the console shows it whatever the other channels do."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from cadre.errors import CadreError
from cadre.observability.alerts import Channel
from cadre.observability.incidents import Incident
from cadre.settings import Settings

if TYPE_CHECKING:  # the sales part loads its whole SDR workflow on import: only e-mail notifications pay for it
    from cadre.sales.mail import Mailer

logger = logging.getLogger(__name__)

CONSOLE_DETAIL = "listed in the console"


class NotificationFailed(CadreError):
    """A webhook or a mail server did not take the notification."""


@dataclass(frozen=True)
class Notice:
    """One delivery attempt of one incident on one channel."""

    channel: Channel
    ok: bool
    detail: str
    at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"channel": self.channel, "ok": self.ok, "detail": self.detail, "at": self.at.isoformat()}


class Notifier(Protocol):
    def send(self, incident: Incident) -> str:
        """Deliver the incident; return what happened in a few words, or raise `NotificationFailed`."""


def summary(incident: Incident) -> str:
    """One line for a chat message or a subject."""
    value = f"{incident.value:.4g}" if incident.value is not None else "no value"
    return f"[{incident.severity}] {incident.agent}: {incident.rule} ({incident.metric} {value}; {incident.condition})"


def payload(incident: Incident) -> dict[str, Any]:
    """What the webhook receives. `text` is what chat tools' incoming webhooks display."""
    body = incident.to_json()
    body.pop("entries")
    body.pop("notifications")
    return {"text": summary(incident), "incident": body, "console_path": f"/incidents/{incident.id}"}


@dataclass
class WebhookNotifier:
    url: str
    timeout_s: float = 5.0
    transport: httpx.BaseTransport | None = None  # tests may hand in a mock transport; a real one by default

    def send(self, incident: Incident) -> str:
        try:
            with httpx.Client(timeout=self.timeout_s, transport=self.transport) as client:
                response = client.post(self.url, json=payload(incident))
        except httpx.HTTPError as exc:
            raise NotificationFailed(
                f"alert webhook {self.url} must be reachable, got {type(exc).__name__}: {exc}",
                hint="check `CADRE_ALERT_WEBHOOK_URL`",
            ) from exc
        if not response.is_success:
            raise NotificationFailed(f"alert webhook {self.url} must answer 2xx, got HTTP {response.status_code}")
        return f"HTTP {response.status_code} from {self.url}"


@dataclass
class EmailNotifier:
    mailer: Mailer
    sender: str
    to: Sequence[str]
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def send(self, incident: Incident) -> str:
        from cadre.sales.mail import compose, message_id

        evidence = incident.evidence
        lines = [
            f"Incident {incident.id} opened at {incident.opened_at:%Y-%m-%d %H:%M} UTC.",
            "",
            f"Agent:     {incident.agent}",
            f"Rule:      {incident.rule} ({incident.severity})",
            f"Condition: {incident.condition}",
            f"Now:       {evidence.get('reason', '')}",
            "",
            "Conversations to read:",
            *[f"  /conversations/{c['id']} ({c['why']})" for c in evidence.get("conversations", [])],
            "",
            f"Acknowledge and resolve it in the console at /incidents/{incident.id}, "
            f"or `cadre incidents ack {incident.id}`.",
        ]
        message = compose(
            sender=self.sender,
            to=list(self.to),
            subject=summary(incident),
            body="\n".join(lines) + "\n",
            message_id=message_id(f"incident-{incident.id}", self.sender),
            sent_at=self.clock(),
        )
        self.mailer.send(message)  # raises MailNotSent, a CadreError
        return f"sent to {', '.join(self.to)}"


class Notifications:
    """The configured notifiers, by channel; `send` tries each channel a rule names and reports every attempt."""

    def __init__(
        self, notifiers: Mapping[Channel, Notifier], *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._notifiers = dict(notifiers)
        self._clock = clock

    @classmethod
    def from_settings(cls, settings: Settings, *, mailer: Mailer | None = None) -> Notifications:
        notifiers: dict[Channel, Notifier] = {}
        if settings.alert_webhook_url:
            notifiers["webhook"] = WebhookNotifier(settings.alert_webhook_url, settings.alert_webhook_timeout_s)
        recipients = [part.strip() for part in (settings.alert_email_to or "").split(",") if part.strip()]
        if recipients:
            from cadre.sales.mail import SmtpMailer

            sender = mailer or SmtpMailer.from_settings(settings)
            notifiers["email"] = EmailNotifier(sender, settings.mail_from, recipients)
        return cls(notifiers)

    def send(self, incident: Incident, channels: Sequence[Channel]) -> list[Notice]:
        notices = []
        for channel in dict.fromkeys(channels):
            if channel == "console":
                notices.append(Notice(channel, True, CONSOLE_DETAIL, self._clock()))
                continue
            notifier = self._notifiers.get(channel)
            if notifier is None:
                setting = "CADRE_ALERT_WEBHOOK_URL" if channel == "webhook" else "CADRE_ALERT_EMAIL_TO"
                detail = f"the rule asks for {channel} and `{setting}` is not set"
                notices.append(Notice(channel, False, detail, self._clock()))
                logger.warning("incident %s: %s", incident.id, detail)
                continue
            notices.append(self._attempt(channel, notifier, incident))
        return notices

    def _attempt(self, channel: Channel, notifier: Notifier, incident: Incident) -> Notice:
        try:
            detail = notifier.send(incident)
        except CadreError as exc:
            logger.warning("incident %s: %s notification failed: %s", incident.id, channel, exc.one_line())
            return Notice(channel, False, exc.one_line(), self._clock())
        except Exception as exc:  # a notifier's own bug must not stop the others, nor the worker
            logger.exception("incident %s: %s notification failed", incident.id, channel)
            return Notice(channel, False, f"{type(exc).__name__}: {exc}", self._clock())
        return Notice(channel, True, detail, self._clock())
