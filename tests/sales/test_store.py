"""The sales tables work the same on SQLite and PostgreSQL (migration 0004)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cadre.sales.store import Meeting, SalesStore
from cadre.store import Database

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def test_a_queued_message_is_stored_once_and_sent_once(db: Database) -> None:
    store = SalesStore(db)
    values = {
        "key": "L000001:touch:0",
        "lead_id": "L000001",
        "kind": "touch",
        "step": 0,
        "message_id": "<L000001.touch.0@halyard.example>",
        "in_reply_to": None,
        "to_addr": "ana@example.com",
        "subject": "Hello",
        "body": "Hi",
        "language": "en",
        "facts": ["industry: Logistics"],
        "due_at": NOW,
    }
    first = store.queue(values, now=NOW)
    again = store.queue({**values, "subject": "changed"}, now=NOW)
    assert again.id == first.id and again.subject == "Hello" and again.status == "pending"
    store.mark_sent("L000001:touch:0", now=NOW)
    assert store.first_touches() == {"L000001": NOW}
    assert store.lead_of_message(["<other@x>", "<L000001.touch.0@halyard.example>"]) == "L000001"


def test_sequences_meetings_and_runs_round_trip_with_their_time_zone(db: Database) -> None:
    store = SalesStore(db)
    store.start_sequence("L000001", score=55, reasons=["+10 core industry"], language="pt", now=NOW)
    store.set_status("L000001", "snoozed", now=NOW, reason="not_now", until=NOW + timedelta(days=60))
    sequence = store.sequence("L000001")
    assert sequence is not None and sequence.snoozed_until == NOW + timedelta(days=60)
    store.add_meeting(
        Meeting("m-1@halyard.example", "L000001", "U0014", NOW, NOW + timedelta(minutes=30), "ICS"), now=NOW
    )
    assert [m.starts_at for m in store.meetings_of_rep("U0014")] == [NOW]
    store.record_run(NOW + timedelta(hours=1), {"emails_sent": 1})
    store.record_run(NOW, {"emails_sent": 0})
    assert store.first_run_at() == NOW
