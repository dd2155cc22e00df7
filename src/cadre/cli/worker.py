"""`cadre worker`: one process working the shared job queue in PostgreSQL (start as many as the load needs)."""

from __future__ import annotations

import asyncio
import logging

import typer

from cadre.cli import _context
from cadre.cli._output import err_console
from cadre.errors import ConfigError


def worker(
    concurrency: int = typer.Option(2, "--concurrency", min=1, max=64, help="Jobs this worker runs at once."),
    queues: list[str] | None = typer.Option(
        None, "--queues", help="Take jobs only from these queues (`periodic`, `default`); repeat it; default: all."
    ),
    log_level: str = typer.Option("info", "--log-level", help="Log level: warning, info, debug."),
) -> None:
    """Run background jobs (cadences, alerts, the quiet sweep, ingestion, evaluations, promotions, simulated days)
    until SIGINT or SIGTERM, finishing the jobs in hand. Needs PostgreSQL; the embedded default runs them inside
    `cadre serve`."""
    from cadre.jobs.queue import postgres_conninfo
    from cadre.jobs.runner import WorkerOptions, check_queues, run_worker

    settings = _context.settings()
    if postgres_conninfo(settings) is None:
        raise ConfigError(
            "`cadre worker` needs PostgreSQL as the store, got SQLite",
            hint="set `CADRE_DATABASE_URL=postgresql://…`; with SQLite, `cadre serve` runs the jobs itself",
        )
    options = WorkerOptions(concurrency=concurrency, queues=check_queues(queues) if queues else None)
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    err_console.print(f"Cadre worker: {concurrency} at once, queues {', '.join(options.queues or ['all'])}")
    asyncio.run(run_worker(settings, options, install_signal_handlers=True))
