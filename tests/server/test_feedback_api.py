"""Feedback over the API: stored against the conversation (and turn) it is about, refused when malformed."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cadre.channels.feedback import FeedbackStore
from cadre.server.services import Services
from tests.server.conftest import KeyFor, open_conversation


def test_feedback_on_a_turn_is_stored(client: TestClient, key: KeyFor, services: Services) -> None:
    web = key("channel", agent="service")
    conversation_id = open_conversation(client, web, channel="web")
    turn = client.post(
        f"/api/conversations/{conversation_id}/messages",
        json={"message": "How do I build a dashboard in Pulse?"},
        headers=web,
    ).json()
    given = client.post(
        f"/api/conversations/{conversation_id}/feedback",
        json={"turn_id": turn["turn_id"], "csat": 5, "thumbs": "up", "comment": "Clear, thanks"},
        headers=web,
    )
    assert given.status_code == 201
    assert given.json()["channel"] == "web" and given.json()["author"].startswith("key:")
    [stored] = FeedbackStore(services.db).for_conversation(conversation_id)
    assert (stored.turn_id, stored.csat, stored.thumbs, stored.comment) == (turn["turn_id"], 5, "up", "Clear, thanks")


def test_malformed_feedback_is_a_422_with_the_reason(client: TestClient, key: KeyFor, services: Services) -> None:
    web = key("channel", agent="service")
    conversation_id = open_conversation(client, web, channel="web")
    url = f"/api/conversations/{conversation_id}/feedback"
    for body, reason in (
        ({}, "feedback must carry `csat`, `thumbs` or a `comment`"),
        ({"comment": "  "}, "feedback must carry"),
        ({"csat": 6}, "csat: Input should be less than or equal to 5"),
        ({"csat": "5"}, "csat: Input should be a valid integer"),
        ({"thumbs": "sideways"}, "thumbs: Input should be 'up' or 'down'"),
        ({"csat": 3, "stars": 3}, "stars: Extra inputs are not permitted"),
    ):
        response = client.post(url, json=body, headers=web)
        assert response.status_code == 422, body
        assert reason in response.json()["error"], response.json()
    assert FeedbackStore(services.db).for_conversation(conversation_id) == []


def test_feedback_names_a_turn_of_that_conversation(client: TestClient, key: KeyFor) -> None:
    web = key("channel", agent="service")
    first, second = open_conversation(client, web), open_conversation(client, web)
    turn = client.post(f"/api/conversations/{first}/messages", json={"message": "Hello"}, headers=web).json()
    response = client.post(
        f"/api/conversations/{second}/feedback", json={"turn_id": turn["turn_id"], "csat": 1}, headers=web
    )
    assert response.status_code == 404
    assert response.json()["error"] == f"turn {turn['turn_id']!r} is not a turn of conversation {second!r}"
    assert client.post("/api/conversations/nope/feedback", json={"csat": 1}, headers=web).status_code == 404
