from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cadre.jobs import Every, InlineRunner, UnknownJob, WorkerOptions
from cadre.knowledge.service import KnowledgeBase
from cadre.observability.events import Event, EventStore
from cadre.settings import Settings
from cadre.store import open_database
from tests.jobs.polling import until


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home")


def test_the_inline_runner_sweeps_quiet_conversations_on_its_schedule(settings: Settings) -> None:
    db = open_database(settings)
    events = EventStore(db)
    events.record(
        [Event("turn", "service", at=datetime.now(UTC) - timedelta(hours=2), conversation_id="c-1", outcome="answered")]
    )
    runner = InlineRunner(settings, db=db, periodic=[Every("cadre.quiet_sweep", 300)])
    runner.start()
    try:
        ended = until(
            lambda: [e.kind for e in events.of_conversation("c-1") if e.kind != "turn"], what="the sweep's ending"
        )
    finally:
        runner.stop()
    assert ended == ["conversation_resolved"]
    db.close()


def test_the_inline_runner_runs_an_ingestion_handed_to_it(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "refunds.md").write_text("# Refunds\n\nRefunds reach the original card within five business days.\n")
    db = open_database(settings)
    runner = InlineRunner(settings, WorkerOptions(concurrency=1), db=db, periodic=[])
    queue = runner.start()
    try:
        enqueued = queue.enqueue("cadre.ingest", key="help", folder=str(folder), collection="help")
        state = until(lambda: (s := queue.state(enqueued.job_id)) and s.status in ("succeeded", "failed") and s)
    finally:
        runner.stop()
    assert (state.name, state.status) == ("cadre.ingest", "succeeded")
    hits = KnowledgeBase(db).search("how long do refunds take", collection="help", k=1).hits
    assert "five business days" in hits[0].text
    db.close()


def test_an_unknown_job_is_refused_with_the_known_names(settings: Settings) -> None:
    runner = InlineRunner(settings, periodic=[])
    queue = runner.start()
    try:
        with pytest.raises(UnknownJob, match=r"job name must be one of .*cadre\.promote.*, got 'cadre\.nope'"):
            queue.enqueue("cadre.nope")
    finally:
        runner.stop()
