"""The tool-calling loop: ask the model, run the tools it calls, feed the results back, until it replies."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import urlsplit

from opentelemetry.util.types import AttributeValue

from cadre.engines.messages import ChatMessage, ModelResponse, ToolCall, ToolDefinition, Usage
from cadre.engines.model import ChatModel, TextCallback
from cadre.errors import ConfigError
from cadre.observability import tracing

StopReason = Literal["reply", "max_steps", "time_budget"]

_JSON_TYPE = {list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}


@dataclass(frozen=True)
class ToolOutcome:
    """What running one tool call produced; `content` (JSON text) is exactly what the model sees."""

    ok: bool
    content: str


ToolRunner = Callable[[ToolCall], ToolOutcome]


@dataclass
class LoopResult:
    reply: str | None  # None unless `stopped == "reply"` (or the model replied with no text at all)
    stopped: StopReason
    steps: int  # model calls made
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    tool_results: list[tuple[ToolCall, ToolOutcome]] = field(default_factory=list)
    responses: list[ModelResponse] = field(default_factory=list)
    messages: list[ChatMessage] = field(default_factory=list)  # the whole conversation, ending with this turn


def run_tool_loop(
    model: ChatModel,
    messages: Sequence[ChatMessage],
    *,
    tools: Sequence[ToolDefinition],
    run_tool: ToolRunner,
    max_steps: int = 6,
    time_budget_s: float = 30.0,
    on_text: TextCallback | None = None,
    temperature: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> LoopResult:
    """Run one turn. The model's mistakes (unknown tools, arguments that are not a JSON object) are answered
    with a structured tool error it can correct; they never end the turn. `ModelUnavailable` propagates."""
    if max_steps < 1:
        raise ConfigError(f"`max_steps` must be at least 1, got {max_steps!r}")
    started = clock()
    by_name = {tool.name: tool for tool in tools}
    result = LoopResult(reply=None, stopped="max_steps", steps=0, messages=list(messages))
    while result.steps < max_steps:
        # Checked before each call, not during it: a model call cannot be interrupted once it has started.
        if clock() - started >= time_budget_s:
            result.stopped = "time_budget"
            return result
        provider, requested = _provider_and_model(model.name)
        attributes: dict[str, AttributeValue] = {
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": provider,
            "gen_ai.request.model": requested,
            "gen_ai.request.stream": on_text is not None,
        }
        if temperature is not None:
            attributes["gen_ai.request.temperature"] = temperature
        with tracing.span(f"chat {requested}", attributes) as span:
            response = model.complete(result.messages, tools=tools, on_text=on_text, temperature=temperature)
            span.set_attributes(_response_attributes(response))
        result.steps += 1
        result.responses.append(response)
        result.usage += response.usage
        result.cost_usd += response.cost_usd
        result.messages.append(ChatMessage.assistant(response.content, response.tool_calls))
        if not response.tool_calls:
            result.reply = response.content
            result.stopped = "reply"
            return result
        for sent in response.tool_calls:
            # Models often send "" for a tool without parameters; the runner always gets a JSON object.
            call = replace(sent, arguments="{}") if not sent.arguments.strip() else sent
            outcome = _refusal(call, by_name) or run_tool(call)
            result.tool_results.append((call, outcome))
            result.messages.append(ChatMessage.tool(call.id, outcome.content))
    return result


def _provider_and_model(name: str) -> tuple[str, str]:
    """("openai", "gpt-4o-mini") from a model named "openai:gpt-4o-mini"; a test double's name is both."""
    provider, _, model = name.partition(":")
    return provider, model or provider


def _response_attributes(response: ModelResponse) -> dict[str, AttributeValue]:
    """The GenAI conventions' response attributes of one model call, and how hard it was to get: no text."""
    attributes: dict[str, AttributeValue] = {
        "cadre.model.attempts": response.attempts,
        "cadre.model.failed_over": response.failed_over,
        "cadre.model.tool_calls": len(response.tool_calls),
        "cadre.cost_usd": response.cost_usd,
    }
    if response.model:
        attributes["gen_ai.response.model"] = response.model
    if response.usage_reported:
        attributes["gen_ai.usage.input_tokens"] = response.usage.input_tokens
        attributes["gen_ai.usage.output_tokens"] = response.usage.output_tokens
    if response.finish_reason:
        attributes["gen_ai.response.finish_reasons"] = (response.finish_reason,)
    if response.endpoint:
        where = urlsplit(response.endpoint)
        attributes["server.address"] = where.hostname or ""
        if where.port is not None:
            attributes["server.port"] = where.port
    return attributes


def _refusal(call: ToolCall, tools: dict[str, ToolDefinition]) -> ToolOutcome | None:
    """A tool error for a call that cannot run as sent, shaped so the model can correct it; None if it can run."""
    tool = tools.get(call.name)
    if tool is None:
        error = f"unknown tool {call.name!r}; call one of the tools offered"
        return _tool_error(error, expected={"tools": sorted(tools)})
    try:
        arguments = json.loads(call.arguments)
    except json.JSONDecodeError as exc:
        error = f"arguments of `{call.name}` must be a JSON object, got text that does not parse ({exc.msg})"
        return _tool_error(error, expected=tool.parameters)
    if not isinstance(arguments, dict):
        error = f"arguments of `{call.name}` must be a JSON object, got a JSON {_JSON_TYPE[type(arguments)]}"
        return _tool_error(error, expected=tool.parameters)
    return None


def _tool_error(error: str, *, expected: object) -> ToolOutcome:
    return ToolOutcome(ok=False, content=json.dumps({"error": error, "expected": expected}, ensure_ascii=False))
