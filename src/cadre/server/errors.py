"""How errors leave the API: a status that says whose fault it is, and `{"error": message}` a person can act on."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from cadre.access.errors import AccessError
from cadre.agents.conversations import UnknownConversation
from cadre.agents.inbox import HandoffError
from cadre.agents.specs import UnknownAgent
from cadre.errors import CadreError, NotFound, PolicyDenied, UnknownEntity
from cadre.guardrails.limits import InputRejected

logger = logging.getLogger(__name__)

# A store that is restarting or unreachable is nobody's fault and passes: clients are told to retry, not that the
# server broke. The pool checks each connection before use, so the first request after the store is back succeeds.
STORE_RETRY_AFTER_S = 2
STORE_UNAVAILABLE = "the database is unavailable; try again shortly"
_SQLITE_PASSING = ("database is locked", "unable to open database", "disk i/o error")

# Most specific first: the first class an error is an instance of decides its status.
STATUS_OF: tuple[tuple[type[CadreError], int], ...] = (
    (UnknownAgent, 404),
    (UnknownConversation, 404),
    (UnknownEntity, 404),
    (NotFound, 404),
    (PolicyDenied, 403),
    (HandoffError, 409),
    (InputRejected, 422),
    (AccessError, 400),
    (CadreError, 400),
)


def status_of(exc: CadreError) -> int:
    return next(status for kind, status in STATUS_OF if isinstance(exc, kind))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CadreError)
    async def cadre_error(_request: Request, exc: CadreError) -> JSONResponse:
        return JSONResponse({"error": exc.one_line()}, status_code=status_of(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [_problem(error) for error in exc.errors()]
        return JSONResponse({"error": "; ".join(problems), "problems": problems}, status_code=422)

    @app.exception_handler(DBAPIError)
    @app.exception_handler(PoolTimeout)
    async def store_error(request: Request, exc: Exception) -> JSONResponse:
        if not store_unreachable(exc):
            raise exc  # a statement the store refused (a bug, a constraint) stays a 500
        # The driver's message names hosts and ports: it goes to the log; the client gets the status and a hint.
        logger.warning("%s %s: the database is unavailable: %s", request.method, request.url.path, _first_line(exc))
        return JSONResponse(
            {"error": STORE_UNAVAILABLE}, status_code=503, headers={"Retry-After": str(STORE_RETRY_AFTER_S)}
        )

    # Starlette's own class: the router's 404 and 405 are raised as it, FastAPI's HTTPException derives from it.
    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)


def store_unreachable(exc: Exception) -> bool:
    """Whether a database error means the store cannot be reached now (retry later), not that a statement is wrong."""
    if isinstance(exc, PoolTimeout):
        return True  # every pooled connection is busy or broken
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    if isinstance(exc, OperationalError) and type(orig).__module__.startswith("psycopg"):
        return True  # psycopg raises its OperationalError for refused, dropped and shut-down connections only
    # SQLite says "no such table" with the same class as "database is locked": only the latter is passing.
    return any(words in str(orig).lower() for words in _SQLITE_PASSING)


def _first_line(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _problem(error: dict[str, object]) -> str:
    location = ".".join(str(part) for part in error.get("loc", ()) if part != "body") or "request"  # type: ignore[attr-defined]
    return f"{location}: {error.get('msg', 'invalid')}"
