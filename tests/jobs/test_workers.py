"""Two `cadre worker` processes on one PostgreSQL queue: SIGKILL one mid-job, and every job still completes once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from cadre.jobs import JobQueue, build_app
from cadre.jobs.queue import connector_for
from cadre.jobs.services import JobServices
from cadre.settings import Settings
from cadre.store import open_database
from tests.jobs.polling import until

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
JOBS = 50
STALLED_AFTER_S = 3


@pytest.fixture
def settings(postgres_url: str, tmp_path: Path) -> Iterator[Settings]:
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
        for table in ("probe_starts", "probe_done"):
            connection.execute(text(f"CREATE TABLE {table} (key text NOT NULL, pid integer NOT NULL)"))
        connection.execute(text("CREATE TABLE probe_gate (opened boolean)"))
    engine.dispose()
    settings = Settings(home=tmp_path / "home", database_url=postgres_url, job_modules=["tests.jobs.probe"])
    open_database(settings).close()  # migrated once here, not raced by the two workers
    yield settings


def start_worker(settings: Settings, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CADRE_HOME": str(settings.home),
        "CADRE_DATABASE_URL": settings.sqlalchemy_url,
        "CADRE_JOB_MODULES": "tests.jobs.probe",
        "CADRE_JOB_STALLED_AFTER_S": str(STALLED_AFTER_S),
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "cadre.cli", "worker", "--concurrency", "2", "--queues", "default"]
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)


def rows(engine: Engine, table: str) -> list[tuple[str, int]]:
    with engine.connect() as connection:
        return [(key, pid) for key, pid in connection.execute(text(f"SELECT key, pid FROM {table}"))]


def test_a_worker_killed_mid_job_loses_nothing_and_no_job_completes_twice(settings: Settings, tmp_path: Path) -> None:
    queue = JobQueue(build_app(settings, JobServices(settings), connector_for(settings), periodic=[]))
    keys = [f"job-{n:02d}" for n in range(JOBS)]
    ids = {key: queue.enqueue("probe.record", tag=key).job_id for key in keys}
    victim = start_worker(settings, tmp_path / "victim.log")
    survivor = start_worker(settings, tmp_path / "survivor.log")
    engine = create_engine(settings.sqlalchemy_url)
    try:
        # The gate is shut: both workers hold jobs in flight, and the victim's are certainly unfinished when it dies.
        def holding() -> dict[int, set[str]]:
            held: dict[int, set[str]] = {victim.pid: set(), survivor.pid: set()}
            for key, pid in rows(engine, "probe_starts"):
                held[pid].add(key)
            return held if all(held.values()) else {}

        until(holding, what="jobs in flight on both workers")
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
        in_flight = {key for key, pid in rows(engine, "probe_starts") if pid == victim.pid}
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO probe_gate VALUES (true)"))
        until(lambda: len(rows(engine, "probe_done")) >= JOBS, timeout=50, what=f"{JOBS} completions")
        states = {key: queue.state(job_id) for key, job_id in ids.items()}
    finally:
        for process in (victim, survivor):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
        done, starts = rows(engine, "probe_done"), rows(engine, "probe_starts")
        engine.dispose()
    assert Counter(key for key, _ in done) == Counter(keys)  # each job completed exactly once, none lost
    assert {pid for _, pid in done} == {survivor.pid}
    retried = {key for key, count in Counter(key for key, _ in starts).items() if count > 1}
    assert retried == in_flight  # only the killed worker's jobs ran again, each once more
    attempts = {key: (s.status, s.attempts) for key, s in states.items() if s}
    assert all(attempts[key] == ("succeeded", 2) for key in in_flight)
    # A job the victim had taken but not yet started when it died is retried too, without a start of its own to
    # show for it: at most as many as the victim's concurrency (2), each once more.
    taken_unstarted = {key for key in keys if key not in in_flight and attempts[key] != ("succeeded", 1)}
    assert all(attempts[key] == ("succeeded", 2) for key in taken_unstarted) and len(taken_unstarted) <= 2
