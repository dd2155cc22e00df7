"""The engine's vocabulary: chat messages, tool calls and definitions, token usage and one model response."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True)
class ToolCall:
    """A model's request to run one tool; `arguments` is the raw JSON text exactly as the model sent it."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None  # set on `tool` messages: the call this message answers

    @classmethod
    def system(cls, content: str) -> ChatMessage:
        return cls("system", content)

    @classmethod
    def user(cls, content: str) -> ChatMessage:
        return cls("user", content)

    @classmethod
    def assistant(cls, content: str | None, tool_calls: tuple[ToolCall, ...] = ()) -> ChatMessage:
        return cls("assistant", content, tool_calls)

    @classmethod
    def tool(cls, call_id: str, content: str) -> ChatMessage:
        return cls("tool", content, tool_call_id=call_id)


@dataclass(frozen=True)
class ToolDefinition:
    """A tool offered to the model; `parameters` is the JSON Schema of its arguments object."""

    name: str
    description: str
    parameters: dict[str, Any]


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.input_tokens + other.input_tokens, self.output_tokens + other.output_tokens)

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True)
class ModelResponse:
    """One completed model call: either text, or tool calls (sometimes with text beside them)."""

    content: str | None
    tool_calls: tuple[ToolCall, ...] = ()
    usage: Usage = Usage()
    model: str = ""  # the model that answered, as the server named it
    endpoint: str = ""  # base URL of the endpoint that answered; empty for in-process models
    cost_usd: float = 0.0
    attempts: int = 1  # HTTP requests made for this call, over every endpoint tried
    failed_over: bool = False  # answered by a fallback endpoint
    priced: bool = False  # False: the price table does not know `model`, so `cost_usd` is 0.0, not "free"
    usage_reported: bool = True  # False: the server sent no token counts (some streaming servers don't)
    finish_reason: str | None = None  # "length" means the reply was cut at the token limit
