"""The OpenAI-compatible model against a real HTTP server: wire format, streaming, usage and cost."""

from __future__ import annotations

import json

from cadre.engines.messages import ChatMessage, ToolCall, ToolDefinition, Usage
from cadre.engines.openai_model import OpenAIChatModel
from cadre.engines.pricing import Price, PriceTable
from cadre.testing.fake_openai import CallTools, FakeOpenAIServer, Reply, call_tool
from tests.engines.conftest import KEY, endpoint

LOOKUP = ToolDefinition(
    "lookup_order",
    "Find an order by its number.",
    {"type": "object", "properties": {"number": {"type": "string"}}, "required": ["number"]},
)
QUESTION = [ChatMessage.system("You answer order questions."), ChatMessage.user("Where is order 42?")]


def test_a_text_reply_comes_back_with_usage_cost_and_the_key_sent(server: FakeOpenAIServer) -> None:
    server.script(Reply("It shipped yesterday.", input_tokens=1000, output_tokens=200))
    with OpenAIChatModel([endpoint(server.base_url)]) as model:
        response = model.complete(QUESTION)

    assert response.content == "It shipped yesterday."
    assert response.tool_calls == ()
    assert response.usage == Usage(1000, 200)
    # gpt-4o-mini lists at $0.15 in / $0.60 out per 1M tokens.
    assert response.priced and abs(response.cost_usd - (1000 * 0.15 + 200 * 0.60) / 1e6) < 1e-12
    assert (response.attempts, response.failed_over, response.endpoint) == (1, False, server.base_url)
    [request] = server.requests
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.body["model"] == "gpt-4o-mini"
    assert request.messages == [
        {"role": "system", "content": "You answer order questions."},
        {"role": "user", "content": "Where is order 42?"},
    ]
    assert "tools" not in request.body
    assert "temperature" not in request.body  # none asked for: the endpoint's own default


def test_a_temperature_asked_for_is_sent_streamed_or_not(server: FakeOpenAIServer) -> None:
    server.script(Reply("One."), Reply("Two."))
    with OpenAIChatModel([endpoint(server.base_url)]) as model:
        model.complete(QUESTION, temperature=0.0)
        model.complete(QUESTION, temperature=0.7, on_text=lambda _text: None)
    assert [(r.body["temperature"], r.streamed) for r in server.requests] == [(0.0, False), (0.7, True)]


def test_tool_calls_round_trip_in_the_wire_format(server: FakeOpenAIServer) -> None:
    server.script(call_tool("lookup_order", '{"number": "42"}', call_id="call_a"), Reply("Order 42 shipped."))
    with OpenAIChatModel([endpoint(server.base_url)]) as model:
        first = model.complete(QUESTION, tools=[LOOKUP])
        history = [
            *QUESTION,
            ChatMessage.assistant(first.content, first.tool_calls),
            ChatMessage.tool("call_a", '{"status": "shipped"}'),
        ]
        second = model.complete(history, tools=[LOOKUP])

    assert first.tool_calls == (ToolCall("call_a", "lookup_order", '{"number": "42"}'),)
    assert first.finish_reason == "tool_calls"
    assert second.content == "Order 42 shipped."
    offered = server.requests[0].body["tools"]
    assert offered == [
        {
            "type": "function",
            "function": {"name": "lookup_order", "description": LOOKUP.description, "parameters": LOOKUP.parameters},
        }
    ]
    assistant, tool = server.requests[1].messages[-2:]
    assert assistant["tool_calls"] == [
        {"id": "call_a", "type": "function", "function": {"name": "lookup_order", "arguments": '{"number": "42"}'}}
    ]
    assert tool == {"role": "tool", "tool_call_id": "call_a", "content": '{"status": "shipped"}'}


