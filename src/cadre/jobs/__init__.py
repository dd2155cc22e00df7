"""Background jobs on a task queue (procrastinate): in-process by default, `cadre worker` processes at scale."""

from cadre.jobs.queue import Enqueued, JobQueue, JobState, UnknownJob, build_app, postgres_conninfo
from cadre.jobs.registry import JobSpec, job, registered
from cadre.jobs.runner import InlineRunner, WorkerOptions, run_worker, server_jobs
from cadre.jobs.schedule import Every, cron_every, schedules
from cadre.jobs.services import JobServices

__all__ = [
    "Enqueued",
    "Every",
    "InlineRunner",
    "JobQueue",
    "JobServices",
    "JobSpec",
    "JobState",
    "UnknownJob",
    "WorkerOptions",
    "build_app",
    "cron_every",
    "job",
    "postgres_conninfo",
    "registered",
    "run_worker",
    "schedules",
    "server_jobs",
]
