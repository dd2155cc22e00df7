"""The shipped test doubles: scripted responses in order, function-decided responses, recorded requests."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from cadre.engines.messages import ChatMessage, ModelResponse, ToolDefinition, Usage
from cadre.testing.scripted import FunctionChatModel, ScriptedChatModel, ScriptExhausted, calling_tools, tool_call

PING = ToolDefinition("ping", "Check the service.", {"type": "object", "properties": {}})


def test_responses_come_in_order_and_requests_are_recorded() -> None:
    model = ScriptedChatModel([calling_tools(tool_call("ping")), ModelResponse("Up.", usage=Usage(3, 1))])

    first = model.complete([ChatMessage.user("Is it up?")], tools=[PING])
    second = model.complete([ChatMessage.user("And now?")])

    assert first.tool_calls[0].name == "ping" and first.model == "scripted"
    assert (second.content, second.usage) == ("Up.", Usage(3, 1))
    assert [r.messages[-1].content for r in model.requests] == ["Is it up?", "And now?"]
    assert [r.tool_names for r in model.requests] == [["ping"], []]


def test_a_request_beyond_the_script_fails_loudly() -> None:
    model = ScriptedChatModel(["Only one."])
    model.complete([ChatMessage.user("1")])

    with pytest.raises(ScriptExhausted, match="call 2 must have a scripted response, got a script of 1"):
        model.complete([ChatMessage.user("2")])


def test_recorded_messages_do_not_change_when_the_caller_appends_to_its_list() -> None:
    model = ScriptedChatModel(["a", "b"])
    history = [ChatMessage.user("1")]
    model.complete(history)
    history.append(ChatMessage.assistant("a"))

    assert len(model.requests[0].messages) == 1


def test_a_function_model_answers_from_what_it_was_sent() -> None:
    def echo(messages: Sequence[ChatMessage], tools: Sequence[ToolDefinition]) -> str:
        return f"{messages[-1].content} ({len(tools)} tools)"

    model = FunctionChatModel(echo)
    pieces: list[str] = []
    response = model.complete([ChatMessage.user("hello there")], tools=[PING], on_text=pieces.append)

    assert response.content == "hello there (1 tools)" == "".join(pieces)
    assert pieces == ["hello ", "there ", "(1 ", "tools)"]
    assert model.requests[0].streamed
