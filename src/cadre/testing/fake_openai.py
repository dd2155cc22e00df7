"""A real HTTP server on 127.0.0.1 that speaks enough of `/v1/chat/completions` to script an LLM's behaviour."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast

from cadre.engines.messages import ToolCall
from cadre.testing.ports import free_port


@dataclass(frozen=True)
class Reply:
    """Answer with text; streamed in `chunk_chars`-sized deltas when the client asks for a stream."""

    text: str
    input_tokens: int = 10
    output_tokens: int = 5
    send_usage: bool = True  # False: behave like servers that never report token counts
    model: str | None = None  # the model name to answer with; default: the one requested
    chunk_chars: int = 4
    stall_mid_stream_s: float = 0.0  # streamed: hang this long after the first text, as an overloaded server may


@dataclass(frozen=True)
class CallTools:
    """Answer with tool calls; `arguments` is sent as given, so malformed JSON is scripted the same way."""

    calls: tuple[ToolCall, ...]
    text: str | None = None
    input_tokens: int = 10
    output_tokens: int = 5
    send_usage: bool = True
    model: str | None = None


@dataclass(frozen=True)
class Fail:
    """Answer with an HTTP error in OpenAI's error shape; `retry_after` sets the `Retry-After` header (seconds)."""

    status: int = 500
    message: str = "the fake server was told to fail"
    retry_after: float | None = None


@dataclass(frozen=True)
class Stall:
    """Wait `seconds` (longer than the client's timeout) before answering with `then`."""

    seconds: float
    then: Reply = Reply("late")


@dataclass(frozen=True)
class Disconnect:
    """Close the connection without answering, as a crashing server or proxy does."""


Behaviour = Reply | CallTools | Fail | Stall | Disconnect


def rate_limited(retry_after: float = 0.01) -> Fail:
    return Fail(429, "Rate limit reached; try again later.", retry_after=retry_after)


def call_tool(name: str, arguments: str, call_id: str = "call_1") -> CallTools:
    return CallTools((ToolCall(call_id, name, arguments),))


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def streamed(self) -> bool:
        return bool(self.body.get("stream"))


@dataclass
class _State:
    script: deque[Behaviour]
    default: Behaviour | None
    api_key: str | None
    refuse_stream_options: bool  # as older servers do: HTTP 400 for a request that names `stream_options`
    requests: list[RecordedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)

    def next_behaviour(self) -> Behaviour | None:
        with self.lock:
            return self.script.popleft() if self.script else self.default


