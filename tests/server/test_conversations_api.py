"""Conversations over the API: open, talk, read the transcript, search; and who may do which."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.conftest import KeyFor, open_conversation

TURN_KEYS = {
    "conversation_id",
    "turn_id",
    "reply",
    "language",
    "topic",
    "actions",
    "citations",
    "handoff",
    "guardrails",
    "latency_ms",
    "tokens",
    "cost_usd",
}


def test_a_channel_key_opens_a_conversation_and_talks_to_its_agent(client: TestClient, key: KeyFor) -> None:
    web = key("channel", agent="service")
    opened = client.post("/api/conversations", json={"agent": "service", "channel": "web"}, headers=web)
    assert opened.status_code == 201
    body = opened.json()
    assert body["agent"] == "service" and body["channel"] == "web" and body["status"] == "open"
    assert body["continued"] is False and body["created_at"]

    turn = client.post(
        f"/api/conversations/{body['conversation_id']}/messages",
        json={"message": "How do I build a dashboard in Pulse?"},
        headers=web,
    )
    assert turn.status_code == 200, turn.text
    result = turn.json()
    assert set(result) == TURN_KEYS
    assert result["conversation_id"] == body["conversation_id"]
    assert result["reply"] and result["citations"], result


def test_history_lists_the_messages_after_a_sequence_number(client: TestClient, key: KeyFor) -> None:
    web = key("channel", agent="service")
    conversation_id = open_conversation(client, web, channel="web")
    turn = client.post(
        f"/api/conversations/{conversation_id}/messages",
        json={"message": "How do I build a dashboard in Pulse?"},
        headers=web,
    ).json()

    history = client.get(f"/api/conversations/{conversation_id}", headers=web).json()
    assert [(m["seq"], m["role"], m["turn_id"]) for m in history["messages"]] == [
        (1, "customer", turn["turn_id"]),
        (2, "agent", turn["turn_id"]),
    ]
    assert history["messages"][1]["text"] == turn["reply"]
    assert history["language"] == "en" and history["handoff"] is None and history["channel"] == "web"
    later = client.get(f"/api/conversations/{conversation_id}?after=1", headers=web).json()
    assert [m["seq"] for m in later["messages"]] == [2]


def test_a_channel_key_stays_with_its_own_agent(client: TestClient, key: KeyFor) -> None:
    service_key, concierge_key = key("channel", agent="service"), key("channel", agent="concierge")
    denied = client.post("/api/conversations", json={"agent": "service"}, headers=concierge_key)
    assert denied.status_code == 403
    assert denied.json() == {"error": "this key may only talk to agent 'concierge', not 'service'"}

    conversation_id = open_conversation(client, service_key)
    for response in (
        client.get(f"/api/conversations/{conversation_id}", headers=concierge_key),
        client.post(f"/api/conversations/{conversation_id}/messages", json={"message": "hi"}, headers=concierge_key),
        client.post(f"/api/conversations/{conversation_id}/feedback", json={"csat": 5}, headers=concierge_key),
    ):
        assert response.status_code == 403, response.text
    assert client.get("/api/conversations", headers=service_key).status_code == 403  # no search for channels


def test_only_builders_and_admins_name_whom_a_conversation_acts_for(client: TestClient, key: KeyFor) -> None:
    refused = client.post(
        "/api/conversations",
        json={"agent": "service", "principal": "user:u-1"},
        headers=key("channel", agent="service"),
    )
    assert refused.status_code == 403
    assert "may not set `principal` or `person_id`" in refused.json()["error"]

    admin = key("admin")
    conversation_id = open_conversation(client, admin, principal="role:admin", person_id="p-123")
    assert client.get(f"/api/conversations/{conversation_id}", headers=admin).json()["person_id"] == "p-123"


def test_a_person_continues_their_open_conversation(client: TestClient, key: KeyFor) -> None:
    admin = key("admin")
    first = open_conversation(client, admin, person_id="p-continues")
    again = client.post(
        "/api/conversations", json={"agent": "service", "channel": "web", "person_id": "p-continues"}, headers=admin
    )
    assert again.status_code == 200
    assert again.json()["conversation_id"] == first and again.json()["continued"] is True


def test_bad_requests_say_what_is_wrong(client: TestClient, key: KeyFor) -> None:
    admin = key("admin")
    wrong_channel = client.post("/api/conversations", json={"agent": "service", "channel": "slack"}, headers=admin)
    assert wrong_channel.status_code == 422
    assert wrong_channel.json()["error"] == "channel must be one of web, api, email for agent 'service', got 'slack'"

    unknown_field = client.post("/api/conversations", json={"agent": "service", "chanel": "web"}, headers=admin)
    assert unknown_field.status_code == 422 and "chanel" in unknown_field.json()["error"]

    unknown_agent = client.post("/api/conversations", json={"agent": "nobody"}, headers=admin)
    assert unknown_agent.status_code == 404 and "agent 'nobody' is not deployed" in unknown_agent.json()["error"]

    conversation_id = open_conversation(client, admin)
    empty = client.post(f"/api/conversations/{conversation_id}/messages", json={"message": ""}, headers=admin)
    assert empty.status_code == 422 and empty.json()["error"].startswith("message:")
    too_long = client.post(
        f"/api/conversations/{conversation_id}/messages", json={"message": "x" * 50_000}, headers=admin
    )
    assert too_long.status_code == 422 and "the message must be at most" in too_long.json()["error"]

    missing = client.post("/api/conversations/nope/messages", json={"message": "hi"}, headers=admin)
    assert missing.status_code == 404 and missing.json() == {"error": "no conversation 'nope'"}


def test_a_signed_visitor_needs_the_widget_secret(client: TestClient, key: KeyFor) -> None:
    refused = client.post(
        "/api/conversations",
        json={"agent": "service", "channel": "web", "user": {"email": "ana@example.com", "hash": "ab" * 32}},
        headers=key("channel", agent="service"),
    )
    assert refused.status_code == 400
    assert "CADRE_WIDGET_SECRET" in refused.json()["error"]


def test_search_filters_conversations(client: TestClient, key: KeyFor) -> None:
    admin = key("admin")
    conversation_id = open_conversation(client, admin, channel="web")
    client.post(
        f"/api/conversations/{conversation_id}/messages",
        json={"message": "How do I build a dashboard in Pulse? zebra-marker-81"},
        headers=admin,
    )
    analyst = key("analyst")
    found = client.get("/api/conversations?q=ZEBRA-marker-81", headers=analyst).json()
    assert [c["id"] for c in found["conversations"]] == [conversation_id]
    summary = found["conversations"][0]
    assert summary["preview"] == "How do I build a dashboard in Pulse? zebra-marker-81"
    assert summary["messages"] == 2 and summary["outcome"] == "answered" and summary["topics"]
    topic = summary["topics"][0]

    same = f"q=zebra-marker-81&agent=service&channel=web&language=en&status=open&outcome=answered&topic={topic}"
    assert client.get(f"/api/conversations?{same}", headers=analyst).json()["total"] == 1
    for other in ("agent=concierge", "channel=api", "language=ja", "status=resolved", "outcome=refused", "topic=x"):
        assert client.get(f"/api/conversations?q=zebra-marker-81&{other}", headers=analyst).json()["total"] == 0
    assert client.get("/api/conversations?q=zebra%25", headers=analyst).json()["total"] == 0  # % is not a wildcard

    paged = client.get("/api/conversations?agent=service&limit=1&offset=1", headers=analyst).json()
    assert len(paged["conversations"]) == 1 and paged["total"] >= 2
    assert client.get("/api/conversations?limit=0", headers=analyst).status_code == 422


def test_a_channel_key_gets_a_failed_action_without_its_server_detail_and_an_operator_gets_it() -> None:
    from cadre.server.api.messages import FAILED_ACTION, TurnTarget, shown_to_customer

    detail = "error: cannot read billing.invoices: IO Error: No files found that match /srv/cadre/billing/*.parquet"
    turn = {
        "reply": "Sorry, I couldn't complete that just now.",
        "actions": [
            {"name": "verify_customer", "arguments": {}, "ok": True, "result_summary": "verified CUST-00008"},
            {"name": "find_invoice", "arguments": {"invoice": "INV-1"}, "ok": False, "result_summary": detail},
        ],
    }
    customer = shown_to_customer(turn)
    assert [a["result_summary"] for a in customer["actions"]] == ["verified CUST-00008", FAILED_ACTION]
    assert customer["reply"] == turn["reply"] and turn["actions"][1]["result_summary"] == detail  # not changed
    operator = TurnTarget(None, None, for_customer=False)  # type: ignore[arg-type]
    assert operator.shown(turn) is turn
