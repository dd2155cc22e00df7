"""What every console page shares: who is signed in and what they may open, templates, flash notes, error pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from cadre.access.roles import Capability, allows
from cadre.errors import CadreError
from cadre.server.auth import SAFE_METHODS, Caller, csrf_token, current_caller, optional_caller
from cadre.server.errors import status_of

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
# Action arguments are shown as JSON in the customer's own script, not as \u escapes.
TEMPLATES.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
FLASH = "console_flash"


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    capability: Capability | None
    section: str = ""  # the paths it stands for (default: its href and below)

    def covers(self, path: str) -> int:
        """How closely `path` belongs to this item (the length of the matched prefix; 0: not at all)."""
        section = self.section or self.href
        if section == "/":
            return 1 if path == "/" else 0
        return len(section) if path == section or path.startswith(section.rstrip("/") + "/") else 0


# The pages a role may open are the only ones it is shown.
NAV: tuple[NavItem, ...] = (
    NavItem("Overview", "/", None),
    NavItem("Dashboard", "/dashboard", "agents:read"),
    NavItem("Agents", "/agents", "agents:read"),
    NavItem("Test centre", "/tests", "agents:read"),
    NavItem("Conversations", "/conversations", "conversations:read"),
    NavItem("Inbox", "/inbox", "inbox"),
    NavItem("Incidents", "/incidents", "agents:read"),
    NavItem("Portfolio", "/portfolio", "agents:read"),
    NavItem("Knowledge", "/knowledge", "knowledge:read"),
    NavItem("Data", "/data/sources", "data:read", section="/data"),
    NavItem("Profiles", "/data/profiles", "profiles:read"),
)


class SignInRequired(Exception):
    """A control-flow signal, not an error: the page needs a signed-in user, who comes back to `next_url`."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class Refused(Exception):
    """The signed-in user may not do this (or the form's CSRF token is wrong): an HTML error page."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def page(capability: Capability | None = None) -> Callable[[Request], Awaitable[Caller]]:
    """A dependency: the signed-in caller, if their role holds `capability`; unsafe requests must carry the CSRF
    token (checked by the server core's `current_caller`)."""

    async def dependency(request: Request) -> Caller:
        try:
            caller = await current_caller(request)
        except HTTPException as exc:
            if exc.status_code == 401:
                here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                # A form sent after the session ended cannot be replayed by a redirect: come back to the overview.
                raise SignInRequired(here if request.method in SAFE_METHODS else "/") from exc
            raise Refused(exc.status_code, str(exc.detail)) from exc
        if capability is not None and not caller.can(capability):
            raise Refused(403, f"the {caller.role} role may not open this page (it needs `{capability}`)")
        return caller

    dependency.__name__ = f"page_{(capability or 'signed_in').replace(':', '_')}"
    return dependency


class ConsoleRoute(APIRoute):
    """Console routes answer with pages: a sign-in redirect, or an HTML error page instead of JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def console_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired as signal:
                return RedirectResponse(f"/login?next={quote(signal.next_url, safe='/')}", status_code=303)
            except Refused as refusal:
                return error_page(request, refusal.status, refusal.message)
            except RequestValidationError as exc:
                problems = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in exc.errors())
                return error_page(request, 422, problems)
            except CadreError as exc:
                return error_page(request, status_of(exc), exc.one_line())

        return console_handler


def flash(request: Request, message: str, *, kind: str = "ok") -> None:
    """A note shown once on the next page (after a form's redirect)."""
    request.session[FLASH] = {"message": message, "kind": kind}


def render(
    request: Request, template: str, caller: Caller | None, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    nav = [item for item in NAV if caller is not None and (item.capability is None or caller.can(item.capability))]
    here = request.url.path
    current = max(nav, key=lambda item: item.covers(here), default=None)
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "caller": caller,
            "nav": nav,
            "can": (lambda capability: caller is not None and allows(caller.role, capability)),
            "csrf_token": csrf_token(request),
            "flash": request.session.pop(FLASH, None),
            "current": current if current is not None and current.covers(here) else None,
            **context,
        },
        status_code=status_code,
    )


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    try:
        caller = optional_caller(request)
    except HTTPException:  # an unknown API key: show the page without navigation
        caller = None
    return render(request, "error.html", caller, status_code=status, status=status, message=message)


def back_to(path: str) -> RedirectResponse:
    """After a form: show the page again (POST, redirect, GET), so a reload does not repeat the action."""
    return RedirectResponse(path, status_code=303)
