"""The LLM endpoint fails (down, too slow, 429, 5xx, dropped connections, malformed tool calls) while customers talk
to an `openai` agent over the HTTP API: each gets the model's reply, the fallback's, the offline engine's or a
hand-off notice, and the turn is stored whole.

Model-level retries and failover are pinned in tests/engines/test_failover.py, the runtime's fallback without HTTP
in tests/agents/test_llm_turns.py; here the same faults go through `cadre serve`'s app end to end.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cadre.agents.phrases import phrase
from cadre.server.app import app_from_settings
from cadre.testing.fake_openai import (
    Behaviour,
    Disconnect,
    Fail,
    FakeOpenAIServer,
    Reply,
    Stall,
    call_tool,
    closed_port_url,
    rate_limited,
)
from tests.faults.conftest import DeskHome

QUESTION = "How do I reset my password?"
Customer = tuple[TestClient, dict[str, str]]


@pytest.fixture
def primary() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture
def fallback() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture
def customer(desk: DeskHome) -> Iterator[Callable[..., Customer]]:
    """`customer(llm_base_url=…, …)`: the app `cadre serve` runs for this home with those LLM settings, and an
    admin key for it."""
    clients: list[TestClient] = []

    def connect(**llm: Any) -> Customer:
        app = app_from_settings(desk.settings(llm_model="gpt-4o-mini", **llm), knowledge=desk.kb)
        secret, _ = app.state.services.keys.create("admin", name="faults")
        clients.append(TestClient(app))
        return clients[-1], {"Authorization": f"Bearer {secret}"}

    yield connect
    for client in clients:
        client.app.state.services.db.close()  # type: ignore[attr-defined]


def say(client: TestClient, headers: dict[str, str], message: str = QUESTION) -> dict[str, Any]:
    opened = client.post("/api/conversations", json={"agent": "help-desk"}, headers=headers)
    assert opened.status_code == 201, opened.text
    conversation_id = opened.json()["conversation_id"]
    answered = client.post(f"/api/conversations/{conversation_id}/messages", json={"message": message}, headers=headers)
    assert answered.status_code == 200, answered.text
    turn: dict[str, Any] = answered.json()
    assert turn["reply"].strip()
    # Stored whole: the customer's message and the reply the customer got, both under the turn.
    history = client.get(f"/api/conversations/{conversation_id}", headers=headers).json()
    assert [(m["role"], m["text"], m["turn_id"]) for m in history["messages"]] == [
        ("customer", message, turn["turn_id"]),
        ("agent", turn["reply"], turn["turn_id"]),
    ]
    turn["history"] = history
    return turn


def model_verdict(turn: dict[str, Any]) -> str | None:
    return next((g["verdict"] for g in turn["guardrails"] if g["name"] == "model"), None)


def test_a_rate_limit_is_retried_and_the_customer_gets_the_models_reply(
    customer: Callable[..., Customer], primary: FakeOpenAIServer
) -> None:
    primary.script(rate_limited(retry_after=0.01), Reply("Click Forgot password and follow the link [1]."))
    client, headers = customer(llm_base_url=primary.base_url, llm_max_retries=1)
    turn = say(client, headers)

    assert turn["reply"] == "Click Forgot password and follow the link [1]."
    assert turn["handoff"] is None and model_verdict(turn) is None
    assert [r.headers["x-stainless-retry-count"] for r in primary.requests] == ["0", "1"]


@pytest.mark.parametrize(
    "failure", [Fail(500), Fail(503, retry_after=0.01), Disconnect()], ids=["http-500", "http-503", "dropped"]
)
def test_a_failing_primary_fails_over_to_the_fallback_endpoint(
    customer: Callable[..., Customer], primary: FakeOpenAIServer, fallback: FakeOpenAIServer, failure: Behaviour
) -> None:
    primary.script(failure, failure)
    fallback.script(Reply("Click Forgot password [1]."))
    client, headers = customer(
        llm_base_url=primary.base_url, llm_max_retries=1, llm_fallback_base_url=fallback.base_url
    )
    turn = say(client, headers)

    assert turn["reply"] == "Click Forgot password [1]."
    assert len(primary.requests) == 2 and len(fallback.requests) == 1  # retried once, then failed over


FAULTS: dict[str, Behaviour | None] = {
    "down": None,  # nothing listens on the port
    "http-500": Fail(500, "internal error"),
    "http-429": rate_limited(retry_after=0.01),
    "dropped": Disconnect(),
    "slow": Stall(30),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_when_the_model_cannot_answer_the_offline_engine_does(
    customer: Callable[..., Customer], primary: FakeOpenAIServer, fault: str
) -> None:
    behaviour = FAULTS[fault]
    url = closed_port_url() if behaviour is None else primary.base_url
    if behaviour is not None:
        primary.script(*[behaviour] * 3)
    client, headers = customer(llm_base_url=url, llm_max_retries=1, llm_timeout_s=0.3, llm_on_failure="offline")
    turn = say(client, headers)

    assert "Forgot password" in turn["reply"]  # the help centre's answer, from the offline engine
    assert turn["handoff"] is None and turn["citations"]
    assert (model_verdict(turn) or "").startswith("unavailable")
    if behaviour is not None:
        assert len(primary.requests) == 2  # the first try and its one retry


@pytest.mark.parametrize("fault", FAULTS)
def test_when_the_model_cannot_answer_and_hand_off_is_configured_a_person_takes_over(
    customer: Callable[..., Customer], primary: FakeOpenAIServer, fault: str
) -> None:
    behaviour = FAULTS[fault]
    url = closed_port_url() if behaviour is None else primary.base_url
    if behaviour is not None:
        primary.script(*[behaviour] * 3)
    client, headers = customer(llm_base_url=url, llm_max_retries=1, llm_timeout_s=0.3, llm_on_failure="handoff")
    turn = say(client, headers)

    assert turn["reply"] == phrase("handoff", "en")
    assert turn["handoff"] is not None and turn["handoff"]["reason"] == "engine_unavailable"
    assert turn["history"]["status"] == "handed_off" and turn["history"]["handoff"]["queue"] == "tier1"
    queued = client.get("/api/handoffs", headers=headers).json()
    assert turn["history"]["conversation_id"] in json.dumps(queued)


def test_a_model_that_only_writes_malformed_tool_calls_ends_in_a_hand_off_notice(
    customer: Callable[..., Customer], primary: FakeOpenAIServer
) -> None:
    client, headers = customer(llm_base_url=primary.base_url, llm_max_retries=0)
    primary.script(*[call_tool("invoice_status", '{"invoice_id": "INV-', call_id=f"c{i}") for i in range(20)])
    turn = say(client, headers, "What is the status of invoice INV-0000123?")

    assert turn["actions"] == []  # nothing malformed ever reached the action
    assert turn["handoff"] is not None, turn["reply"]
    assert turn["reply"].strip()
    assert 1 < len(primary.requests) <= 6  # each refusal went back to the model, within the spec's step limit
    corrections = [m for m in primary.requests[-1].messages if m["role"] == "tool"]
    assert corrections and all("must be a JSON object" in json.loads(m["content"])["error"] for m in corrections)


def test_a_streamed_turn_whose_model_is_down_still_ends_with_a_reply(customer: Callable[..., Customer]) -> None:
    client, headers = customer(llm_base_url=closed_port_url(), llm_max_retries=0, llm_on_failure="offline")
    opened = client.post("/api/conversations", json={"agent": "help-desk"}, headers=headers).json()
    response = client.post(
        f"/api/conversations/{opened['conversation_id']}/messages/stream", json={"message": QUESTION}, headers=headers
    )
    assert response.status_code == 200
    events = [block.splitlines() for block in response.text.strip().split("\n\n")]
    kinds = [lines[0].removeprefix("event: ") for lines in events]
    assert kinds[-1] == "turn" and "error" not in kinds
    turn = json.loads(events[-1][1].removeprefix("data: "))
    assert "Forgot password" in turn["reply"]
