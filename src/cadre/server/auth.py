"""Who is calling: an API key (`Authorization: Bearer …` or `X-API-Key`) or a console session; and may they.

Missing or unknown credentials are 401; a known caller without the capability is 403. A caller signed in through
the console session must also send the session's CSRF token on every unsafe request (a header for scripts, a form
field for forms), so another site cannot make the browser act for them.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from fastapi import HTTPException, Request

from cadre.access.roles import Capability, Role, allows
from cadre.server.limits import Limiter, RateLimiter
from cadre.server.services import Services

SESSION_USER = "user"
SESSION_CSRF = "csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Caller:
    kind: Literal["key", "session"]
    name: str  # `key:<prefix>` or the console username
    role: Role
    agent: str | None = None  # a channel key's one agent

    def can(self, capability: Capability) -> bool:
        return allows(self.role, capability)

    def check_agent(self, agent: str) -> None:
        """A channel key talks to its own agent only."""
        if self.agent is not None and self.agent != agent:
            raise HTTPException(403, f"this key may only talk to agent {self.agent!r}, not {agent!r}")


def services_of(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_CSRF] = token
    return str(token)


def optional_caller(request: Request) -> Caller | None:
    services = services_of(request)
    secret = _presented_key(request)
    if secret is not None:
        key = services.keys.verify(secret)
        if key is None:
            raise HTTPException(401, "the API key is unknown or revoked", headers={"WWW-Authenticate": "Bearer"})
        return Caller("key", f"key:{key.prefix}", key.role, key.agent)
    username = request.session.get(SESSION_USER) if "session" in request.scope else None
    if username:
        user = services.users.get(str(username))
        if user is not None:
            return Caller("session", user.username, user.role)
        request.session.clear()  # the user was disabled or removed since signing in
    return None


async def current_caller(request: Request) -> Caller:
    caller = optional_caller(request)
    if caller is None:
        raise HTTPException(
            401, "sign in, or send an API key as `Authorization: Bearer <key>`", headers={"WWW-Authenticate": "Bearer"}
        )
    if caller.kind == "session" and request.method not in SAFE_METHODS:
        await _check_csrf(request)
    return caller


def require(capability: Capability) -> Callable[[Request], Awaitable[Caller]]:
    """A dependency: the caller, if their role holds `capability` (401 / 403 otherwise)."""

    async def dependency(request: Request) -> Caller:
        caller = await current_caller(request)
        if not caller.can(capability):
            raise HTTPException(403, f"the {caller.role} role may not do this (needs {capability!r})")
        if caller.kind == "key":
            within_limit(services_of(request).key_limits, caller.name, what="this API key")
        return caller

    dependency.__name__ = f"require_{capability.replace(':', '_')}"
    return dependency


def within_limit(limiter: Limiter, name: str, *, what: str) -> None:
    """429 with `Retry-After` when `name` has used up its requests for now."""
    wait = limiter.allow(name)
    if wait is not None:
        raise HTTPException(
            429,
            f"{what} may make {limiter.per_minute} requests a minute; try again in {RateLimiter.retry_after(wait)} s",
            headers={"Retry-After": RateLimiter.retry_after(wait)},
        )


def _presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("x-api-key") or None


async def _check_csrf(request: Request) -> None:
    expected = request.session.get(SESSION_CSRF)
    presented = request.headers.get(CSRF_HEADER)
    if presented is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        presented = value if isinstance(value, str) else None
    if not expected or not presented or not hmac.compare_digest(str(expected), presented):
        raise HTTPException(403, "the CSRF token is missing or wrong; reload the page and try again")
