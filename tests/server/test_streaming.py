"""A turn streamed as server-sent events: deltas as the engine writes them, then the turn, or an error."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from fastapi.testclient import TestClient

from cadre.agents.runtime import TurnRequest, TurnResult
from cadre.guardrails.limits import InputRejected
from cadre.server.api._turns import Delta, Failed, Finished, TurnEvent, stream_turn
from tests.server.conftest import KeyFor, open_conversation


def _events(body: str) -> list[tuple[str, Any]]:
    events = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def test_the_stream_sends_deltas_then_the_turn(client: TestClient, key: KeyFor) -> None:
    web = key("channel", agent="service")
    conversation_id = open_conversation(client, web, channel="web")
    response = client.post(
        f"/api/conversations/{conversation_id}/messages/stream",
        json={"message": "How do I build a dashboard in Pulse?"},
        headers=web,
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    kinds = [kind for kind, _data in events]
    assert kinds[-1] == "turn" and set(kinds[:-1]) == {"delta"} and len(kinds) >= 2
    turn = events[-1][1]
    assert "".join(data["text"] for kind, data in events if kind == "delta") == turn["reply"]
    assert turn["conversation_id"] == conversation_id and turn["citations"]
    history = client.get(f"/api/conversations/{conversation_id}", headers=web).json()
    assert history["messages"][-1]["text"] == turn["reply"]


def test_a_refused_message_ends_the_stream_with_an_error(client: TestClient, key: KeyFor) -> None:
    web = key("channel", agent="service")
    conversation_id = open_conversation(client, web, channel="web")
    response = client.post(
        f"/api/conversations/{conversation_id}/messages/stream", json={"message": "x" * 50_000}, headers=web
    )
    assert response.status_code == 200
    [(kind, data)] = _events(response.text)
    assert kind == "error" and data["error"].startswith("the message must be at most")


def test_errors_found_before_the_stream_are_statuses(client: TestClient, key: KeyFor) -> None:
    web = key("channel", agent="service")
    assert (
        client.post("/api/conversations/nope/messages/stream", json={"message": "hi"}, headers=web).status_code == 404
    )
    conversation_id = open_conversation(client, web)
    other = key("channel", agent="concierge")
    url = f"/api/conversations/{conversation_id}/messages/stream"
    assert client.post(url, json={"message": "hi"}, headers=other).status_code == 403
    assert client.post(url, json={"message": "hi"}).status_code == 401
    assert client.post(url, json={}, headers=web).status_code == 422


class _WritingRuntime:
    """Writes its reply in pieces on its own thread, each only after the previous one was received."""

    def __init__(self, pieces: list[str], received: list[threading.Event]) -> None:
        self.pieces = pieces
        self.received = received
        self.thread: str | None = None

    def run_turn(self, request: TurnRequest) -> TurnResult:
        self.thread = threading.current_thread().name
        assert request.on_text is not None
        for piece, received in zip(self.pieces, self.received, strict=True):
            request.on_text(piece)
            assert received.wait(timeout=10), "the consumer never got the previous delta"
        if request.message == "fail":
            raise InputRejected("the message is empty")
        return TurnResult(
            conversation_id="c",
            turn_id="t",
            reply="".join(self.pieces),
            language="en",
            topic=None,
            actions=[],
            citations=[],
            handoff=None,
            guardrails=[],
            latency_ms=1.0,
            tokens={"input": 1, "output": 2},
            cost_usd=0.0,
        )


def _collect(runtime: _WritingRuntime, message: str) -> list[TurnEvent]:
    async def consume() -> list[TurnEvent]:
        seen: list[TurnEvent] = []
        async for event in stream_turn(runtime, TurnRequest(agent="a", message=message)):  # type: ignore[arg-type]
            seen.append(event)
            deltas = sum(isinstance(e, Delta) for e in seen)
            if isinstance(event, Delta) and deltas <= len(runtime.received):
                runtime.received[deltas - 1].set()
        return seen

    return asyncio.run(consume())


def test_deltas_reach_the_consumer_while_the_turn_is_still_running() -> None:
    # Each piece waits until the one before it was consumed: were the deltas held back until the end, this would hang.
    runtime = _WritingRuntime(["Hel", "lo ", "there"], [threading.Event() for _ in range(3)])
    events = _collect(runtime, "hi")
    assert [e.text for e in events if isinstance(e, Delta)] == ["Hel", "lo ", "there"]
    assert isinstance(events[-1], Finished) and events[-1].result.reply == "Hello there"
    assert runtime.thread != threading.main_thread().name


def test_a_turn_that_writes_nothing_is_sent_as_one_delta() -> None:
    events = _collect(_WritingRuntime([], []), "hi")
    assert [type(e) for e in events] == [Delta, Finished]


def test_a_failing_turn_ends_with_its_error() -> None:
    events = _collect(_WritingRuntime(["par"], [threading.Event()]), "fail")
    assert events == [Delta("par"), Failed("the message is empty")]
