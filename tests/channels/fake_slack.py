"""A fake Slack Web API on 127.0.0.1 (`auth.test`, `users.info`, `chat.postMessage`) and signed Events API requests."""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request

BOT_USER = "UBOT"


@dataclass
class FakeSlack:
    emails: dict[str, str]  # Slack user id -> the e-mail in their Slack profile
    posted: queue.Queue[dict[str, Any]] = field(default_factory=queue.Queue)
    asked_users: list[str] = field(default_factory=list)

    def app(self) -> FastAPI:
        api = FastAPI()

        @api.api_route("/api/{method}", methods=["GET", "POST"])
        async def call(method: str, request: Request) -> dict[str, Any]:
            arguments: dict[str, Any] = dict(request.query_params)
            if request.headers.get("content-type", "").startswith("application/json"):
                arguments.update(await request.json())
            else:
                arguments.update(dict(await request.form()))
            return self.answer(method, arguments)

        return api

    def answer(self, method: str, arguments: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": "T1", "user": "cadre"}
        if method == "users.info":
            user = str(arguments["user"])
            self.asked_users.append(user)
            if user not in self.emails:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": {"id": user, "profile": {"email": self.emails[user]}}}
        if method == "chat.postMessage":
            self.posted.put(arguments)
            return {"ok": True, "channel": arguments["channel"], "ts": f"{time.time():.6f}"}
        return {"ok": False, "error": "unknown_method"}

    def next_post(self) -> dict[str, Any]:
        """The next message the bot posts (the turn runs after Slack's request was acknowledged)."""
        return self.posted.get(timeout=60)


def signed(secret: str, payload: dict[str, Any], *, timestamp: int | None = None) -> tuple[bytes, dict[str, str]]:
    """An Events API request as Slack signs it: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    body = json.dumps(payload).encode()
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }
    return body, headers


def event(kind: str, *, user: str, text: str, ts: str, channel: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "event_callback",
        "team_id": "T1",
        "api_app_id": "A1",
        "event_id": f"Ev{ts.replace('.', '')}",
        "event_time": int(time.time()),
        "event": {"type": kind, "user": user, "text": text, "ts": ts, "channel": channel, **extra},
    }
