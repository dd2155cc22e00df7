"""Assemble the app: the API under `/api`, the OpenAI-compatible face under `/v1`, channels, console, `/healthz`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.sessions import SessionMiddleware

from cadre import __version__
from cadre.sales.inbound import MAX_BYTES as EMAIL_MAX_BYTES
from cadre.server.errors import install_error_handlers
from cadre.server.limits import EMAIL_INBOUND_PATH, RequestSizeLimit
from cadre.server.secret import session_secret
from cadre.server.services import Services
from cadre.settings import Settings
from cadre.store import open_database

logger = logging.getLogger(__name__)

SESSION_COOKIE = "cadre_session"
SESSION_MAX_AGE_S = 12 * 3600  # a working day; the console asks again after that

# Each part adds its routes through one function taking the app; the order is the order of mounting.
Mount = Callable[[FastAPI], None]


def create_app(services: Services, *, mounts: list[Mount] | None = None, serving: bool = False) -> FastAPI:
    """The app over `services`. `serving`: this is the installation's server (`cadre serve`), which on start marks
    turns a dead process left running as failed."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if serving:
            _recover_interrupted(services)
        yield
        services.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Cadre",
        version=__version__,
        description="Hero AI agents on your own unified, governed data.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.services = services
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(services.settings),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE_S,
        same_site="lax",
        https_only=services.settings.secure_cookies,
    )
    # The web widget runs on the company's own pages and calls the API with a channel key, never a cookie: other
    # origins may call with a key; the console's session cookie is never offered to them (no credentials).
    app.add_middleware(
        CORSMiddleware,
        allow_origins=services.settings.cors_origins,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Cadre-Conversation-Id"],
        expose_headers=["X-Cadre-Conversation-Id"],
        allow_credentials=False,
    )
    # Outermost of the app's own middleware: a body too large is refused before anything reads it. Raw e-mail
    # (attachments and all) may be larger than any JSON request.
    app.add_middleware(
        RequestSizeLimit,
        max_bytes=services.settings.max_request_bytes,
        larger={EMAIL_INBOUND_PATH: max(services.settings.max_request_bytes, EMAIL_MAX_BYTES)},
    )
    install_error_handlers(app)

    @app.get("/healthz", tags=["health"], summary="Liveness and database reachability")
    def healthz(request: Request) -> JSONResponse:
        db = request.app.state.services.db
        try:
            with db.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:  # any failure to reach the store is "unhealthy", whatever the driver raised
            return JSONResponse({"status": "unavailable", "database": type(exc).__name__}, status_code=503)
        return JSONResponse({"status": "ok", "database": db.dialect, "version": __version__})

    for mount in mounts if mounts is not None else default_mounts():
        mount(app)
    return app


def default_mounts() -> list[Mount]:
    """Every part that serves HTTP, imported here so an app without them stays cheap to build in tests."""
    from cadre.server import parts

    return parts.MOUNTS


def app_from_settings(settings: Settings, **injected: Any) -> FastAPI:
    """The app for this installation (what `cadre serve` runs)."""
    return create_app(Services(settings, open_database(settings), injected=dict(injected)), serving=True)


def _recover_interrupted(services: Services) -> None:
    """Turns still `running` from before this start were cut off by a process that died (killed, crashed): they
    are marked failed, so they show as such and never as half-written. A turn another live server process is still
    running gets marked too, and its own finish makes it completed again."""
    try:
        failed = services.conversations.fail_interrupted(datetime.now(UTC))
    except Exception:
        # The store may be down while the server starts; it answers 503 until it is back, and this waits for
        # the next start.
        logger.exception("could not mark interrupted turns as failed")
        return
    if failed:
        logger.warning("marked %d interrupted turn(s) as failed", failed)
