"""The hand-off inbox through its forms: claim, reply as a human, return to the agent, resolve; and live updates."""

from __future__ import annotations

import html
from collections.abc import Callable

from fastapi.testclient import TestClient

from cadre.agents.runtime import TurnRequest
from tests.console.conftest import Console, user_of


def test_the_inbox_lists_open_hand_offs_by_queue_with_counts(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    handoff = console.services.inbox.get(console.handoff())
    signed_in("human_agent")
    page = html.unescape(client.get("/inbox").text)
    assert f'<a href="/inbox/{handoff.id}">#{handoff.id}</a>' in page
    assert f'href="/inbox?queue={handoff.queue}&status=open"' in page
    elsewhere = client.get("/inbox", params={"queue": "no-such-queue"}).text
    assert f'href="/inbox/{handoff.id}"' not in elsewhere


def test_claim_reply_and_resolve_through_the_forms(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    handoff_id = console.handoff()
    token = signed_in("human_agent")
    page = html.unescape(client.get(f"/inbox/{handoff_id}").text)
    assert console.services.inbox.get(handoff_id).summary in page
    assert "I want to talk to a human, please" in page  # the transcript so far

    claimed = client.post(f"/inbox/{handoff_id}/claim", data={"csrf_token": token})
    assert claimed.status_code == 303 and claimed.headers["location"] == f"/inbox/{handoff_id}"
    after_claim = console.services.inbox.get(handoff_id)
    assert (after_claim.status, after_claim.assignee) == ("claimed", user_of("human_agent"))
    assert "Claimed." in client.get(f"/inbox/{handoff_id}").text

    client.post(f"/inbox/{handoff_id}/reply", data={"csrf_token": token, "text": "Hello, I am Ana from support."})
    messages = console.services.conversations.messages(after_claim.conversation_id)
    assert (messages[-1]["role"], messages[-1]["author"], messages[-1]["text"]) == (
        "human",
        user_of("human_agent"),
        "Hello, I am Ana from support.",
    )

    client.post(f"/inbox/{handoff_id}/resolve", data={"csrf_token": token})
    assert console.services.inbox.get(handoff_id).status == "resolved"
    again = client.post(f"/inbox/{handoff_id}/claim", data={"csrf_token": token})
    assert "it must be open to be claimed" in html.unescape(client.get(again.headers["location"]).text)


def test_returning_to_the_agent_lets_the_agent_answer_again(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    handoff_id = console.handoff()
    token = signed_in("admin")
    client.post(f"/inbox/{handoff_id}/return", data={"csrf_token": token})
    handoff = console.services.inbox.get(handoff_id)
    assert handoff.status == "returned"
    turn = console.runtime.run_turn(
        TurnRequest(
            agent="service",
            message="How do I enable two-factor authentication?",
            conversation_id=handoff.conversation_id,
            channel="web",
        )
    )
    assert turn.outcome == "answered"


def test_inbox_actions_need_the_csrf_token_and_the_inbox_capability(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    handoff_id = console.handoff()
    signed_in("human_agent")
    assert client.post(f"/inbox/{handoff_id}/claim", data={"csrf_token": "forged"}).status_code == 403
    assert client.post(f"/inbox/{handoff_id}/claim").status_code == 403
    token = signed_in("builder")
    assert client.post(f"/inbox/{handoff_id}/claim", data={"csrf_token": token}).status_code == 403
    assert console.services.inbox.get(handoff_id).status == "open"


def test_an_empty_reply_is_refused_with_a_note(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    handoff_id = console.handoff()
    token = signed_in("human_agent")
    response = client.post(f"/inbox/{handoff_id}/reply", data={"csrf_token": token, "text": "   "})
    assert "a reply must not be empty" in client.get(response.headers["location"]).text
    assert console.services.inbox.get(handoff_id).status == "open"


def test_live_updates_bring_new_hand_offs_and_new_messages(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    signed_in("human_agent")
    latest = max((h.id for h in console.services.inbox.list(status=None)), default=0)
    assert client.get(f"/console/inbox/updates?after={latest}").json()["handoffs"] == []
    handoff = console.services.inbox.get(console.handoff("Can I speak to a person?"))
    fresh = client.get(f"/console/inbox/updates?after={latest}").json()
    assert [h["id"] for h in fresh["handoffs"]] == [handoff.id]
    assert fresh["handoffs"][0]["url"] == f"/inbox/{handoff.id}"

    seen = console.services.conversations.messages(handoff.conversation_id)[-1]["seq"]
    console.runtime.run_turn(
        TurnRequest(agent="service", message="Hello? Anyone there?", conversation_id=handoff.conversation_id)
    )
    new = client.get(f"/console/conversations/{handoff.conversation_id}/messages?after={seen}").json()["messages"]
    assert new[0]["role"] == "customer" and new[0]["text"] == "Hello? Anyone there?"


def test_live_updates_answer_json_errors_to_the_signed_out_and_the_unentitled(
    client: TestClient, signed_in: Callable[[str], str]
) -> None:
    assert client.get("/console/inbox/updates").status_code == 401
    signed_in("analyst")
    refused = client.get("/console/inbox/updates")
    assert refused.status_code == 403 and "needs 'inbox'" in refused.json()["error"]
