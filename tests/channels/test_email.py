"""E-mail to an agent: answered by SMTP in the sender's thread, one conversation per thread, humans reply by mail."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cadre.channels import email
from cadre.channels.identity import person_for_email
from cadre.server.app import create_app
from cadre.server.services import Services
from cadre.testing.smtp import LocalSmtpServer
from tests.channels.conftest import Company
from tests.channels.mail import SUPPORT, eml

INBOUND = "/api/email/inbound"


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services, mounts=[email.mount])) as test_client:
        yield test_client


def _post(client: TestClient, key: str, raw: bytes, content_type: str = "message/rfc822") -> dict[str, object]:
    response = client.post(
        INBOUND, content=raw, headers={"Content-Type": content_type, "Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_a_customer_gets_a_threaded_reply_and_the_thread_stays_one_conversation(
    company: Company, services: Services, client: TestClient, smtp: LocalSmtpServer
) -> None:
    key, _ = services.keys.create("channel", agent="service")
    customer = company.person_email()
    first = _post(
        client, key, eml(customer, "Password reset", "How do I reset my password?", "<m1.thread-test@client.example>")
    )
    assert first["outcome"] == "answered" and first["sent"] is True
    assert first["person_id"] == person_for_email(services, customer)
    [sent] = smtp.to(customer)
    assert sent.message["In-Reply-To"] == "<m1.thread-test@client.example>"
    assert sent.message["References"] == "<m1.thread-test@client.example>"
    assert sent.subject == "Re: Password reset"
    assert sent.message["From"] == "Halyard Support <support@halyard.example>"
    transcript = services.conversations.messages(str(first["conversation_id"]))
    assert transcript[-1]["text"] in sent.text() and transcript[-1]["channel"] == "email"

    second = _post(
        client,
        key,
        eml(
            customer,
            "Re: Password reset",
            "Thanks. And how do I invite a new user?",
            "<m2.thread-test@client.example>",
            in_reply_to=str(sent.message["Message-ID"]),
            references=["<m1.thread-test@client.example>", str(sent.message["Message-ID"])],
        ),
    )
    assert second["conversation_id"] == first["conversation_id"]
    reply = smtp.to(customer)[-1]
    assert reply.message["In-Reply-To"] == "<m2.thread-test@client.example>"
    assert reply.message["References"].split() == [
        "<m1.thread-test@client.example>",
        str(sent.message["Message-ID"]),
        "<m2.thread-test@client.example>",
    ]
    assert reply.subject == "Re: Password reset"


def test_the_same_message_twice_is_answered_once(services: Services, client: TestClient, smtp: LocalSmtpServer) -> None:
    key, _ = services.keys.create("channel", agent="service")
    raw = eml("someone@client.example", "Invoices", "Where can I download my invoices?", "<dup.test@client.example>")
    first = _post(client, key, raw)
    again = _post(client, key, raw)
    assert again == {"agent": "service", "outcome": "duplicate", "conversation_id": first["conversation_id"]}
    assert len(smtp.to("someone@client.example")) == 1


def test_auto_replies_are_not_answered(services: Services, client: TestClient, smtp: LocalSmtpServer) -> None:
    key, _ = services.keys.create("channel", agent="service")
    raw = eml("away@client.example", "Out of office", "I am away until Monday.", "<ooo@client.example>", auto=True)
    assert _post(client, key, raw)["outcome"] == "ignored"
    assert smtp.messages == []


def test_a_humans_inbox_reply_reaches_the_customer_by_email_in_the_thread(
    company: Company, services: Services, client: TestClient, smtp: LocalSmtpServer
) -> None:
    key, _ = services.keys.create("channel", agent="service")
    asked = _post(
        client, key, eml("needs.human@client.example", "Help", "I want to talk to a human", "<h1@client.example>")
    )
    assert asked["handoff"] is not None
    [handoff] = [h for h in services.inbox.list() if h.conversation_id == asked["conversation_id"]]
    delivered = services.delivery.human_reply(handoff.id, "Hello, this is Dana from support.", by="dana")
    assert delivered.sent_via == "email"
    human = smtp.to("needs.human@client.example")[-1]
    assert human.text().strip() == "Hello, this is Dana from support."
    assert human.message["In-Reply-To"] == "<h1@client.example>"
    assert str(human.message["Message-ID"]).strip() == delivered.detail
    assert human.subject == "Re: Help"
    assert human.message["From"] == SUPPORT  # CADRE_SUPPORT_MAIL_FROM
    assert "<h1@client.example>" in human.message["References"].split()


def test_an_sdr_key_routes_lead_replies_to_the_sdr_workflow(services: Services, client: TestClient) -> None:
    key, _ = services.keys.create("channel", agent="sdr")
    raw = eml("stranger@elsewhere.example", "Re: Halyard", "Yes, let's talk next week.", "<sdr.test@elsewhere.example>")
    outcome = _post(client, key, raw)
    assert outcome["agent"] == "sdr"
    assert outcome["outcome"] == "unmatched"  # the sender is no lead the SDR wrote to


@pytest.mark.parametrize(
    ("role", "agent", "query", "content_type", "status", "message"),
    [
        ("builder", None, "", "message/rfc822", 403, "takes a channel key or an admin"),
        ("channel", "concierge", "?agent=service", "message/rfc822", 403, "may only talk to agent 'concierge'"),
        ("channel", "service", "", "application/json", 415, "must be message/rfc822 or text/plain"),
        ("admin", None, "?agent=nobody", "text/plain", 404, "nobody"),
    ],
)
def test_refusals(
    services: Services,
    client: TestClient,
    role: str,
    agent: str | None,
    query: str,
    content_type: str,
    status: int,
    message: str,
) -> None:
    key, _ = services.keys.create(role, agent=agent)
    raw = eml(
        "a@client.example", "Hi", "Hello there, how do I reset my password?", f"<refusal.{role}.{status}@c.example>"
    )
    response = client.post(
        INBOUND + query, content=raw, headers={"Content-Type": content_type, "Authorization": f"Bearer {key}"}
    )
    assert response.status_code == status
    assert message in response.json()["error"]


def test_without_a_key_the_webhook_is_closed(client: TestClient) -> None:
    response = client.post(INBOUND, content=b"From: a@b.example\n\nhi", headers={"Content-Type": "text/plain"})
    assert response.status_code == 401


def test_a_message_without_a_sender_is_refused(services: Services, client: TestClient) -> None:
    key, _ = services.keys.create("channel", agent="service")
    response = client.post(
        INBOUND,
        content=b"Subject: hi\n\nhello",
        headers={"Content-Type": "text/plain", "Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    assert "must have a From address" in response.json()["error"]
