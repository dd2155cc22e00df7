"""The event store keeps events as recorded, on SQLite and PostgreSQL, and refuses malformed ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from cadre.observability.events import Event, EventStore, person_digest
from cadre.store import Database

NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_events_come_back_as_recorded_in_time_order(db: Database) -> None:
    store = EventStore(db)
    paris = timezone(timedelta(hours=1))
    store.record(
        [
            Event(kind="csat_given", agent="service", at=NOON + timedelta(minutes=5), conversation_id="c1", value=5),
            Event(
                kind="turn",
                agent="service",
                at=datetime(2026, 11, 24, 13, 0, tzinfo=paris),  # 12:00 UTC, given in another zone
                conversation_id="c1",
                outcome="answered",
                latency_ms=41.5,
                input_tokens=10,
                output_tokens=20,
                cost_usd=0.0001,
                cited=True,
                person=person_digest("Ana@Example.com "),
                data={"engine": "offline"},
            ),
        ]
    )
    turn, rated = store.of_conversation("c1")
    assert (turn.kind, turn.at, turn.latency_ms, turn.cited, turn.data) == (
        "turn",
        NOON,
        41.5,
        True,
        {"engine": "offline"},
    )
    assert turn.person == person_digest("ana@example.com")
    assert (rated.kind, rated.value) == ("csat_given", 5.0)
    assert [e.kind for e in store.latest(kind="turn")] == ["turn"]
    store.record([])  # nothing to write is not an error


def test_a_malformed_event_is_refused_before_it_is_stored() -> None:
    with pytest.raises(ValueError, match="event kind must be one of"):
        Event(kind="page_view", agent="service")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="person must be a person_digest"):
        Event(kind="turn", agent="service", person="ana@example.com")


def test_a_person_digest_names_no_one_and_ignores_case_and_spaces() -> None:
    assert person_digest(" Ana@Example.com") == person_digest("ana@example.com")
    assert len(person_digest("ana@example.com") or "") == 16 and person_digest(None) is None
