"""How errors leave the API: a status that says whose fault it is, and `{"error": message}` a person can act on."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from cadre.access.errors import AccessError
from cadre.agents.conversations import UnknownConversation
from cadre.agents.inbox import HandoffError
from cadre.agents.specs import UnknownAgent
from cadre.errors import CadreError, NotFound, PolicyDenied, UnknownEntity
from cadre.guardrails.limits import InputRejected

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

    # Starlette's own class: the router's 404 and 405 are raised as it, FastAPI's HTTPException derives from it.
    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)


def _problem(error: dict[str, object]) -> str:
    location = ".".join(str(part) for part in error.get("loc", ()) if part != "body") or "request"  # type: ignore[attr-defined]
    return f"{location}: {error.get('msg', 'invalid')}"
