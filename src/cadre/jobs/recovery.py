"""Jobs of dead workers go back to the queue: a worker killed mid-job (SIGKILL, OOM, a lost machine) stops sending
heartbeats, and once it has been silent for `CADRE_JOB_STALLED_AFTER_S` its running jobs are retried elsewhere."""

from __future__ import annotations

import asyncio
import logging

import procrastinate
import psycopg

log = logging.getLogger(__name__)

# One recovery at a time across every worker: two could otherwise both retry a job, and the second retry could
# reset it while a live worker already runs it again. A session advisory lock dies with its holder, so a worker
# killed while recovering blocks nobody.
RECOVERY_LOCK = 0x6361_6472_6501  # "cadre\x01"


async def retry_stalled_jobs(app: procrastinate.App, conninfo: str, *, stalled_after_s: float) -> list[int]:
    """Put back in the queue every running job whose worker sent no heartbeat for `stalled_after_s`; the ids."""
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as connection:
        cursor = await connection.execute("SELECT pg_try_advisory_lock(%s)", (RECOVERY_LOCK,))
        row = await cursor.fetchone()
        if row is None or not row[0]:
            return []
        stalled = list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after_s))
        for job in stalled:
            await app.job_manager.retry_job(job)
            log.warning("retried job %s (%s) of a worker silent for over %ss", job.id, job.task_name, stalled_after_s)
        return [job.id for job in stalled if job.id is not None]


async def keep_recovering(app: procrastinate.App, conninfo: str, *, stalled_after_s: float) -> None:
    """Look for stalled jobs twice per `stalled_after_s`, until cancelled; a failed look is logged and retried."""
    while True:
        try:
            await retry_stalled_jobs(app, conninfo, stalled_after_s=stalled_after_s)
        except (psycopg.Error, procrastinate.exceptions.ConnectorException) as exc:
            log.warning("looking for stalled jobs failed: %s", exc)
        await asyncio.sleep(stalled_after_s / 2)