def test_streamed_text_reaches_the_callback_in_pieces_and_usage_is_asked_for(server: FakeOpenAIServer) -> None:
    server.script(Reply("Your order is on its way.", chunk_chars=5, input_tokens=30, output_tokens=7))
    pieces: list[str] = []
    with OpenAIChatModel([endpoint(server.base_url)]) as model:
        response = model.complete(QUESTION, on_text=pieces.append)

    assert len(pieces) > 1
    assert "".join(pieces) == response.content == "Your order is on its way."
    assert response.usage == Usage(30, 7) and response.usage_reported
    [request] = server.requests
    assert request.streamed and request.body["stream_options"] == {"include_usage": True}


def test_streamed_tool_calls_are_joined_from_their_fragments(server: FakeOpenAIServer) -> None:
    calls = (
        ToolCall("call_1", "lookup_order", '{"number": "42"}'),
        ToolCall("call_2", "lookup_order", '{"number": "43"}'),
    )
    server.script(CallTools(calls, text="Let me check both."))
    pieces: list[str] = []
    with OpenAIChatModel([endpoint(server.base_url)]) as model:
        response = model.complete(QUESTION, tools=[LOOKUP], on_text=pieces.append)

    assert response.tool_calls == calls
    assert response.content == "Let me check both." == "".join(pieces)


def test_a_stream_without_usage_is_marked_unreported_not_free(server: FakeOpenAIServer) -> None:
    server.script(Reply("Fine.", send_usage=False))
    with OpenAIChatModel([endpoint(server.base_url)]) as model:
        response = model.complete(QUESTION, on_text=lambda _: None)

    assert response.content == "Fine."
    assert response.usage == Usage() and not response.usage_reported


def test_a_server_that_refuses_stream_options_is_asked_again_without_them() -> None:
    with FakeOpenAIServer(default=Reply("Fine."), refuse_stream_options=True) as server:
        with OpenAIChatModel([endpoint(server.base_url)]) as model:
            first = model.complete(QUESTION, on_text=lambda _: None)
            second = model.complete(QUESTION, on_text=lambda _: None)

    assert (first.content, first.attempts, first.usage_reported) == ("Fine.", 2, False)
    # Remembered: the next turn does not pay for the refused request again.
    assert second.attempts == 1
    assert ["stream_options" in r.body for r in server.requests] == [True, False, False]


def test_cost_uses_the_served_model_name_and_its_dated_snapshot(server: FakeOpenAIServer) -> None:
    server.script(Reply("Hi.", model="gpt-4o-2024-08-06", input_tokens=2_000_000, output_tokens=1_000_000))
    with OpenAIChatModel([endpoint(server.base_url, model="gpt-4o")]) as model:
        response = model.complete(QUESTION)

    assert response.model == "gpt-4o-2024-08-06"
    assert response.cost_usd == 2 * 2.50 + 1 * 10.00


def test_an_unknown_model_costs_nothing_and_says_it_is_unpriced(server: FakeOpenAIServer) -> None:
    server.script(Reply("Hi.", input_tokens=500, output_tokens=50))
    prices = PriceTable({"house-model": Price(1.0, 2.0)})
    with OpenAIChatModel([endpoint(server.base_url, model="llama-3.1-8b-instruct")], prices=prices) as model:
        response = model.complete(QUESTION)

    assert (response.cost_usd, response.priced) == (0.0, False)
    assert response.usage == Usage(500, 50)


def test_the_tool_schema_reaches_the_server_unchanged(server: FakeOpenAIServer) -> None:
    nested = ToolDefinition(
        "book_meeting",
        "Book a meeting.",
        {
            "type": "object",
            "properties": {"slots": {"type": "array", "items": {"type": "string", "format": "date-time"}}},
            "required": ["slots"],
        },
    )
    server.script(Reply("ok"))
    with OpenAIChatModel([endpoint(server.base_url)]) as model:
        model.complete(QUESTION, tools=[nested])

    sent = server.requests[0].body["tools"][0]["function"]["parameters"]
    assert json.dumps(sent, sort_keys=True) == json.dumps(nested.parameters, sort_keys=True)
