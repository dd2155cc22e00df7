"""Packed event chunks: every figure counted from them equals the figure counted from the events table, on both
stores, for any window, filter, breakdown and series; late events, today's events and repeated packs."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import func, select

from cadre.errors import ConfigError
from cadre.observability.chunks import TURN_COLUMNS, EventChunks, digest
from cadre.observability.columnar import PackedCounts
from cadre.observability.config import ObservabilityConfig
from cadre.observability.events import Event, EventStore, record_in
from cadre.observability.figures import breakdown, counting, series, summary
from cadre.observability.tables import EventChunkRow
from cadre.observability.window import Window
from cadre.settings import Settings
from cadre.store import Database, open_database
from cadre.testing.postgres import ThrowawayPostgres

START = datetime(2026, 11, 20, tzinfo=UTC)
NOW = START + timedelta(days=5, hours=15)  # the fifth day is today: never packed
CONFIG = ObservabilityConfig()
AGENTS = {"service": ("billing", "orders", None), "concierge": ("pricing", "visit"), "sdr": ("follow_up",)}


def traffic(seed: int = 3) -> list[Event]:
    """Five and a half days of varied live traffic, with what must not count (shadow and evaluation turns) and the
    awkward cases: conversations across midnight, people returning, missing dimensions, CSAT without a score."""
    rng = random.Random(seed)
    people = [f"{n:016x}" for n in range(40)]
    events: list[Event] = []
    for number in range(260):
        agent = rng.choice(list(AGENTS))
        place = {
            "agent": agent,
            "topic": rng.choice(AGENTS[agent]),
            "language": rng.choice(("en", "de", "ja", None)),
            "channel": rng.choice(("web", "email", "api")),
            "conversation_id": f"c{number}",
            "person": rng.choice(people) if rng.random() < 0.9 else None,
            "stage": rng.choices(("production", "pilot", "shadow", "evaluation"), weights=(80, 10, 5, 5))[0],
        }
        at = START + timedelta(minutes=rng.randrange(0, int((NOW - START).total_seconds() // 60) - 200))
        for _ in range(rng.randint(1, 4)):
            at += timedelta(minutes=rng.randint(1, 90))  # some conversations run past midnight
            outcome = rng.choice(("answered", "answered", "asked", "handed_off", "failed"))
            events.append(
                Event(
                    kind="turn",
                    at=at,
                    outcome=outcome,
                    latency_ms=round(rng.uniform(20, 900), 3),
                    cost_usd=rng.choice((None, 0.0004, 0.0021)),
                    input_tokens=rng.randint(0, 900),
                    output_tokens=rng.randint(0, 300),
                    cited=rng.random() < 0.6,
                    error=outcome == "failed",
                    failover=rng.random() < 0.05,
                    **place,
                )
            )
            if rng.random() < 0.2:
                events.append(
                    Event(kind="turn_scored", at=at, groundedness=rng.random(), relevancy=rng.random(), **place)
                )
        at += timedelta(minutes=rng.randint(1, 120))
        ending = rng.choice(("conversation_resolved", "conversation_handed_off", "conversation_abandoned", None))
        if ending == "conversation_resolved":
            events.append(Event(kind=ending, at=at, data={"by": rng.choice(("agent", "human"))}, **place))
            if rng.random() < 0.3:  # the customer came back and it was resolved again: the first one counts
                events.append(Event(kind=ending, at=at + timedelta(hours=3), data={"by": "agent"}, **place))
        elif ending is not None:
            events.append(Event(kind=ending, at=at, **place))
            if ending == "conversation_handed_off" and rng.random() < 0.5:  # a person resolves it the next day
                events.append(
                    Event(kind="conversation_resolved", at=at + timedelta(hours=20), data={"by": "human"}, **place)
                )
        if rng.random() < 0.4:
            score = rng.choice((1.0, 2.0, 3.0, 4.0, 5.0, None))
            events.append(Event(kind="csat_given", at=at + timedelta(minutes=1), value=score, **place))
        if agent == "sdr":
            events.append(Event(kind="lead_touched", at=at, **place))
            events.append(Event(kind="email_sent", at=at, **place))
            if rng.random() < 0.3:
                events.append(Event(kind="meeting_booked", at=at, value=rng.choice((None, 12000.0)), **place))
    return [event for event in events if event.at < NOW]


@pytest.fixture
def packed(db: Database) -> Database:
    EventStore(db).record(traffic())
    report = EventChunks(db).pack(now=NOW)
    assert report.days == 5 and report.chunks > 20
    return db


def assert_same(expected: Any, got: Any, where: str = "") -> None:
    if isinstance(expected, dict):
        assert set(expected) == set(got), where
        for key in expected:
            assert_same(expected[key], got[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert len(expected) == len(got), where
        for index, (a, b) in enumerate(zip(expected, got, strict=True)):
            assert_same(a, b, f"{where}[{index}]")
    elif isinstance(expected, float) and isinstance(got, float):
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-9), where
    else:
        assert expected == got, where


WINDOWS = [
    Window(since=START, until=NOW),  # everything: packed days and today
    Window(since=START + timedelta(days=1, hours=7, minutes=13), until=START + timedelta(days=4, hours=2)),
    Window(since=START + timedelta(hours=30), until=NOW, agent="service"),
    Window(since=START, until=START + timedelta(days=3), agent="concierge", language="de", channel="web"),
    Window(since=START + timedelta(days=2), until=NOW, topic="billing"),
]


@pytest.mark.parametrize("window", WINDOWS, ids=range(len(WINDOWS)))
def test_every_figure_from_the_chunks_equals_the_figure_from_the_events(packed: Database, window: Window) -> None:
    expected = summary(packed, window, CONFIG, source="events")
    assert expected["adoption"]["conversations"] > 0
    assert_same(expected, summary(packed, window, CONFIG, source="chunks"))
    for by in ("agent", "topic", "language", "channel"):
        assert_same(
            breakdown(packed, window, by, CONFIG, source="events"),
            breakdown(packed, window, by, CONFIG, source="chunks"),
            by,
        )
    for metric in ("conversations", "latency_p95_ms", "escalation_rate", "csat", "score"):
        assert_same(
            series(packed, window, metric, 17, source="events"),
            series(packed, window, metric, 17, source="chunks"),
            metric,
        )


def test_only_past_days_are_packed_and_a_second_pack_has_nothing_to_do(packed: Database) -> None:
    days = EventChunks(packed).packed_days(START, NOW + timedelta(days=1))
    assert sorted(days) == [START + timedelta(days=n) for n in range(5)]  # today (day six) stays in the events table
    assert EventChunks(packed).pack(now=NOW).days == 0
    with packed.session() as session:
        stored = session.scalar(select(func.sum(EventChunkRow.turns)))
        shadow_free = session.scalars(select(EventChunkRow.turn_columns)).all()
    live_turns_before_today = [
        e for e in traffic() if e.kind == "turn" and e.stage in ("production", "pilot") and e.at < NOW.replace(hour=0)
    ]
    assert stored == len(live_turns_before_today)
    assert sum(len(np.frombuffer(blob, TURN_COLUMNS)) for blob in shadow_free) == stored


def test_an_event_recorded_late_for_a_packed_day_counts_at_once_and_the_next_pack_takes_it(packed: Database) -> None:
    window = Window(since=START, until=NOW)
    before = summary(packed, window, CONFIG, source="chunks")["adoption"]["turns"]
    late = Event(
        kind="turn",
        agent="service",
        at=START + timedelta(days=1, hours=3),
        conversation_id="late",
        outcome="answered",
        latency_ms=5.0,
    )
    EventStore(packed).record([late])
    assert summary(packed, window, CONFIG, source="chunks")["adoption"]["turns"] == before + 1
    assert_same(summary(packed, window, CONFIG, source="events"), summary(packed, window, CONFIG, source="chunks"))
    report = EventChunks(packed).pack(now=NOW)
    assert report.days == 1  # only the day the late event belongs to is packed again
    assert_same(summary(packed, window, CONFIG, source="events"), summary(packed, window, CONFIG, source="chunks"))


def test_a_day_that_ends_is_packed_by_the_next_pack(packed: Database) -> None:
    tomorrow = NOW + timedelta(days=1)
    report = EventChunks(packed).pack(now=tomorrow)
    assert report.days == 1
    assert day_count(packed) == 6


def day_count(db: Database) -> int:
    return len(EventChunks(db).packed_days(START, NOW + timedelta(days=2)))


def test_auto_counts_long_windows_from_the_chunks_and_short_ones_from_the_events(packed: Database) -> None:
    with counting(packed, Window(since=START, until=NOW)) as counts:
        assert isinstance(counts, PackedCounts)
    with counting(packed, Window(since=NOW - timedelta(hours=24), until=NOW)) as counts:
        assert not isinstance(counts, PackedCounts)
    with pytest.raises(ConfigError, match="a figures source must be one of auto, events, chunks, got 'rows'"):
        summary(packed, Window(since=START, until=NOW), CONFIG, source="rows")  # type: ignore[arg-type]


def test_without_any_pack_auto_reads_the_events_and_chunks_still_count_everything(db: Database) -> None:
    EventStore(db).record(traffic())
    window = Window(since=START, until=NOW)
    with counting(db, window) as counts:
        assert not isinstance(counts, PackedCounts)
    assert_same(summary(db, window, CONFIG, source="events"), summary(db, window, CONFIG, source="chunks"))


def test_digests_are_stable_and_zero_means_none() -> None:
    assert digest(None) == 0
    assert digest("c1") == digest("c1") != digest("c2")
    assert digest("c1") != 0


def test_a_pass_that_started_earlier_never_lowers_how_far_a_day_is_packed(packed: Database) -> None:
    chunks = EventChunks(packed)
    days = chunks.packed_days(START, NOW)
    chunks.raise_through(1)  # what a pass that read the store long ago writes when it ends after this one
    assert chunks.packed_days(START, NOW) == days
    window = Window(since=START, until=NOW)
    assert_same(summary(packed, window, CONFIG, source="events"), summary(packed, window, CONFIG, source="chunks"))


@pytest.mark.postgres
def test_an_event_whose_id_is_taken_but_not_committed_when_a_pack_starts_is_never_lost(
    postgres: ThrowawayPostgres, tmp_path: Path
) -> None:
    # PostgreSQL hands out ids before commit: an import of a past day still open while live traffic commits a
    # larger id must not be packed around.
    db = open_database(Settings(home=tmp_path / "home", database_url=postgres.create_database("pack_in_flight")))
    try:
        EventStore(db).record(traffic())
        EventChunks(db).pack(now=NOW)
        window = Window(since=START, until=NOW)
        day_one, day_two = START + timedelta(days=1, hours=3), START + timedelta(days=2, hours=3)
        with db.session() as importing:
            record_in(importing, [Event(kind="turn", agent="service", at=day_one, conversation_id="imported")])
            EventStore(db).record([Event(kind="turn", agent="service", at=day_two, conversation_id="replayed")])
            deferred = EventChunks(db).pack(now=NOW, wait_s=0.2)
            assert (deferred.deferred, deferred.days) == (True, 0)
        assert_same(summary(db, window, CONFIG, source="events"), summary(db, window, CONFIG, source="chunks"))
        assert EventChunks(db).pack(now=NOW).days == 2
        assert_same(summary(db, window, CONFIG, source="events"), summary(db, window, CONFIG, source="chunks"))
    finally:
        db.close()
