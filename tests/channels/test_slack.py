"""Slack: a seller mentions or DMs the assistant and gets the answer in the thread; unsigned requests are refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from cadre.agents.store import ConversationRow
from cadre.channels import slack
from cadre.channels.identity import remembered_identity
from cadre.channels.senders import default_senders
from cadre.channels.tables import ChannelThreadRow
from cadre.server.app import create_app
from cadre.server.services import Services
from tests.channels.conftest import Company
from tests.channels.fake_slack import FakeSlack, event, signed

SIGNING_SECRET = "slack-signing-secret-for-tests"
EVENTS = "/slack/events"


@pytest.fixture
def seller_email(company: Company) -> str:
    rows = company.hero.data.get(
        "User", principal="role:admin", purpose="tests", where={"role": "seller"}, fields=["email"], limit=1
    ).rows
    return str(rows[0]["email"])


@pytest.fixture
def fake_slack(seller_email: str) -> FakeSlack:
    return FakeSlack(emails={"U-SELLER": seller_email, "U-STRANGER": "stranger@elsewhere.example"})


@pytest.fixture
def slack_services(company: Company, fake_slack: FakeSlack, serve: Callable[[FastAPI], str]) -> Services:
    return company.services(
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_bot_token=SecretStr("xoxb-test"),
        slack_api_url=serve(fake_slack.app()) + "/api/",
        slack_agent="seller_assistant",
    )


@pytest.fixture
def client(slack_services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(slack_services, mounts=[slack.mount])) as test_client:
        yield test_client


def _send(client: TestClient, payload: dict[str, object]) -> None:
    body, headers = signed(SIGNING_SECRET, payload)
    response = client.post(EVENTS, content=body, headers=headers)
    assert response.status_code == 200, response.text


def test_a_mention_is_answered_in_its_thread_and_the_thread_is_one_conversation(
    client: TestClient, fake_slack: FakeSlack, slack_services: Services
) -> None:
    ask = "<@UBOT> What editions do you sell and what does the Business edition cost?"
    _send(client, event("app_mention", user="U-SELLER", text=ask, ts="1700000000.000100", channel="C-DEALS"))
    reply = fake_slack.next_post()
    assert reply["channel"] == "C-DEALS" and reply["thread_ts"] == "1700000000.000100"
    remembered = remembered_identity(slack_services, "slack", "U-SELLER")
    assert remembered is not None and remembered.principal is not None and remembered.principal.startswith("user:")
    [first] = [c for c in _conversations(slack_services, "C-DEALS:1700000000.000100")]
    assert first.agent == "seller_assistant" and first.principal == remembered.principal

    follow_up = event(
        "app_mention",
        user="U-SELLER",
        text="<@UBOT> and the Enterprise edition?",
        ts="1700000000.000200",
        channel="C-DEALS",
        thread_ts="1700000000.000100",
    )
    _send(client, follow_up)
    assert fake_slack.next_post()["thread_ts"] == "1700000000.000100"
    messages = slack_services.conversations.messages(first.id)
    assert [m["role"] for m in messages] == ["customer", "agent", "customer", "agent"]
    assert messages[0]["text"].startswith("What editions")  # the mention itself is not part of the question
    assert fake_slack.asked_users == ["U-SELLER"]
    assert reply["text"].startswith(
        slack.slack_text(messages[1]["text"], [])
    )  # the seller was looked up once, then remembered


def test_citations_become_slack_links() -> None:
    citations = [{"title": "Pricing | editions", "url": "https://halyard.example/pricing", "doc_id": "d"}]
    assert slack.slack_text("Business costs <more> & less", citations) == (
        "Business costs &lt;more&gt; &amp; less\nSources: <https://halyard.example/pricing|Pricing / editions>"
    )


def test_a_direct_message_is_answered_and_other_messages_are_not(client: TestClient, fake_slack: FakeSlack) -> None:
    _send(
        client,
        event(
            "message",
            user="U-SELLER",
            text="Hi, joined the channel",
            ts="1700000001.000100",
            channel="C-ALL",
            channel_type="channel",
        ),
    )
    _send(
        client,
        event(
            "message",
            user="U-SELLER",
            text="What discount may I give?",
            ts="1700000001.000200",
            channel="D-1",
            channel_type="im",
        ),
    )
    reply = fake_slack.next_post()
    assert reply["channel"] == "D-1"  # the channel message before it was not answered
    assert fake_slack.posted.empty()


def test_someone_outside_the_directory_is_told_so(client: TestClient, fake_slack: FakeSlack) -> None:
    _send(
        client, event("app_mention", user="U-STRANGER", text="<@UBOT> prices?", ts="1700000002.000100", channel="C-X")
    )
    assert "not in it" in fake_slack.next_post()["text"]


def test_unsigned_or_stale_requests_are_refused(client: TestClient, fake_slack: FakeSlack) -> None:
    payload = event("app_mention", user="U-SELLER", text="<@UBOT> hi", ts="1700000003.000100", channel="C-X")
    body, headers = signed("another secret", payload)
    assert client.post(EVENTS, content=body, headers=headers).status_code == 401
    body, headers = signed(SIGNING_SECRET, payload, timestamp=1_000_000_000)
    assert client.post(EVENTS, content=body, headers=headers).status_code == 401
    assert fake_slack.posted.empty()


def test_without_settings_slack_events_are_unavailable(company: Company) -> None:
    with TestClient(create_app(company.services(), mounts=[slack.mount])) as client:
        response = client.post(EVENTS, content=b"{}", headers={"Content-Type": "application/json"})
    assert response.status_code == 503
    assert "CADRE_SLACK_SIGNING_SECRET" in response.json()["error"]


def _conversations(services: Services, key: str) -> list[ConversationRow]:
    with services.db.session() as session:
        return list(
            session.scalars(
                select(ConversationRow)
                .join(ChannelThreadRow, ChannelThreadRow.conversation_id == ConversationRow.id)
                .where(ChannelThreadRow.thread_key == key)
            ).all()
        )


def test_a_humans_reply_is_posted_in_the_slack_thread(
    client: TestClient, fake_slack: FakeSlack, slack_services: Services
) -> None:
    ask = "<@UBOT> Which discount can I offer on the Business edition?"
    _send(client, event("app_mention", user="U-SELLER", text=ask, ts="1700000004.000100", channel="C-HELP"))
    fake_slack.next_post()
    [conversation] = _conversations(slack_services, "C-HELP:1700000004.000100")
    detail = default_senders()["slack"](slack_services, conversation, "Approved <15%> by me", "Dana")
    posted = fake_slack.next_post()
    assert (posted["channel"], posted["thread_ts"]) == ("C-HELP", "1700000004.000100")
    assert posted["text"] == "*Dana*: Approved &lt;15%&gt; by me"
    assert detail is not None
