"""Rate limits and request size: one key or one conversation can't take the server from everyone else.

Each limit is a token bucket per name (an API key, a conversation): `N` requests a minute with bursts up to `N`.
`RateLimiter` holds them in this process (SQLite: one server process); on PostgreSQL, which several server processes
share, `cadre.server.shared_limits.SharedRateLimiter` keeps them in the database so the processes count together.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

EMAIL_INBOUND_PATH = "/api/email/inbound"  # raw e-mail, attachments and all: larger than any JSON request
TRACKED = 100_000  # names remembered at once; the least recently seen are forgotten first (a full bucket anyway)


class Limiter(Protocol):
    per_minute: int

    def allow(self, name: str) -> float | None: ...


class RateLimiter:
    """`allow(name)` spends one token of the name's bucket; refills `per_minute` tokens a minute."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1:
            raise ValueError(f"a rate limit must allow at least 1 request a minute, got {per_minute}")
        self.per_minute = per_minute
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # name -> (tokens, last refill)
        self._lock = threading.Lock()

    def allow(self, name: str) -> float | None:
        """None when the request may go ahead; otherwise the seconds until it may."""
        now = self._clock()
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.pop(name, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            allowed = tokens >= 1.0
            self._buckets[name] = (tokens - 1.0 if allowed else tokens, now)
            if len(self._buckets) > TRACKED:
                self._buckets.popitem(last=False)
        return None if allowed else (1.0 - tokens) / rate

    @staticmethod
    def retry_after(seconds: float) -> str:
        return str(max(1, math.ceil(seconds)))


class BodyTooLarge(HTTPException):
    """Raised while the body is read; an HTTP error so the framework answers it as one (413) and doesn't take
    it for a body that failed to parse."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large_message(limit))


class RequestSizeLimit:
    """Refuse a request body over `max_bytes` with 413 before it is read into memory (whether or not it says its
    length up front); `larger` lets named paths (raw e-mail) take more."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = larger or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope["path"], self.max_bytes)
        declared = dict(scope.get("headers") or {}).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if not started:
                await _too_large(send, limit)


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"error": _too_large_message(limit)}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _too_large_message(limit: int) -> str:
    return f"the request body must be at most {limit} bytes"
