"""The one protocol every chat model implements, and the error raised when no endpoint answers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from cadre.engines.messages import ChatMessage, ModelResponse, ToolDefinition
from cadre.errors import CadreError

TextCallback = Callable[[str], None]


class ChatModel(Protocol):
    """Something that answers a conversation with text or tool calls: an LLM endpoint or a test double."""

    name: str

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolDefinition] = (),
        on_text: TextCallback | None = None,
        temperature: float | None = None,
    ) -> ModelResponse:
        """Answer `messages`; with `on_text`, stream the reply's text to it as it arrives; `temperature` is sent
        when given (otherwise the endpoint's default applies)."""
        ...


class ModelUnavailable(CadreError):
    """Every configured endpoint failed; the message names each endpoint and its last error, never a key."""

    def __init__(self, message: str, *, attempts: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.attempts = attempts
