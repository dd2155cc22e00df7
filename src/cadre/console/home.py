"""Signing in and out, and the overview page with what waits for the signed-in user."""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime, time
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cadre.agents.transcripts import conversations_since
from cadre.console._pages import ConsoleRoute, Refused, back_to, flash, page, render
from cadre.server.auth import SESSION_CSRF, SESSION_USER, Caller, csrf_token, optional_caller, services_of

router = APIRouter(route_class=ConsoleRoute)


@router.get("/login")
def login_form(request: Request, next_url: Annotated[str, Query(alias="next")] = "/") -> Response:
    if optional_caller(request) is not None:
        return RedirectResponse(_local(next_url), status_code=303)
    return render(request, "login.html", None, next=_local(next_url), error=None)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form(alias="csrf_token")] = "",
    next_url: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    # The login form carries a token too: otherwise another site could sign a browser in as the attacker.
    expected = request.session.get(SESSION_CSRF)
    if not expected or not hmac.compare_digest(str(expected), csrf):
        raise Refused(403, "the sign-in form expired; reload the page and try again")
    user = services_of(request).users.authenticate(username, password)
    if user is None:
        return render(
            request,
            "login.html",
            None,
            status_code=401,
            next=_local(next_url),
            error="Unknown username or wrong password.",
        )
    # A fresh session: nothing from before signing in (a planted token, a previous user's state) carries over.
    request.session.clear()
    request.session[SESSION_USER] = user.username
    request.session[SESSION_CSRF] = secrets.token_urlsafe(24)
    return RedirectResponse(_local(next_url), status_code=303)


@router.post("/logout")
def logout(request: Request, caller: Annotated[Caller, Depends(page())]) -> Response:
    request.session.clear()
    csrf_token(request)  # the login form that follows needs one
    flash(request, f"Signed out {caller.name}.")
    return back_to("/login")


@router.get("/")
def overview(request: Request, caller: Annotated[Caller, Depends(page())]) -> HTMLResponse:
    services = services_of(request)
    counts: dict[str, int] = {}
    if caller.can("inbox"):
        counts["open_handoffs"] = len(services.inbox.list(status="open"))
    if caller.can("conversations:read"):
        midnight = datetime.combine(datetime.now(UTC).date(), time.min, tzinfo=UTC)
        counts["conversations_today"] = conversations_since(services.db, midnight)
    if caller.can("agents:read"):
        counts["agents"] = len(services.versions.list())
    return render(request, "home.html", caller, counts=counts)


def _local(target: str) -> str:
    """Only a path on this site: `next` must not send a signed-in user to another site."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target
