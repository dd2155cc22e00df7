"""The hand-off inbox over the API: claim, reply (into the transcript), return to the agent, resolve."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.server.conftest import Headers, KeyFor, open_conversation


def _handed_off(client: TestClient, headers: Headers) -> tuple[str, dict[str, Any]]:
    conversation_id = open_conversation(client, headers, channel="web")
    turn = client.post(
        f"/api/conversations/{conversation_id}/messages",
        json={"message": "I want to talk to a human please"},
        headers=headers,
    ).json()
    assert turn["handoff"] is not None, turn
    return conversation_id, turn["handoff"]


def _handoff_of(client: TestClient, headers: Headers, conversation_id: str, status: str = "open") -> dict[str, Any]:
    listed = client.get(f"/api/handoffs?status={status}", headers=headers).json()["handoffs"]
    [found] = [h for h in listed if h["conversation_id"] == conversation_id]
    return dict(found)


def test_a_human_claims_answers_returns_and_resolves(client: TestClient, key: KeyFor) -> None:
    web, human = key("channel", agent="service"), key("human_agent")
    conversation_id, handoff = _handed_off(client, web)
    waiting = _handoff_of(client, human, conversation_id)
    assert waiting["queue"] == handoff["queue"] and waiting["status"] == "open"
    url = f"/api/handoffs/{waiting['id']}"
    assert client.get(url, headers=human).json()["summary"] == handoff["summary"]
    assert client.get(f"/api/handoffs?queue={handoff['queue']}", headers=human).status_code == 200

    claimed = client.post(f"{url}/claim", headers=human).json()
    assert claimed["status"] == "claimed" and claimed["assignee"].startswith("key:")
    assert _handoff_of(client, human, conversation_id, status="claimed")["id"] == waiting["id"]

    delivered = client.post(f"{url}/reply", json={"text": "Hi, I am Ana from support."}, headers=human)
    assert delivered.status_code == 201
    assert delivered.json()["sent_via"] == "transcript" and delivered.json()["channel"] == "web"
    history = client.get(
        f"/api/conversations/{conversation_id}?after={delivered.json()['seq'] - 1}", headers=web
    ).json()
    assert [(m["role"], m["text"]) for m in history["messages"]] == [("human", "Hi, I am Ana from support.")]
    assert history["status"] == "handed_off" and history["handoff"]["queue"] == handoff["queue"]

    returned = client.post(f"{url}/return", headers=human).json()
    assert returned["status"] == "returned"
    assert client.get(f"/api/conversations/{conversation_id}", headers=web).json()["status"] == "open"
    assert client.post(f"{url}/resolve", headers=human).status_code == 409  # a returned hand-off is closed


def test_resolving_twice_is_a_conflict(client: TestClient, key: KeyFor) -> None:
    web, human = key("channel", agent="service"), key("human_agent")
    conversation_id, _handoff = _handed_off(client, web)
    handoff_id = _handoff_of(client, human, conversation_id)["id"]
    resolved = client.post(f"/api/handoffs/{handoff_id}/resolve", headers=human)
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    again = client.post(f"/api/handoffs/{handoff_id}/resolve", headers=human)
    assert again.status_code == 409
    assert again.json() == {"error": f"hand-off {handoff_id} is resolved; it must be open or claimed to be resolved"}
    assert client.get(f"/api/conversations/{conversation_id}", headers=web).json()["status"] == "resolved"
    listed = client.get("/api/handoffs?status=all", headers=human).json()["handoffs"]
    assert any(h["id"] == handoff_id and h["status"] == "resolved" for h in listed)


def test_inbox_requests_are_checked(client: TestClient, key: KeyFor) -> None:
    human = key("human_agent")
    assert client.get("/api/handoffs?status=waiting", headers=human).status_code == 422
    assert client.get("/api/handoffs", headers=key("analyst")).status_code == 403
    conversation_id, _handoff = _handed_off(client, key("channel", agent="service"))
    handoff_id = _handoff_of(client, human, conversation_id)["id"]
    empty = client.post(f"/api/handoffs/{handoff_id}/reply", json={"text": ""}, headers=human)
    assert empty.status_code == 422 and empty.json()["error"].startswith("text:")
    assert client.post(f"/api/handoffs/{handoff_id}/claim", headers=key("builder")).status_code == 403


def test_an_unknown_hand_off_is_404(client: TestClient, key: KeyFor) -> None:
    human = key("human_agent")
    missing = client.get("/api/handoffs/999999", headers=human)
    assert missing.status_code == 404
    assert missing.json() == {"error": "no hand-off with id 999999"}
    assert client.post("/api/handoffs/999999/claim", headers=human).status_code == 404
