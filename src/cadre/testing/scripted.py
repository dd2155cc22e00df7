"""Deterministic chat models for tests: a fixed script of responses, or a function that decides each one."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cadre.engines.messages import ChatMessage, ModelResponse, ToolCall, ToolDefinition
from cadre.engines.model import TextCallback
from cadre.errors import CadreError

Scripted = ModelResponse | str  # a str is a plain text reply
ResponseFunction = Callable[[Sequence[ChatMessage], Sequence[ToolDefinition]], Scripted]

_WORDS = re.compile(r"\s*\S+\s*")


class ScriptExhausted(CadreError):
    """A scripted model was asked for more responses than its script holds."""


@dataclass(frozen=True)
class ModelRequest:
    """What one `complete` call was given, kept for assertions."""

    messages: tuple[ChatMessage, ...]
    tools: tuple[ToolDefinition, ...]
    streamed: bool
    temperature: float | None = None

    @property
    def tool_names(self) -> list[str]:
        return [tool.name for tool in self.tools]


def tool_call(name: str, arguments: Mapping[str, Any] | str = "{}", *, call_id: str | None = None) -> ToolCall:
    """A tool call as a model sends it; a str `arguments` is sent as is (so it may be malformed on purpose)."""
    text = arguments if isinstance(arguments, str) else json.dumps(dict(arguments))
    return ToolCall(id=call_id or f"call_{name}", name=name, arguments=text)


def calling_tools(*calls: ToolCall, text: str | None = None) -> ModelResponse:
    """A response that asks for `calls`, optionally with some text beside them."""
    return ModelResponse(content=text, tool_calls=calls, finish_reason="tool_calls")


class _RecordingModel:
    def __init__(self, name: str) -> None:
        self.name = name
        self.requests: list[ModelRequest] = []
        self._lock = threading.Lock()

    def _record(
        self,
        messages: Sequence[ChatMessage],
        tools: Sequence[ToolDefinition],
        streamed: bool,
        temperature: float | None = None,
    ) -> int:
        with self._lock:
            self.requests.append(ModelRequest(tuple(messages), tuple(tools), streamed, temperature))
            return len(self.requests) - 1

    def _deliver(self, scripted: Scripted, on_text: TextCallback | None) -> ModelResponse:
        response = ModelResponse(content=scripted, finish_reason="stop") if isinstance(scripted, str) else scripted
        if not response.model:
            response = replace(response, model=self.name)
        if on_text is not None and response.content:
            # Word by word, so consumers of a stream see more than one delta as they would from a server.
            for piece in _WORDS.findall(response.content):
                on_text(piece)
        return response


class ScriptedChatModel(_RecordingModel):
    """Answers with `responses` in order, one per call; records every request in `requests`."""

    def __init__(self, responses: Iterable[Scripted], *, name: str = "scripted") -> None:
        super().__init__(name)
        self._responses = list(responses)

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolDefinition] = (),
        on_text: TextCallback | None = None,
        temperature: float | None = None,
    ) -> ModelResponse:
        index = self._record(messages, tools, on_text is not None, temperature)
        if index >= len(self._responses):
            raise ScriptExhausted(
                f"`ScriptedChatModel` call {index + 1} must have a scripted response, "
                f"got a script of {len(self._responses)}"
            )
        return self._deliver(self._responses[index], on_text)


class FunctionChatModel(_RecordingModel):
    """Answers each call with `respond(messages, tools)`, so a test can react to what the agent sent."""

    def __init__(self, respond: ResponseFunction, *, name: str = "function") -> None:
        super().__init__(name)
        self._respond = respond

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolDefinition] = (),
        on_text: TextCallback | None = None,
        temperature: float | None = None,
    ) -> ModelResponse:
        self._record(messages, tools, on_text is not None, temperature)
        return self._deliver(self._respond(messages, tools), on_text)
