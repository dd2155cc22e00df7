"""A chat model on any OpenAI-compatible `/v1/chat/completions` endpoint, with retries, failover and cost."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urlsplit

import openai
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionMessageParam,
    ChatCompletionStreamOptionsParam,
    ChatCompletionToolParam,
)
from openai.types.completion_usage import CompletionUsage

from cadre.engines.messages import ChatMessage, ModelResponse, ToolCall, ToolDefinition, Usage
from cadre.engines.model import ModelUnavailable, TextCallback
from cadre.engines.pricing import PriceTable
from cadre.errors import ConfigError
from cadre.observability import tracing

# Keyless servers (a local vLLM) still need a non-empty key for the client; passing one also stops the
# client from silently picking up `OPENAI_API_KEY` from the environment and sending it to another host.
_NO_KEY = "EMPTY"


@dataclass(frozen=True)
class Endpoint:
    """One OpenAI-compatible server and the model to ask there; the key never shows in its repr."""

    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    timeout_s: float = 60.0
    max_retries: int = 2  # retries by the client itself (429, 5xx, timeouts, connection errors) before failover

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ConfigError(f"endpoint base URL must start with http:// or https://, got {self.base_url!r}")
        if not self.model:
            raise ConfigError(f"endpoint model must be a non-empty name, got {self.model!r}")
        if self.timeout_s <= 0:
            raise ConfigError(f"endpoint timeout must be positive seconds, got {self.timeout_s!r}")
        if self.max_retries < 0:
            raise ConfigError(f"endpoint max retries must be 0 or more, got {self.max_retries!r}")

    @property
    def label(self) -> str:
        return f"{self.model!r} at {self.base_url}"


class OpenAIChatModel:
    """Asks each endpoint in turn (primary, then fallbacks); the client retries with backoff inside each one.

    Thread-safe: one `openai.OpenAI` client per endpoint, shared by concurrent turns.
    """

    def __init__(self, endpoints: Sequence[Endpoint], *, prices: PriceTable | None = None) -> None:
        if not endpoints:
            raise ConfigError("an OpenAI-compatible model needs at least one endpoint, got none")
        self.endpoints = tuple(endpoints)
        self.name = f"openai:{self.endpoints[0].model}"
        self._prices = prices if prices is not None else PriceTable.load()
        # The client honours `Retry-After` (up to two minutes) and otherwise backs off exponentially from 0.5 s.
        self._clients = [
            openai.OpenAI(
                base_url=e.base_url, api_key=e.api_key or _NO_KEY, timeout=e.timeout_s, max_retries=e.max_retries
            )
            for e in self.endpoints
        ]
        self._refuse_stream_options: set[str] = set()  # base URLs of servers that answered 400 to `stream_options`

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolDefinition] = (),
        on_text: TextCallback | None = None,
        temperature: float | None = None,
    ) -> ModelResponse:
        wire_messages = [_message_to_wire(m) for m in messages]
        wire_tools = [_tool_to_wire(t) for t in tools]
        attempts = 0
        failures: list[str] = []
        for index, (endpoint, client) in enumerate(zip(self.endpoints, self._clients, strict=True)):
            stream = _StreamedReply(on_text) if on_text is not None else None
            try:
                reply, tries = self._ask(endpoint, client, wire_messages, wire_tools, stream, temperature)
            except openai.APIError as exc:
                attempts += _attempts_of(exc)
                failure = f"{endpoint.label}: {_redacted(_describe(exc), self.endpoints)}"
                if stream is not None and stream.text_sent:
                    # The user has already seen part of this reply; a fallback would start it again.
                    raise ModelUnavailable(
                        f"the reply from {failure} broke off after part of it was streamed", attempts=attempts
                    ) from None
                failures.append(failure)
                _note_on_span("endpoint_failed", endpoint, exc, failure)
                continue
            attempts += tries
            if index > 0:
                _note_on_span("failover", endpoint)
            return self._priced(reply, endpoint, attempts=attempts, failed_over=index > 0)
        raise ModelUnavailable(
            f"no LLM endpoint answered after {attempts} request(s): " + "; ".join(failures),
            attempts=attempts,
            hint="check `CADRE_LLM_BASE_URL` and `CADRE_LLM_FALLBACK_BASE_URL`, and that the servers are up",
        )

    def _ask(
        self,
        endpoint: Endpoint,
        client: openai.OpenAI,
        messages: list[ChatCompletionMessageParam],
        tools: list[ChatCompletionToolParam],
        stream: _StreamedReply | None,
        temperature: float | None,
    ) -> tuple[_Reply, int]:
        ask_usage = endpoint.base_url not in self._refuse_stream_options
        try:
            return _request(client, endpoint.model, messages, tools, stream, temperature, ask_usage=ask_usage)
        except openai.BadRequestError as exc:
            # Some servers (older Azure API versions, some proxies) refuse `stream_options`: stream without usage.
            if stream is None or not ask_usage or "stream_options" not in exc.message:
                raise
            self._refuse_stream_options.add(endpoint.base_url)
        reply, tries = _request(client, endpoint.model, messages, tools, stream, temperature, ask_usage=False)
        return reply, tries + 1

    def _priced(self, reply: _Reply, endpoint: Endpoint, *, attempts: int, failed_over: bool) -> ModelResponse:
        served_by = reply.model or endpoint.model
        cost = self._prices.cost_served(served_by, endpoint.model, reply.usage)
        return ModelResponse(
            content=reply.content,
            tool_calls=reply.tool_calls,
            usage=reply.usage,
            model=served_by,
            endpoint=endpoint.base_url,
            cost_usd=cost.usd,
            attempts=attempts,
            failed_over=failed_over,
            priced=cost.priced,
            usage_reported=reply.usage_reported,
            finish_reason=reply.finish_reason,
        )

    def close(self) -> None:
        for client in self._clients:
            client.close()

    def __enter__(self) -> OpenAIChatModel:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


@dataclass
class _Reply:
    content: str | None
    tool_calls: tuple[ToolCall, ...]
    usage: Usage
    usage_reported: bool
    model: str
    finish_reason: str | None


def _request(
    client: openai.OpenAI,
    model: str,
    messages: list[ChatCompletionMessageParam],
    tools: list[ChatCompletionToolParam],
    stream: _StreamedReply | None,
    temperature: float | None,
    *,
    ask_usage: bool,
) -> tuple[_Reply, int]:
    """One call on one endpoint (the client retries inside it); returns the reply and the HTTP requests made."""
    create = client.chat.completions.with_raw_response.create
    wire_tools = tools or openai.omit
    sampling = openai.omit if temperature is None else temperature
    if stream is None:
        raw = create(model=model, messages=messages, tools=wire_tools, temperature=sampling)
        return _reply_from_completion(raw.parse()), raw.retries_taken + 1
    usage_option: ChatCompletionStreamOptionsParam | openai.Omit = {"include_usage": True} if ask_usage else openai.omit
    raw_stream = create(
        model=model,
        messages=messages,
        tools=wire_tools,
        temperature=sampling,
        stream=True,
        stream_options=usage_option,
    )
    with raw_stream.parse() as chunks:
        for chunk in chunks:
            stream.add(chunk)
    return stream.reply(), raw_stream.retries_taken + 1


def _reply_from_completion(completion: ChatCompletion) -> _Reply:
    if not completion.choices:
        return _Reply(None, (), _usage(completion.usage), completion.usage is not None, completion.model, None)
    choice = completion.choices[0]
    calls = tuple(
        ToolCall(id=call.id or f"call_{n}", name=call.function.name, arguments=call.function.arguments)
        for n, call in enumerate(choice.message.tool_calls or ())
        if call.type == "function"
    )
    # A refusal is the model's answer to the user, so it is the reply's text.
    content = choice.message.content if choice.message.content is not None else choice.message.refusal
    return _Reply(
        content, calls, _usage(completion.usage), completion.usage is not None, completion.model, choice.finish_reason
    )


@dataclass
class _CallFragments:
    id: str = ""
    name: str = ""
    arguments: str = ""


class _StreamedReply:
    """Accumulates streamed chunks: text deltas go to the callback, tool-call fragments are joined by index."""

    def __init__(self, on_text: TextCallback) -> None:
        self._on_text = on_text
        self._text: list[str] = []
        self._calls: dict[int, _CallFragments] = {}  # by the index the server gives each call
        self._usage: CompletionUsage | None = None
        self._model = ""
        self._finish_reason: str | None = None
        self.text_sent = False

    def add(self, chunk: ChatCompletionChunk) -> None:
        self._model = chunk.model or self._model
        if chunk.usage is not None:
            self._usage = chunk.usage
        for choice in chunk.choices[:1]:
            self._finish_reason = choice.finish_reason or self._finish_reason
            delta = choice.delta
            text = delta.content if delta.content is not None else delta.refusal
            if text:
                self._text.append(text)
                self._on_text(text)
                self.text_sent = True
            for fragment in delta.tool_calls or ():
                call = self._calls.setdefault(fragment.index, _CallFragments())
                call.id = fragment.id or call.id
                if fragment.function is not None:
                    # Servers send the name whole in the first fragment; some repeat it, so it is not appended.
                    call.name = fragment.function.name or call.name
                    call.arguments += fragment.function.arguments or ""

    def reply(self) -> _Reply:
        calls = tuple(
            ToolCall(id=call.id or f"call_{index}", name=call.name, arguments=call.arguments)
            for index, call in sorted(self._calls.items())
        )
        content = "".join(self._text) if self._text else None
        return _Reply(content, calls, _usage(self._usage), self._usage is not None, self._model, self._finish_reason)


def _usage(usage: CompletionUsage | None) -> Usage:
    if usage is None:
        return Usage()
    return Usage(input_tokens=usage.prompt_tokens or 0, output_tokens=usage.completion_tokens or 0)


def _message_to_wire(message: ChatMessage) -> ChatCompletionMessageParam:
    if message.role == "system":
        return {"role": "system", "content": message.content or ""}
    if message.role == "user":
        return {"role": "user", "content": message.content or ""}
    if message.role == "tool":
        return {"role": "tool", "tool_call_id": message.tool_call_id or "", "content": message.content or ""}
    if not message.tool_calls:
        return {"role": "assistant", "content": message.content or ""}
    # Some servers reject an empty `tool_calls` list, so the key is only present when there are calls.
    return {
        "role": "assistant",
        "content": message.content,
        "tool_calls": [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in message.tool_calls
        ],
    }


def _tool_to_wire(tool: ToolDefinition) -> ChatCompletionToolParam:
    return {
        "type": "function",
        "function": {"name": tool.name, "description": tool.description, "parameters": tool.parameters},
    }


def _attempts_of(error: openai.APIError) -> int:
    # The client stamps every request it sends with the number of retries before it.
    retries = error.request.headers.get("x-stainless-retry-count", "0")
    return int(retries) + 1 if retries.isdigit() else 1


def _describe(error: openai.APIError) -> str:
    if isinstance(error, openai.APIStatusError):
        # The server's own message, without the client's "Error code: N - " prefix.
        body = error.body if isinstance(error.body, dict) else {}
        detail = body.get("message")
        return f"HTTP {error.status_code}: {detail if isinstance(detail, str) else error.message}"
    if isinstance(error, openai.APITimeoutError):
        return "timed out"
    if isinstance(error, openai.APIConnectionError):
        cause = error.__cause__
        return f"connection failed ({cause})" if cause is not None else "connection failed"
    return error.message


def _note_on_span(
    name: str, endpoint: Endpoint, error: openai.APIError | None = None, failure: str | None = None
) -> None:
    """An endpoint that failed, or the fallback that answered, as an event on the model call's span."""
    span = tracing.current_span()
    if not span.is_recording():
        return
    where = urlsplit(endpoint.base_url)
    attributes: dict[str, str | int] = {"server.address": where.hostname or "", "gen_ai.request.model": endpoint.model}
    if where.port is not None:
        attributes["server.port"] = where.port
    if error is not None:
        attributes["error.type"] = type(error).__name__
        attributes["cadre.attempts"] = _attempts_of(error)
    if failure is not None:
        attributes["cadre.error"] = tracing.masked_text(failure)
    span.add_event(name, attributes)


def _redacted(text: str, endpoints: Sequence[Endpoint]) -> str:
    # A proxy may echo the bearer token in its error body; error messages end up in logs and traces.
    for endpoint in endpoints:
        if endpoint.api_key:
            text = text.replace(endpoint.api_key, "***")
    return text
