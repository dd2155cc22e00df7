"""Runs the queue on an event loop of its own: the worker of `cadre worker`, and the in-process runner that
`cadre serve` starts in the embedded default."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import procrastinate

from cadre.errors import CadreError, ConfigError
from cadre.jobs.queue import JobQueue, build_app, connector_for, postgres_conninfo
from cadre.jobs.recovery import keep_recovering
from cadre.jobs.registry import QUEUES
from cadre.jobs.schedule import Every
from cadre.jobs.services import JobServices
from cadre.settings import Settings
from cadre.store import Database

log = logging.getLogger(__name__)
STARTUP_TIMEOUT_S = 60.0
HEARTBEATS_PER_STALL = 6  # a worker misses five heartbeats in a row before it counts as dead


@dataclass(frozen=True)
class WorkerOptions:
    """`concurrency`: jobs one worker runs at once (each on a thread); `queues`: which queues it takes jobs from
    (None: all); `work`: False for a queue that only accepts jobs (the server when workers are external)."""

    concurrency: int = 2
    queues: Sequence[str] | None = None
    work: bool = True


def check_queues(queues: Iterable[str]) -> list[str]:
    chosen = list(queues)
    for queue in chosen:
        if queue not in QUEUES:
            raise ConfigError(f"--queues must name some of {', '.join(QUEUES)}, got {queue!r}")
    return chosen


async def run_worker(
    settings: Settings,
    options: WorkerOptions,
    *,
    db: Database | None = None,
    periodic: Sequence[Every] | None = None,
    install_signal_handlers: bool = False,
    on_open: Callable[[procrastinate.App], None] | None = None,
) -> None:
    """Open the queue and work it until cancelled (or, with signal handlers, until SIGINT/SIGTERM), finishing the
    jobs in hand. On PostgreSQL it also retries the jobs of workers that died (`cadre.jobs.recovery`)."""
    services = JobServices(settings, db)
    services.open()  # migrates: the queue's tables come with migration 0011
    app = build_app(settings, services, connector_for(settings), periodic=periodic)
    stalled_after = settings.job_stalled_after_s
    conninfo = postgres_conninfo(settings)
    try:
        async with app.open_async():
            if on_open is not None:
                on_open(app)
            if not options.work:
                await asyncio.Event().wait()  # accept jobs until cancelled
                return
            side = (
                []
                if conninfo is None
                else [asyncio.create_task(keep_recovering(app, conninfo, stalled_after_s=stalled_after))]
            )
            try:
                await app.run_worker_async(
                    concurrency=options.concurrency,
                    queues=list(options.queues or QUEUES),
                    install_signal_handlers=install_signal_handlers,
                    update_heartbeat_interval=stalled_after / HEARTBEATS_PER_STALL,
                    stalled_worker_timeout=stalled_after,
                    listen_notify=True,  # a deferred job wakes the worker at once; polling is the fallback
                )
            finally:
                for task in side:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
    finally:
        services.close()


class InlineRunner:
    """The queue inside this process, on a thread with its own event loop: what `cadre serve` runs unless
    `CADRE_WORKERS=external`. `start()` returns the `JobQueue` to enqueue on; `stop()` finishes the jobs in hand."""

    def __init__(
        self,
        settings: Settings,
        options: WorkerOptions | None = None,
        *,
        db: Database | None = None,
        periodic: Sequence[Every] | None = None,
    ) -> None:
        self._settings = settings
        self._options = options or WorkerOptions()
        self._db = db
        self._periodic = periodic
        self._loop: asyncio.AbstractEventLoop | None = None
        self._main: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._apps: list[procrastinate.App] = []
        self._failure: BaseException | None = None

    def start(self) -> JobQueue:
        if self._thread is not None:
            raise CadreError("an inline job runner must be started once, got a second `start()`")
        self._thread = threading.Thread(target=self._run, name="cadre-jobs", daemon=True)
        self._thread.start()
        if not self._started.wait(STARTUP_TIMEOUT_S) or self._failure is not None or not self._apps:
            raise CadreError(f"the job runner must start, got {self._failure!r}") from self._failure
        assert self._loop is not None
        return JobQueue(self._apps[0], loop=self._loop)

    def stop(self, timeout: float = 60.0) -> None:
        if self._loop is None or self._main is None or self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._main.cancel)
        self._thread.join(timeout)

    def _run(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._main = asyncio.current_task()

            def opened(app: procrastinate.App) -> None:
                self._apps.append(app)
                self._started.set()

            work = run_worker(self._settings, self._options, db=self._db, periodic=self._periodic, on_open=opened)
            with contextlib.suppress(asyncio.CancelledError):
                await work

        try:
            asyncio.run(main())
        except BaseException as exc:  # (reported to `start`, which raises it in the caller's thread)
            self._failure = exc
            log.exception("the inline job runner stopped")
        finally:
            self._started.set()


@contextlib.contextmanager
def server_jobs(
    settings: Settings, db: Database | None = None, *, periodic: Sequence[Every] | None = None
) -> Iterator[JobQueue]:
    """The queue `cadre serve` hands its routes: worked in-process when `CADRE_WORKERS=inline` (the default), only
    fed when `external` (then `cadre worker` processes on the same PostgreSQL run the jobs). `periodic`: the
    scheduled jobs to run (default: all of them)."""
    if settings.workers == "external" and postgres_conninfo(settings) is None:
        raise ConfigError(
            "`CADRE_WORKERS=external` needs PostgreSQL as the store, got SQLite",
            hint="unset `CADRE_WORKERS` (the server runs the jobs itself), or set `CADRE_DATABASE_URL=postgresql://…`",
        )
    runner = InlineRunner(settings, WorkerOptions(work=settings.workers == "inline"), db=db, periodic=periodic)
    queue = runner.start()
    try:
        yield queue
    finally:
        runner.stop()
