"""Quiet conversations end: answered ones count as resolved by the agent, ones left waiting as abandoned, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cadre.observability.closing import sweep_quiet
from cadre.observability.events import Event, EventStore
from cadre.store import Database

NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


class Closer:
    def __init__(self) -> None:
        self.closed: list[str] = []

    def close(self, conversation_ids: list[str]) -> int:
        self.closed.extend(conversation_ids)
        return len(conversation_ids)


def turn(conversation: str, minutes: int, outcome: str, *, stage: str = "production") -> Event:
    return Event(
        kind="turn",
        agent="service",
        at=NOON + timedelta(minutes=minutes),
        conversation_id=conversation,
        outcome=outcome,
        stage=stage,  # type: ignore[arg-type]
        topic="billing",
    )


def test_quiet_conversations_end_by_how_their_last_turn_left_the_customer(db: Database) -> None:
    store = EventStore(db)
    store.record(
        [
            turn("served", 0, "asked"),
            turn("served", 2, "answered"),  # the question was answered, then silence
            turn("waiting", 0, "asked"),  # the agent asked for an order number that never came
            turn("human", 0, "handed_off"),  # a person owns it: they resolve it, not the sweep
            turn("recent", 50, "answered"),  # not quiet long enough yet
            turn("suite", 0, "answered", stage="evaluation"),  # not live traffic
        ]
    )
    closer = Closer()
    now = NOON + timedelta(hours=1)
    swept = sweep_quiet(db, store, closer, now=now)
    assert (swept.resolved, swept.abandoned) == (["served"], ["waiting"])
    assert sorted(closer.closed) == ["served", "waiting"]
    [resolved] = [e for e in store.of_conversation("served") if e.kind == "conversation_resolved"]
    assert resolved.data == {"by": "agent"} and resolved.at == NOON + timedelta(minutes=32)
    assert resolved.topic == "billing"
    [abandoned] = [e for e in store.of_conversation("waiting") if e.kind != "turn"]
    assert abandoned.kind == "conversation_abandoned" and abandoned.data == {"last_outcome": "asked"}

    # A second sweep counts nothing twice (and closes again what it ended: a sweep that stopped after recording its
    # endings and before closing leaves nothing open for good); a conversation that came back to life ends again.
    closer.closed.clear()
    assert sweep_quiet(db, store, closer, now=now).to_json() == {"resolved": 0, "abandoned": 0}
    assert sorted(closer.closed) == ["served", "waiting"]
    store.record([turn("served", 70, "answered")])
    again = sweep_quiet(db, store, closer, now=NOON + timedelta(hours=2))
    assert again.resolved == ["recent", "served"]  # in the order they went quiet
