"""One person, one context: a signed-in visitor on the web widget who later e-mails continues the same conversation."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cadre.channels import email
from cadre.channels.identity import person_for_email, widget_hash
from cadre.server import api
from cadre.server.app import create_app
from cadre.server.services import Services
from cadre.testing.smtp import LocalSmtpServer
from tests.channels.conftest import WIDGET_SECRET, Company
from tests.channels.mail import eml


def test_web_then_email_is_one_conversation(company: Company, services: Services, smtp: LocalSmtpServer) -> None:
    customer = company.person_email("Lead")
    web_key, _ = services.keys.create("channel", agent="service")
    mail_key, _ = services.keys.create("channel", agent="service")
    with TestClient(create_app(services, mounts=[api.mount, email.mount])) as client:
        opened = client.post(
            "/api/conversations",
            json={
                "agent": "service",
                "channel": "web",
                "user": {"email": customer, "hash": widget_hash(WIDGET_SECRET, customer)},
            },
            headers={"Authorization": f"Bearer {web_key}"},
        )
        assert opened.status_code in (200, 201), opened.text
        conversation_id = opened.json()["conversation_id"]
        assert opened.json()["person_id"] == person_for_email(services, customer)
        asked = client.post(
            f"/api/conversations/{conversation_id}/messages",
            json={"message": "How do I invite a new user?"},
            headers={"Authorization": f"Bearer {web_key}"},
        )
        assert asked.status_code == 200, asked.text

        mailed = client.post(
            "/api/email/inbound",
            content=eml(customer.upper(), "One more thing", "Where can I download my invoices?", "<x1@client.example>"),
            headers={"Content-Type": "message/rfc822", "Authorization": f"Bearer {mail_key}"},
        )
    assert mailed.status_code == 200, mailed.text
    assert mailed.json()["conversation_id"] == conversation_id
    transcript = services.conversations.messages(conversation_id)
    # the shared company may have seen this person before: what matters is what this test added, in order
    assert [(m["role"], m["channel"]) for m in transcript[-4:]] == [
        ("customer", "web"),
        ("agent", "web"),
        ("customer", "email"),
        ("agent", "email"),
    ]
    [answer] = smtp.to(customer.lower())
    assert answer.message["In-Reply-To"] == "<x1@client.example>"
