"""Incidents: a firing opens one (with its evidence), further firings update it, a clear marks it cleared; people
acknowledge, annotate and resolve; the worker evaluates on its own thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from cadre.observability.alerts import AlertRule, Verdict, parse_rules, verdicts
from cadre.observability.events import Event, EventKind, EventStore
from cadre.observability.incidents import (
    SERIES_POINTS,
    AlertWorker,
    Evidence,
    IncidentClosed,
    IncidentNotFound,
    Incidents,
    active_agents,
)
from cadre.observability.window import Window
from cadre.store import Database

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
RULES = parse_rules(
    """
rules:
  - {name: escalation, metric: escalation_rate, op: ">", threshold: 0.3, window: 1h, severity: critical}
"""
)


@dataclass
class Figures:
    """Set figures per agent and metric, whatever the window; `calls` counts the questions."""

    values: dict[tuple[str, str], float] = field(default_factory=dict)
    calls: int = 0

    def value(self, metric: str, window: Window) -> float | None:
        self.calls += 1
        return self.values.get((window.agent or "", metric))


def firing(rate: float, rules: list[AlertRule] = RULES, agent: str = "service", at: datetime = NOW) -> Verdict:
    [verdict] = verdicts(rules, Figures({(agent, "escalation_rate"): rate}), at, agents=[agent])
    return verdict


def conversation(events: EventStore, cid: str, kind: EventKind, at: datetime, **values: Any) -> None:
    events.record([Event(kind=kind, agent="service", at=at, conversation_id=cid, **values)])


def test_a_firing_opens_an_incident_once_and_updates_it_while_unresolved(db: Database) -> None:
    incidents = Incidents(db)
    opened = incidents.record(firing(0.4), NOW)
    assert opened.change == "opened" and opened.incident is not None
    again = incidents.record(firing(0.55), NOW + timedelta(minutes=1))
    assert again.change == "fired" and again.incident is not None
    assert again.incident.id == opened.incident.id
    assert (again.incident.firings, again.incident.value) == (2, 0.55)
    incidents.acknowledge(opened.incident.id, by="console:ana")
    assert incidents.record(firing(0.6), NOW + timedelta(minutes=2)).change == "fired"
    assert len(incidents.list()) == 1
    incidents.resolve(opened.incident.id, by="console:ana", note="routing fixed")
    reopened = incidents.record(firing(0.5), NOW + timedelta(minutes=3))
    assert reopened.change == "opened" and reopened.incident is not None
    assert reopened.incident.id != opened.incident.id
    other_agent = incidents.record(firing(0.5, agent="concierge"), NOW)
    assert other_agent.change == "opened"
    assert {i.agent for i in incidents.list(status="unresolved")} == {"service", "concierge"}


def test_recovery_clears_but_does_not_resolve_and_a_new_firing_unclears(db: Database) -> None:
    incidents = Incidents(db)
    incident = incidents.record(firing(0.4), NOW).incident
    assert incident is not None
    cleared = incidents.record(firing(0.1), NOW + timedelta(minutes=5))
    assert cleared.change == "cleared"
    shown = incidents.get(incident.id)
    assert shown.status == "open" and shown.cleared_at == NOW + timedelta(minutes=5)
    assert incidents.record(firing(0.1), NOW + timedelta(minutes=6)).change == "none"
    incidents.record(firing(0.45), NOW + timedelta(minutes=7))
    shown = incidents.get(incident.id)
    assert shown.cleared_at is None
    assert [e.kind for e in shown.entries] == ["opened", "cleared", "fired"]
    assert shown.entries[2].text.startswith("fired again: escalation_rate is 0.45")


def test_people_acknowledge_annotate_and_resolve(db: Database) -> None:
    incidents = Incidents(db)
    incident = incidents.record(firing(0.4), NOW).incident
    assert incident is not None and incident.unread
    assert incidents.unread_count() == 1
    acked = incidents.acknowledge(incident.id, by="console:ana", now=NOW + timedelta(minutes=2))
    assert (acked.status, acked.acknowledged_by, acked.unread) == ("acknowledged", "console:ana", False)
    assert incidents.unread_count() == 0
    incidents.acknowledge(incident.id, by="console:bo")  # a second acknowledgement keeps the first
    incidents.note(incident.id, "  Pilot v3 routes billing questions to the wrong queue.  ", by="console:ana")
    done = incidents.resolve(incident.id, by="console:bo", note="rolled back to v2")
    assert (done.status, done.resolved_by, done.acknowledged_by) == ("resolved", "console:bo", "console:ana")
    assert [(e.kind, e.by, e.text) for e in done.entries[1:]] == [
        ("acknowledged", "console:ana", ""),
        ("note", "console:ana", "Pilot v3 routes billing questions to the wrong queue."),
        ("resolved", "console:bo", "rolled back to v2"),
    ]
    with pytest.raises(IncidentClosed, match="must be unresolved to be acknowledged, got resolved"):
        incidents.acknowledge(incident.id, by="console:ana")
    with pytest.raises(IncidentClosed):
        incidents.resolve(incident.id, by="console:ana")
    incidents.note(incident.id, "post-mortem on Monday", by="console:ana")  # notes are welcome afterwards
    with pytest.raises(IncidentNotFound, match="got 999"):
        incidents.note(999, "x", by="console:ana")
    with pytest.raises(Exception, match="a note must be 1 to 5000 characters, got 0"):
        incidents.note(incident.id, "   ", by="console:ana")


def test_evidence_keeps_the_series_and_the_conversations_that_explain_the_metric(db: Database) -> None:
    events = EventStore(db)
    at = NOW - timedelta(minutes=30)
    conversation(events, "answered", "turn", at, outcome="answered")
    conversation(events, "handed", "conversation_handed_off", at - timedelta(minutes=1))
    conversation(events, "broken", "turn", at - timedelta(minutes=2), outcome="failed", error=True)
    conversation(events, "unhappy", "csat_given", at - timedelta(minutes=3), value=1.0)
    conversation(events, "long-ago", "conversation_handed_off", NOW - timedelta(hours=3))
    conversation(events, "shadow", "conversation_handed_off", at, stage="shadow")
    reader = Figures({("service", "escalation_rate"): 0.4})
    evidence = Evidence(db, reader)(firing(0.4))
    assert [c["id"] for c in evidence["conversations"]] == ["handed", "broken", "unhappy", "answered"]
    assert [c["why"] for c in evidence["conversations"]] == ["handed off", "failed", "low CSAT", "recent"]
    series = evidence["series"]
    assert len(series) == 2 * SERIES_POINTS
    assert series[0]["since"] == (NOW - timedelta(hours=2)).isoformat()
    assert series[-1]["until"] == NOW.isoformat()
    assert {point["value"] for point in series} == {0.4}
    assert evidence["threshold"] == 0.3


def test_the_worker_watches_active_agents_and_records_what_it_changed(db: Database) -> None:
    events = EventStore(db)
    conversation(events, "c1", "turn", NOW - timedelta(minutes=10), outcome="handed_off")
    events.record([Event(kind="turn", agent="concierge", at=NOW - timedelta(minutes=5), conversation_id="c2")])
    events.record([Event(kind="turn", agent="dormant", at=NOW - timedelta(days=3), conversation_id="c3")])
    assert active_agents(db, NOW - timedelta(hours=1), NOW) == ["concierge", "service"]
    reader = Figures({("service", "escalation_rate"): 0.5, ("concierge", "escalation_rate"): 0.1})
    worker = AlertWorker(db, rules=lambda: RULES, reader=reader)
    first = worker.run_once(NOW)
    assert [(v.agent, v.state) for v in first.verdicts] == [("concierge", "clear"), ("service", "firing")]
    [incident] = first.opened
    assert (incident.agent, incident.severity, incident.evidence["conversations"][0]["id"]) == (
        "service",
        "critical",
        "c1",
    )
    second = worker.run_once(NOW + timedelta(minutes=1))
    assert (second.opened, [i.id for i in second.fired]) == ([], [incident.id])
    reader.values[("service", "escalation_rate")] = 0.2
    third = worker.run_once(NOW + timedelta(minutes=2))
    assert [i.id for i in third.cleared] == [incident.id]
    assert third.to_json()["cleared"] == [incident.id]


def test_the_worker_runs_on_its_thread_until_stopped(db: Database) -> None:
    evaluated = threading.Event()

    class Signalling(Figures):
        def value(self, metric: str, window: Window) -> float | None:
            evaluated.set()
            return super().value(metric, window)

    rules = parse_rules(
        "rules:\n  - {name: e, agent: service, metric: error_rate, op: '>', threshold: 0.1, window: 1h}\n"
    )
    worker = AlertWorker(db, rules=lambda: rules, reader=Signalling({("service", "error_rate"): 0.5}))
    worker.start(interval_s=3600)
    assert evaluated.wait(timeout=30), "the worker did not evaluate its rules"
    worker.stop()
    assert not worker.running
    assert [i.rule for i in worker.incidents.list()] == ["e"]


def test_a_pass_asks_the_reader_once_per_metric_and_window(db: Database) -> None:
    rules = parse_rules(
        """
rules:
  - {name: high, agent: service, metric: escalation_rate, op: ">", threshold: 0.3, window: 1h, min_conversations: 5}
  - {name: higher, agent: service, metric: escalation_rate, op: ">", threshold: 0.5, window: 1h, min_conversations: 5}
"""
    )
    reader = Figures({("service", "escalation_rate"): 0.4, ("service", "conversations"): 10})
    worker = AlertWorker(db, rules=lambda: rules, reader=reader)
    assert [i.rule for i in worker.run_once(NOW).opened] == ["high"]
    assert reader.calls == 2 + 2 * SERIES_POINTS  # the two figures, then the evidence series of the one incident
    worker.run_once(NOW)
    assert reader.calls == 4 + 2 * SERIES_POINTS  # a new pass asks again: figures change between passes


def test_a_moment_in_another_zone_is_stored_as_the_same_instant(db: Database) -> None:
    tokyo = NOW.astimezone(timezone(timedelta(hours=9)))
    incident = Incidents(db).record(firing(0.4, at=tokyo), tokyo).incident
    assert incident is not None
    assert Incidents(db).get(incident.id).opened_at == NOW
