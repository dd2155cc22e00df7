"""The job queue on procrastinate: in PostgreSQL, shared by every worker process, or in memory inside one process
(the embedded SQLite default, which has no server to share a queue through)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import procrastinate
from procrastinate import exceptions as queue_errors
from procrastinate.testing import InMemoryConnector
from sqlalchemy.engine import make_url

from cadre.errors import CadreError
from cadre.jobs.registry import JobSpec, registered
from cadre.jobs.schedule import Every, schedules
from cadre.jobs.services import JobServices
from cadre.settings import Settings

T = TypeVar("T")
ENQUEUE_TIMEOUT_S = 30.0
DEFER_ATTEMPTS = 3


class UnknownJob(CadreError):
    """A job name that no module registered."""


def postgres_conninfo(settings: Settings) -> str | None:
    """The libpq URL of the configured PostgreSQL, or None on SQLite (whose queue lives in memory)."""
    url = make_url(settings.sqlalchemy_url)
    if url.get_backend_name() != "postgresql":
        return None
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def connector_for(settings: Settings) -> procrastinate.BaseConnector:
    conninfo = postgres_conninfo(settings)
    return InMemoryConnector() if conninfo is None else procrastinate.PsycopgConnector(conninfo=conninfo)


def build_app(
    settings: Settings,
    services: JobServices,
    connector: procrastinate.BaseConnector,
    *,
    periodic: Sequence[Every] | None = None,
) -> procrastinate.App:
    """A procrastinate app with every registered job bound to `services`, and the periodic ones scheduled."""
    app = procrastinate.App(connector=connector)
    specs = registered(settings.job_modules)
    for spec in specs.values():
        exclusive = spec.name if spec.exclusive else None
        app.task(name=spec.name, queue=spec.queue, retry=spec.retries, lock=exclusive, queueing_lock=exclusive)(
            _bound(spec, services)
        )
    for every in schedules(settings) if periodic is None else periodic:
        if every.job not in specs:
            raise UnknownJob(f"a periodic job must be registered, got {every.job!r}")
        app.periodic(cron=every.cron)(app.tasks[every.job])
    return app


def _bound(spec: JobSpec, services: JobServices) -> Any:
    def run(**arguments: Any) -> Any:
        # Periodic jobs are deferred with the tick they stand for; the job acts at that instant, not when it ran.
        if "timestamp" in arguments:
            arguments["now"] = datetime.fromtimestamp(arguments.pop("timestamp"), UTC)
        return spec.func(services, **arguments)

    run.__name__ = spec.func.__name__
    run.__module__ = spec.func.__module__
    return run


@dataclass(frozen=True)
class Enqueued:
    """A job in the queue; `duplicate`: the same keyed job was already waiting, and this is that one."""

    job_id: int
    name: str
    duplicate: bool = False


@dataclass(frozen=True)
class JobState:
    job_id: int
    name: str
    status: str  # todo, doing, succeeded, failed, cancelled, aborted
    attempts: int


class JobQueue:
    """Puts jobs in the queue and reads their state. With `loop`, every call runs on the loop that owns the
    queue (the inline runner's: its in-memory queue is not safe to touch from other threads)."""

    def __init__(self, app: procrastinate.App, *, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.app = app
        self._loop = loop

    def enqueue(self, name: str, *, key: str | None = None, **arguments: Any) -> Enqueued:
        """Queue the job `name` with JSON `arguments`. A `key` makes it keyed: while a job with the same name and
        key waits, enqueueing it again returns that job, and two with the same key never run at once."""
        return self._call(self._enqueue(name, key, arguments))

    async def enqueue_async(self, name: str, *, key: str | None = None, **arguments: Any) -> Enqueued:
        """`enqueue` for async code, on any event loop."""
        return await self._await(self._enqueue(name, key, arguments))

    def state(self, job_id: int) -> JobState | None:
        return self._call(self._state(job_id))

    async def state_async(self, job_id: int) -> JobState | None:
        return await self._await(self._state(job_id))

    async def _enqueue(self, name: str, key: str | None, arguments: dict[str, Any]) -> Enqueued:
        if name not in self.app.tasks:
            raise UnknownJob(f"job name must be one of {', '.join(sorted(self.app.tasks))}, got {name!r}")
        # Unkeyed, an exclusive job keeps its own locks (its name): enqueued by hand, it waits behind its tick.
        lock = self.app.tasks[name].queueing_lock if key is None else f"{name}:{key}"
        for _ in range(DEFER_ATTEMPTS):
            try:
                deferrer = self.app.configure_task(name, allow_unknown=False, lock=lock, queueing_lock=lock)
                return Enqueued(await deferrer.defer_async(**arguments), name)
            except queue_errors.AlreadyEnqueued:
                for waiting in await self.app.job_manager.list_jobs_async(queueing_lock=lock, status="todo"):
                    if waiting.id is not None:
                        return Enqueued(waiting.id, name, duplicate=True)
                # The waiting one was fetched meanwhile, which freed its queueing lock: defer again.
        raise CadreError(f"job {name!r} with key {key!r} must be queued, got a waiting one {DEFER_ATTEMPTS} times")

    async def _state(self, job_id: int) -> JobState | None:
        for job in await self.app.job_manager.list_jobs_async(id=job_id):
            return JobState(job_id, job.task_name, job.status or "todo", job.attempts)
        return None

    def _call(self, work: Coroutine[Any, Any, T]) -> T:
        if self._loop is not None:
            return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=ENQUEUE_TIMEOUT_S)
        return asyncio.run(_opened(self.app, work))

    async def _await(self, work: Coroutine[Any, Any, T]) -> T:
        if self._loop is None:
            return await _opened(self.app, work)
        if asyncio.get_running_loop() is self._loop:
            return await work
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, self._loop))


async def _opened(app: procrastinate.App, work: Coroutine[Any, Any, T]) -> T:
    async with app.open_async():
        return await work
