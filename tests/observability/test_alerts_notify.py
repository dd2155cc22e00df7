"""Notifications of a new incident: a webhook on a real HTTP server on 127.0.0.1, e-mail through a real SMTP server;
failures are kept on the incident and never raised."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from cadre.observability.alerts import parse_rules
from cadre.observability.incidents import AlertWorker, Incident
from cadre.observability.notify import Notifications, WebhookNotifier
from cadre.observability.window import Window
from cadre.sales.mail import SmtpMailer
from cadre.settings import Settings
from cadre.store import Database, open_database
from cadre.testing.ports import free_port
from cadre.testing.smtp import LocalSmtpServer

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
RULES = parse_rules(
    """
rules:
  - name: errors
    agent: service
    metric: error_rate
    op: ">"
    threshold: 0.05
    window: 15m
    severity: critical
    notify: [console, webhook, email]
"""
)


@dataclass
class Receiver:
    """A webhook receiver: keeps each JSON body, answers with `status`."""

    status: int = 200
    bodies: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            state.bodies.append(json.loads(self.rfile.read(length)))
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/hooks/cadre"
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def smtp() -> Iterator[LocalSmtpServer]:
    with LocalSmtpServer() as server:
        yield server


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(Settings(home=tmp_path / "home"))
    yield database
    database.close()


class Errors:
    def value(self, metric: str, window: Window) -> float | None:
        return 0.2 if metric == "error_rate" else None


def settings(tmp_path: Path, **values: Any) -> Settings:
    return Settings(home=tmp_path / "home", **values)


def open_incident(db: Database, notifications: Notifications) -> Incident:
    worker = AlertWorker(db, rules=lambda: RULES, reader=Errors(), notifications=notifications)
    [incident] = worker.run_once(NOW).opened
    return incident


def mailer(smtp: LocalSmtpServer) -> SmtpMailer:
    return SmtpMailer(smtp.host, smtp.port, retries=0, backoff_s=0.0, sleep=lambda _: None)


def test_a_new_incident_is_posted_to_the_webhook_and_mailed(
    db: Database, receiver: Receiver, smtp: LocalSmtpServer, tmp_path: Path
) -> None:
    configured = settings(tmp_path, alert_webhook_url=receiver.url, alert_email_to="oncall@halyard.example, ops@x.io")
    incident = open_incident(db, Notifications.from_settings(configured, mailer=mailer(smtp)))
    [body] = receiver.bodies
    assert body["text"].startswith("[critical] service: errors (error_rate 0.2;")
    assert body["incident"]["id"] == incident.id
    assert body["incident"]["evidence"]["reason"] == "error_rate is 0.2, > 0.05 over the last 15m"
    assert body["console_path"] == f"/incidents/{incident.id}"
    [mail] = smtp.messages
    assert sorted(mail.recipients) == ["oncall@halyard.example", "ops@x.io"]
    assert mail.subject.strip() == body["text"]  # a long subject is folded onto its own line
    assert f"cadre incidents ack {incident.id}" in mail.text()
    assert [(n["channel"], n["ok"]) for n in incident.notifications] == [
        ("console", True),
        ("webhook", True),
        ("email", True),
    ]
    assert incident.notifications[1]["detail"] == f"HTTP 200 from {receiver.url}"


def test_failed_deliveries_are_kept_on_the_incident_and_not_raised(
    db: Database, receiver: Receiver, smtp: LocalSmtpServer, tmp_path: Path
) -> None:
    receiver.status = 500
    smtp.refuse_next(1, "554 Mailbox unavailable")
    configured = settings(tmp_path, alert_webhook_url=receiver.url, alert_email_to="oncall@halyard.example")
    incident = open_incident(db, Notifications.from_settings(configured, mailer=mailer(smtp)))
    webhook, email = incident.notifications[1:]
    assert (webhook["ok"], webhook["detail"]) == (False, f"alert webhook {receiver.url} must answer 2xx, got HTTP 500")
    assert email["ok"] is False and "554 Mailbox unavailable" in email["detail"]
    assert smtp.messages == []


def test_an_unreachable_webhook_and_missing_settings_are_reported(db: Database, tmp_path: Path) -> None:
    nobody = f"http://127.0.0.1:{free_port()}/hook"
    incident = open_incident(db, Notifications({"webhook": WebhookNotifier(nobody, timeout_s=5)}))
    webhook, email = incident.notifications[1:]
    assert webhook["ok"] is False
    assert webhook["detail"].startswith(f"alert webhook {nobody} must be reachable, got ConnectError")
    assert "(check `CADRE_ALERT_WEBHOOK_URL`)" in webhook["detail"]
    assert email == {**email, "ok": False, "detail": "the rule asks for email and `CADRE_ALERT_EMAIL_TO` is not set"}


def test_only_new_incidents_notify(db: Database, receiver: Receiver, tmp_path: Path) -> None:
    notifications = Notifications.from_settings(settings(tmp_path, alert_webhook_url=receiver.url))
    worker = AlertWorker(db, rules=lambda: RULES, reader=Errors(), notifications=notifications)
    worker.run_once(NOW)
    worker.run_once(NOW)
    assert len(receiver.bodies) == 1
