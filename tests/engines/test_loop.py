"""The tool loop: tools run and feed back, model mistakes become tool errors, and every stop is explained."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from cadre.engines.loop import ToolOutcome, run_tool_loop
from cadre.engines.messages import ChatMessage, ModelResponse, ToolCall, ToolDefinition, Usage
from cadre.engines.model import ModelUnavailable
from cadre.engines.openai_model import OpenAIChatModel
from cadre.errors import ConfigError
from cadre.testing.fake_openai import FakeOpenAIServer, Reply, call_tool, closed_port_url
from cadre.testing.scripted import FunctionChatModel, ScriptedChatModel, calling_tools, tool_call
from tests.engines.conftest import endpoint

SCHEMA = {"type": "object", "properties": {"number": {"type": "string"}}, "required": ["number"]}
LOOKUP = ToolDefinition("lookup_order", "Find an order by its number.", SCHEMA)
QUESTION = [ChatMessage.user("Where is order 42?")]


class Tools:
    """A tool runner that records what it was asked to run."""

    def __init__(self) -> None:
        self.calls: list[ToolCall] = []

    def __call__(self, call: ToolCall) -> ToolOutcome:
        self.calls.append(call)
        number = json.loads(call.arguments)["number"]
        return ToolOutcome(ok=True, content=json.dumps({"number": number, "status": "shipped"}))


def test_a_tool_result_is_fed_back_and_the_model_replies() -> None:
    model = ScriptedChatModel(
        [
            ModelResponse(None, (tool_call("lookup_order", {"number": "42"}),), usage=Usage(100, 10), cost_usd=0.25),
            ModelResponse("Order 42 has shipped.", usage=Usage(150, 8), cost_usd=0.5),
        ]
    )
    tools = Tools()
    result = run_tool_loop(model, QUESTION, tools=[LOOKUP], run_tool=tools)

    assert (result.reply, result.stopped, result.steps) == ("Order 42 has shipped.", "reply", 2)
    assert result.usage == Usage(250, 18) and result.cost_usd == 0.75
    assert [c.arguments for c in tools.calls] == ['{"number": "42"}']
    # The second request carries the assistant's call and the tool's answer, in that order.
    second = model.requests[1].messages
    assert second[-2] == ChatMessage.assistant(None, tuple(tools.calls))
    assert second[-1] == ChatMessage.tool("call_lookup_order", '{"number": "42", "status": "shipped"}')
    assert result.messages[-1] == ChatMessage.assistant("Order 42 has shipped.")
    assert model.requests[0].tool_names == ["lookup_order"]


def test_malformed_arguments_get_a_structured_error_and_the_corrected_call_runs() -> None:
    model = ScriptedChatModel(
        [
            calling_tools(tool_call("lookup_order", "{number: 42", call_id="bad")),
            calling_tools(tool_call("lookup_order", {"number": "42"}, call_id="good")),
            "Order 42 has shipped.",
        ]
    )
    tools = Tools()
    result = run_tool_loop(model, QUESTION, tools=[LOOKUP], run_tool=tools)

    assert result.reply == "Order 42 has shipped."
    assert [c.id for c in tools.calls] == ["good"]
    refused, ran = result.tool_results
    assert not refused[1].ok and ran[1].ok
    error = json.loads(refused[1].content)
    assert error["expected"] == SCHEMA
    assert error["error"].startswith("arguments of `lookup_order` must be a JSON object, got text that does not parse")
    assert model.requests[1].messages[-1] == ChatMessage.tool("bad", refused[1].content)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (tool_call("cancel_order", {"number": "42"}), "unknown tool 'cancel_order'; call one of the tools offered"),
        (tool_call("lookup_order", "[42]"), "arguments of `lookup_order` must be a JSON object, got a JSON array"),
        (tool_call("lookup_order", '"42"'), "arguments of `lookup_order` must be a JSON object, got a JSON string"),
    ],
)
def test_calls_that_cannot_run_are_answered_without_running_anything(call: ToolCall, error: str) -> None:
    model = ScriptedChatModel([calling_tools(call), "Sorry, I could not look that up."])
    tools = Tools()
    result = run_tool_loop(model, QUESTION, tools=[LOOKUP], run_tool=tools)

    assert tools.calls == [] and result.stopped == "reply"
    [(_, outcome)] = result.tool_results
    assert json.loads(outcome.content)["error"] == error


def test_an_unknown_tool_error_lists_the_tools_that_exist() -> None:
    model = ScriptedChatModel([calling_tools(tool_call("cancel_order")), "Sorry."])
    result = run_tool_loop(model, QUESTION, tools=[LOOKUP], run_tool=Tools())

    assert json.loads(result.tool_results[0][1].content)["expected"] == {"tools": ["lookup_order"]}


def test_empty_arguments_reach_the_runner_as_an_empty_object() -> None:
    ping = ToolDefinition("ping", "Check the service.", {"type": "object", "properties": {}})
    seen: list[str] = []

    def run_ping(call: ToolCall) -> ToolOutcome:
        seen.append(call.arguments)
        return ToolOutcome(ok=True, content='{"up": true}')

    model = ScriptedChatModel([calling_tools(tool_call("ping", "")), "Up."])
    run_tool_loop(model, QUESTION, tools=[ping], run_tool=run_ping)

    assert seen == ["{}"]


def test_the_loop_stops_after_max_steps_of_tool_calls() -> None:
    always_calling = FunctionChatModel(
        lambda messages, tools: calling_tools(tool_call("lookup_order", {"number": "1"}))
    )
    result = run_tool_loop(always_calling, QUESTION, tools=[LOOKUP], run_tool=Tools(), max_steps=3)

    assert (result.stopped, result.steps, result.reply) == ("max_steps", 3, None)
    assert len(result.tool_results) == 3


def test_the_loop_stops_when_the_time_budget_is_spent() -> None:
    now = [0.0]

    def slow_model(messages: Sequence[ChatMessage], tools: Sequence[ToolDefinition]) -> ModelResponse:
        now[0] += 4.0  # each model call takes four seconds of the injected clock
        return calling_tools(tool_call("lookup_order", {"number": "1"}))

    result = run_tool_loop(
        FunctionChatModel(slow_model),
        QUESTION,
        tools=[LOOKUP],
        run_tool=Tools(),
        time_budget_s=10,
        clock=lambda: now[0],
    )

    assert (result.stopped, result.steps, result.reply) == ("time_budget", 3, None)


def test_streamed_text_reaches_the_callback_through_the_loop() -> None:
    pieces: list[str] = []
    result = run_tool_loop(
        ScriptedChatModel(["Order 42 has shipped."]), QUESTION, tools=[], run_tool=Tools(), on_text=pieces.append
    )

    assert "".join(pieces) == result.reply == "Order 42 has shipped."
    assert len(pieces) == 4


def test_max_steps_below_one_is_refused() -> None:
    with pytest.raises(ConfigError, match="`max_steps` must be at least 1, got 0"):
        run_tool_loop(ScriptedChatModel([]), QUESTION, tools=[], run_tool=Tools(), max_steps=0)


def test_against_a_real_server_a_malformed_call_is_corrected_within_the_turn(server: FakeOpenAIServer) -> None:
    server.script(
        call_tool("lookup_order", '{"number": 42', call_id="c1"),
        call_tool("lookup_order", '{"number": "42"}', call_id="c2"),
        Reply("Order 42 has shipped.", input_tokens=100, output_tokens=10),
    )
    tools = Tools()
    with OpenAIChatModel([endpoint(server.base_url)]) as model:
        result = run_tool_loop(model, QUESTION, tools=[LOOKUP], run_tool=tools)

    assert (result.reply, result.steps) == ("Order 42 has shipped.", 3)
    assert [c.id for c in tools.calls] == ["c2"]
    assert result.usage == Usage(120, 20)
    correction = server.requests[1].messages[-1]
    assert correction["tool_call_id"] == "c1" and "must be a JSON object" in json.loads(correction["content"])["error"]


def test_an_unavailable_model_propagates_to_the_runtime() -> None:
    with OpenAIChatModel([endpoint(closed_port_url())]) as model:
        with pytest.raises(ModelUnavailable):
            run_tool_loop(model, QUESTION, tools=[LOOKUP], run_tool=Tools())
