"""The SMTP server refuses or is down during an SDR pass: sends are retried with growing waits, nothing the server
did not take is marked sent or counted, and the next pass delivers each message once.

Already pinned in tests/sales: a 5xx refusal is not marked sent and goes out next pass with the same Message-ID
(test_run.py), one 4xx is retried after a backoff (test_run.py), 5xx is never retried and an unreachable server
is retried then reported (test_mail.py). Here: a whole pass with the server down, and 4xx past every retry.
"""

from __future__ import annotations

from datetime import timedelta

from cadre.observability.events import EventStore
from cadre.sales.service import SalesService
from cadre.testing.ports import free_port
from cadre.testing.smtp import LocalSmtpServer
from tests.sales.conftest import NOW


def sent_events(sales: SalesService) -> list[str]:
    """The leads an `email_sent` event was counted for, sorted."""
    return sorted(e.data["lead_id"] for e in EventStore(sales.db).latest(kind="email_sent", limit=1000))


def test_a_pass_while_the_smtp_server_is_down_sends_nothing_and_the_next_pass_sends_each_once(
    sales: SalesService, smtp: LocalSmtpServer
) -> None:
    sales.mailer.port = free_port()  # type: ignore[attr-defined]  # nothing listens there: the server is down
    down = sales.run(now=NOW)
    assert (down["emails_sent"], down["leads_touched"]) == (0, 0)
    assert len(down["failed"]) > 40
    assert all("must be reachable" in f["error"] for f in down["failed"])
    stored = {f["lead_id"]: sales.store.messages_of(f["lead_id"]) for f in down["failed"]}
    assert {(m.status, m.attempts) for messages in stored.values() for m in messages} == {("failed", 1)}
    assert sent_events(sales) == []

    sales.mailer.port = smtp.port  # type: ignore[attr-defined]  # back up
    again = sales.run(now=NOW + timedelta(minutes=5))
    assert again["failed"] == [] and again["emails_sent"] == len(down["failed"])
    delivered = [m.message["Message-ID"] for m in smtp.messages]
    assert sorted(delivered) == sorted(m.message_id for messages in stored.values() for m in messages)
    assert {m.status for lead in stored for m in sales.store.messages_of(lead)} == {"sent"}
    assert sent_events(sales) == sorted(stored)  # counted once each, when they really went out


def test_a_refusal_that_outlasts_every_retry_waits_longer_each_time_then_fails_the_message_alone(
    sales: SalesService, smtp: LocalSmtpServer
) -> None:
    waits: list[float] = []
    sales.mailer.sleep = waits.append  # type: ignore[attr-defined]
    sales.mailer.backoff_s = 0.5  # type: ignore[attr-defined]
    sales.mailer.retries = 2  # type: ignore[attr-defined]
    smtp.refuse_next(3, "421 4.7.0 Try again later, closing connection")
    report = sales.run(now=NOW)

    assert waits == [0.5, 1.0]  # three tries of the first message, the wait doubling
    [failed] = report["failed"]
    assert "421" in failed["error"]
    assert [m.status for m in sales.store.messages_of(failed["lead_id"])] == ["failed"]
    assert report["emails_sent"] == len(smtp.messages) == len(sent_events(sales)) >= 40  # the others went out
    assert failed["lead_id"] not in sent_events(sales)
    later = sales.run(now=NOW + timedelta(minutes=5))
    assert (later["emails_sent"], later["failed"]) == (1, [])
    assert sent_events(sales).count(failed["lead_id"]) == 1
