"""`cadre serve`: the API, the channels and the console in one uvicorn process."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import typer

from cadre.cli import _context
from cadre.cli._output import err_console

if TYPE_CHECKING:
    from cadre.jobs.schedule import Every


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (0.0.0.0 for every interface)."),
    port: int = typer.Option(8400, "--port", min=1, max=65535, help="Port to listen on."),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn's log level: warning, info, debug."),
) -> None:
    """Serve the HTTP API at /api, the OpenAI-compatible face at /v1, the channels and the console at /."""
    run_server(host, port, log_level=log_level)


def run_server(host: str, port: int, *, log_level: str = "info", periodic: Sequence[Every] | None = None) -> None:
    import uvicorn

    from cadre.jobs import server_jobs
    from cadre.server.app import app_from_settings

    settings = _context.settings()
    app = app_from_settings(settings)
    # The background jobs (quiet sweep, alerts, the SDR pass, and what the console asks for) run beside the server,
    # or only get queued here when `CADRE_WORKERS=external` workers take them.
    with server_jobs(settings, app.state.services.db, periodic=periodic) as jobs:
        app.state.jobs = jobs
        err_console.print(f"Cadre at [bold]http://{host}:{port}/[/]  (API docs: http://{host}:{port}/api/docs)")
        uvicorn.run(app, host=host, port=port, log_level=log_level)