class FakeOpenAIServer:
    """Serves scripted behaviours in order, one per request, then `default` (or HTTP 400 when there is none).

    Use as a context manager; `base_url` is what an OpenAI client needs. After `close()` the port is closed,
    which is how a server that is down looks to a client.
    """

    def __init__(
        self,
        *script: Behaviour,
        default: Behaviour | None = None,
        api_key: str | None = None,
        refuse_stream_options: bool = False,
    ) -> None:
        self._state = _State(deque(script), default, api_key, refuse_stream_options)
        self._server = _Server(self._state)
        self.port = int(self._server.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-openai", daemon=True
        )
        self._thread.start()

    def script(self, *behaviours: Behaviour) -> None:
        """Queue more behaviours after those not yet served."""
        with self._state.lock:
            self._state.script.extend(behaviours)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    def close(self) -> None:
        self._state.stopping.set()  # wakes stalled handlers so shutdown does not wait out their delay
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> FakeOpenAIServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def closed_port_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens: a server that is down."""
    return f"http://127.0.0.1:{free_port()}/v1"


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a stalled handler must not keep the test process alive

    def __init__(self, state: _State) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # a client that vanished mid-request must not hold a thread forever
    disable_nagle_algorithm = True  # headers and body go out as separate writes; Nagle would delay the body 40 ms

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: test output stays readable."""

    @property
    def state(self) -> _State:
        return cast(_Server, self.server).state

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            body = {}
        request = RecordedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        with self.state.lock:
            self.state.requests.append(request)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send_error(Fail(404, f"the fake server only serves /v1/chat/completions, got {self.path!r}"))
            return
        if self.state.api_key is not None and request.headers.get("authorization") != f"Bearer {self.state.api_key}":
            self._send_error(Fail(401, "Incorrect API key provided."))
            return
        if self.state.refuse_stream_options and "stream_options" in body:
            self._send_error(Fail(400, "Unrecognized request argument supplied: stream_options"))
            return
        try:
            self._serve(self.state.next_behaviour(), body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (its timeout): that is the behaviour under test

    def _serve(self, behaviour: Behaviour | None, body: dict[str, Any]) -> None:
        if behaviour is None:
            self._send_error(Fail(400, "the fake server's script is exhausted and it has no default behaviour"))
        elif isinstance(behaviour, Fail):
            self._send_error(behaviour)
        elif isinstance(behaviour, Disconnect):
            self.close_connection = True
        elif isinstance(behaviour, Stall):
            if not self.state.stopping.wait(behaviour.seconds):
                self._serve(behaviour.then, body)
            else:
                self.close_connection = True
        elif body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            chunks = _chunks(behaviour, str(body.get("model", "")), include_usage=include_usage)
            self._send_stream(chunks, stall_s=behaviour.stall_mid_stream_s if isinstance(behaviour, Reply) else 0.0)
        else:
            self._send_json(200, _completion(behaviour, str(body.get("model", ""))))

    def _send_json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _send_error(self, fail: Fail) -> None:
        headers = {"Retry-After": f"{fail.retry_after:g}"} if fail.retry_after is not None else {}
        error = {"message": fail.message, "type": "fake_error", "code": str(fail.status)}
        self._send_json(fail.status, {"error": error}, headers)

    def _send_stream(self, chunks: Iterator[dict[str, Any]], *, stall_s: float) -> None:
        # No length is known up front, so the stream ends by closing the connection.
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        stalled = not stall_s
        for chunk in chunks:
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
            if not stalled and any(c["delta"].get("content") for c in chunk["choices"]):
                stalled = True  # once, after the first text: the client has something to show, then waits
                if self.state.stopping.wait(stall_s):
                    return
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def _usage(behaviour: Reply | CallTools) -> dict[str, int]:
    prompt, completion = behaviour.input_tokens, behaviour.output_tokens
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _wire_calls(calls: tuple[ToolCall, ...]) -> list[dict[str, Any]]:
    return [{"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}} for c in calls]


def _completion(behaviour: Reply | CallTools, requested_model: str) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant"}
    if isinstance(behaviour, Reply):
        message["content"] = behaviour.text
        finish = "stop"
    else:
        message["content"] = behaviour.text
        message["tool_calls"] = _wire_calls(behaviour.calls)
        finish = "tool_calls"
    payload: dict[str, Any] = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": behaviour.model or requested_model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
    }
    if behaviour.send_usage:
        payload["usage"] = _usage(behaviour)
    return payload


def _chunk(model: str, choices: list[dict[str, Any]], usage: dict[str, int] | None = None) -> dict[str, Any]:
    chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model, "choices": choices}
    return chunk | {"usage": usage} if usage is not None else chunk


def _chunks(behaviour: Reply | CallTools, requested_model: str, *, include_usage: bool) -> Iterator[dict[str, Any]]:
    model = behaviour.model or requested_model

    def delta(content: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return _chunk(model, [{"index": 0, "delta": content, "finish_reason": finish}])

    yield delta({"role": "assistant"})
    if isinstance(behaviour, Reply):
        size = max(1, behaviour.chunk_chars)
        for start in range(0, len(behaviour.text), size):
            yield delta({"content": behaviour.text[start : start + size]})
        yield delta({}, "stop")
    else:
        if behaviour.text:
            yield delta({"content": behaviour.text})
        for index, call in enumerate(behaviour.calls):
            # As real servers do: the id and name first, then the arguments in pieces.
            head = {"index": index, "id": call.id, "type": "function", "function": {"name": call.name, "arguments": ""}}
            yield delta({"tool_calls": [head]})
            half = len(call.arguments) // 2
            for piece in (call.arguments[:half], call.arguments[half:]):
                yield delta({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
        yield delta({}, "tool_calls")
    if include_usage and behaviour.send_usage:
        yield _chunk(model, [], _usage(behaviour))
