import asyncio
from pathlib import Path

import pytest

from cadre.errors import ConfigError
from cadre.jobs import InlineRunner, WorkerOptions, server_jobs
from cadre.settings import Settings


def test_a_keyed_job_waiting_in_the_queue_is_not_queued_twice(tmp_path: Path) -> None:
    runner = InlineRunner(Settings(home=tmp_path / "home"), WorkerOptions(work=False), periodic=[])
    queue = runner.start()  # accepts jobs, runs none: they stay waiting
    try:
        first = queue.enqueue("cadre.promote", key="service@3", agent="service", version=3, by="role:admin")
        again = queue.enqueue("cadre.promote", key="service@3", agent="service", version=3, by="role:admin")
        other = queue.enqueue("cadre.promote", key="service@4", agent="service", version=4, by="role:admin")
        waiting = queue.state(first.job_id)
    finally:
        runner.stop()
    assert (again.job_id, again.duplicate) == (first.job_id, True)
    assert not first.duplicate and other.job_id != first.job_id
    assert waiting is not None and (waiting.name, waiting.status, waiting.attempts) == ("cadre.promote", "todo", 0)


def test_external_workers_need_a_shared_queue_in_postgresql(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", workers="external")
    with pytest.raises(ConfigError, match=r"`CADRE_WORKERS=external` needs PostgreSQL as the store, got SQLite"):
        with server_jobs(settings):
            pass


def test_an_exclusive_pass_asked_for_while_one_waits_is_that_one(tmp_path: Path) -> None:
    runner = InlineRunner(Settings(home=tmp_path / "home"), WorkerOptions(work=False), periodic=[])
    queue = runner.start()
    try:
        first = queue.enqueue("cadre.alerts", timestamp=1_764_460_800)
        again = queue.enqueue("cadre.alerts", timestamp=1_764_460_860)
        ingest = queue.enqueue("cadre.ingest", folder="/nowhere", collection="help")
    finally:
        runner.stop()
    assert (again.job_id, again.duplicate) == (first.job_id, True)
    assert not ingest.duplicate and ingest.job_id != first.job_id


def test_async_code_on_another_event_loop_enqueues_too(tmp_path: Path) -> None:
    runner = InlineRunner(Settings(home=tmp_path / "home"), WorkerOptions(work=False), periodic=[])
    queue = runner.start()
    try:
        queued = asyncio.run(queue.enqueue_async("cadre.ingest", key="kb", folder="/nowhere", collection="help"))
        state = asyncio.run(queue.state_async(queued.job_id))
    finally:
        runner.stop()
    assert state is not None and (state.name, state.status) == ("cadre.ingest", "todo")
