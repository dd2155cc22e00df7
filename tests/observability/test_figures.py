"""The dashboard's figures on a hand-made day of events whose every figure is worked out by hand, on both stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from cadre.errors import ConfigError
from cadre.observability.config import ObservabilityConfig
from cadre.observability.events import Event, EventStore
from cadre.observability.figures import (
    METRICS,
    EventFigures,
    UnknownMetric,
    breakdown,
    conversations,
    default_window,
    series,
    summary,
)
from cadre.observability.window import Window
from cadre.store import Database

DAY = Window(since=datetime(2026, 11, 24, tzinfo=UTC), until=datetime(2026, 11, 25, tzinfo=UTC))
P1, P2, P3, L1, L2 = "a" * 16, "b" * 16, "c" * 16, "d" * 16, "e" * 16


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 24, hour, minute, tzinfo=UTC)


def turn(conversation: str, when: datetime, latency: float, outcome: str = "answered", **more: Any) -> Event:
    return Event(kind="turn", agent="service", at=when, conversation_id=conversation, outcome=outcome,
                 latency_ms=latency, **more)  # fmt: skip


def ending(kind: Any, conversation: str, when: datetime, **more: Any) -> Event:
    return Event(kind=kind, agent="service", at=when, conversation_id=conversation, **more)


BILLING = {"topic": "billing", "language": "en", "channel": "web"}
ORDERS = {"topic": "orders", "language": "es", "channel": "email"}


def handmade_day() -> list[Event]:
    """Four live conversations of the service agent, the SDR agent's lead work, and events that must not count."""
    return [
        # c1: answered twice, resolved by the agent, rated 5
        turn("c1", at(10), 100, cited=True, cost_usd=0.01, person=P1, **BILLING),
        turn("c1", at(10, 1), 200, cost_usd=0.01, person=P1, **BILLING),
        ending("conversation_resolved", "c1", at(10, 31), data={"by": "agent"}, **BILLING),
        ending("csat_given", "c1", at(10, 32), value=5, **BILLING),
        Event(
            kind="turn_scored",
            agent="service",
            at=at(10, 5),
            conversation_id="c1",
            groundedness=0.9,
            relevancy=0.8,
            **BILLING,
        ),
        # c2: handed to a person, who resolved it; rated 2; P2 also talked to the agent the day before (c0)
        turn("c2", at(11), 300, outcome="asked", cost_usd=0.02, person=P2, **ORDERS),
        turn("c2", at(11, 2), 400, outcome="handed_off", person=P2, **ORDERS),
        ending("conversation_handed_off", "c2", at(11, 2), **ORDERS),
        ending("conversation_resolved", "c2", at(13), data={"by": "human"}, **ORDERS),
        ending("csat_given", "c2", at(13, 1), value=2, **ORDERS),
        # c3: a failed turn, a failover, then the customer left
        turn("c3", at(14), 500, outcome="failed", error=True, person=P1, **BILLING),
        turn("c3", at(14, 1), 600, outcome="asked", failover=True, person=P1, **BILLING),
        ending("conversation_abandoned", "c3", at(14, 31), **BILLING),
        Event(
            kind="turn_scored",
            agent="service",
            at=at(14, 5),
            conversation_id="c3",
            groundedness=0.7,
            relevancy=0.6,
            **BILLING,
        ),
        # c4: still open; it began the day before, so P3 has had one conversation only and is not returning
        turn("c4", at(15) - timedelta(days=1), 50, person=P3, **BILLING),
        turn("c4", at(15), 700, cited=True, cost_usd=0.005, person=P3, **BILLING),
        # the SDR agent's work: three touches of two leads, three e-mails, one meeting worth 20,000
        *[Event(kind="lead_touched", agent="sdr", at=at(9, m), person=p) for m, p in ((0, L1), (1, L1), (2, L2))],
        *[Event(kind="email_sent", agent="sdr", at=at(9, m)) for m in range(3)],
        Event(kind="meeting_booked", agent="sdr", at=at(16), value=20_000),
        # not counted: a shadow and a suite turn (customers never saw them), events outside the window
        turn("c5", at(16), 99_999, stage="shadow", person=P3, **BILLING),
        turn("c6", at(16), 99_999, stage="evaluation", person=P3, **BILLING),
        turn("c0", at(9) - timedelta(days=1), 50, person=P2, **ORDERS),
        ending("conversation_resolved", "c0", at(9, 30) - timedelta(days=1), data={"by": "agent"}, **ORDERS),
        turn("c7", DAY.until, 50, person=P3, **BILLING),  # the window's end is exclusive
    ]


@pytest.fixture
def day(db: Database) -> Database:
    EventStore(db).record(handmade_day())
    return db


def test_every_summary_figure_on_a_known_day(day: Database) -> None:
    body = summary(day, DAY, ObservabilityConfig())
    assert list(body) == [
        "window", "roi", "latency", "errors", "relevancy", "csat", "adoption",
        "deflection", "escalation", "abandonment", "sdr", "score",
    ]  # fmt: skip
    # seven live turns: 100..700 ms. p50 is the 4th; p95 sits 0.7 of the way from 600 to 700
    assert body["latency"] == {"p50_ms": 400.0, "p95_ms": 670.0, "time_to_resolution_s": 4530.0, "resolved": 2}
    assert body["errors"] == {
        "turns": 7, "failed_turns": 1, "error_rate": round(1 / 7, 4), "failovers": 1, "failover_rate": round(1 / 7, 4),
    }  # fmt: skip
    assert body["relevancy"] == {
        "groundedness": 0.8, "relevancy": 0.7, "sample_size": 2,
        "citation_rate": round(2 / 3, 4), "answered_turns": 3, "cited_turns": 2,
    }  # fmt: skip
    assert body["csat"] == {
        "average": 3.5, "distribution": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1},
        "responses": 2, "rated_conversations": 2, "response_rate": 0.5,
    }  # fmt: skip
    assert body["adoption"] == {
        "conversations": 4, "turns": 7, "unique_users": 3, "returning_users": 2,
        "handled_by_agent": 3, "handled_by_humans": 1, "agent_share": 0.75, "human_share": 0.25,
    }  # fmt: skip
    third = round(1 / 3, 4)
    assert body["deflection"] == {"rate": third, "deflected": 1, "ended": 3}
    assert body["escalation"] == {"rate": third, "escalated": 1, "ended": 3}
    assert body["abandonment"] == {"rate": third, "abandoned": 1, "ended": 3}
    assert body["sdr"] == {
        "leads_covered": 2, "lead_touches": 3, "meetings_booked": 1, "pipeline_usd": 20000.0, "emails_sent": 3,
    }  # fmt: skip


def test_roi_counts_deflection_and_sdr_time_against_model_and_infrastructure(day: Database) -> None:
    roi = summary(day, DAY, ObservabilityConfig())["roi"]
    infrastructure = 300.0 / (365.25 / 12)  # one day of a 300 USD month
    net = 1 * 6.0 + 3 * 12 / 60 * 45.0 - (0.045 + infrastructure)
    assert roi["net_usd"] == round(net, 2) and roi["annualised_usd"] == round(net * 365.25, 2)
    assert roi["saved_usd"] == {"deflection": 6.0, "sdr_time": 27.0}
    assert roi["inputs"] == {
        "deflected": 1, "human_conversation_usd": 6.0, "lead_touches": 3, "minutes_per_lead_touch": 12.0,
        "sdr_hour_usd": 45.0, "model_cost_usd": pytest.approx(0.045), "infrastructure_usd_per_month": 300.0,
        "window_days": 1.0, "infrastructure_share": 1.0,
    }  # fmt: skip
    assert "deflected * human_conversation_usd" in roi["formula"]


def test_the_score_weighs_every_component_on_a_known_day(day: Database) -> None:
    score = summary(day, DAY, ObservabilityConfig())["score"]
    normalised = {c["name"]: c["normalised"] for c in score["components"]}
    assert normalised == pytest.approx(
        {"deflection": (1 / 3) / 0.7, "groundedness": 0.8, "relevancy": 0.7, "csat": 0.625, "latency": 1.0, "errors": 0}
    )  # an error rate of 1/7 is past the tolerated 5%: errors score 0
    expected = 100 * (0.25 * (1 / 3) / 0.7 + 0.2 * 0.8 + 0.15 * 0.7 + 0.2 * 0.625 + 0.1 * 1.0 + 0.1 * 0)
    assert score["value"] == round(expected, 1) and score["missing"] == [] and not score["renormalised"]


def test_filters_narrow_every_figure_and_a_zone_changes_nothing(day: Database) -> None:
    billing = summary(day, DAY.narrowed(topic="billing"), ObservabilityConfig())
    assert (billing["adoption"]["conversations"], billing["adoption"]["turns"]) == (3, 5)
    assert (billing["deflection"]["ended"], billing["abandonment"]["abandoned"]) == (2, 1)
    assert billing["sdr"] is None and billing["roi"]["inputs"]["infrastructure_share"] == round(5 / 7, 6)
    spanish = summary(day, DAY.narrowed(language="es", channel="email"), ObservabilityConfig())
    assert (spanish["adoption"]["turns"], spanish["escalation"]["rate"], spanish["csat"]["average"]) == (2, 1.0, 2.0)
    assert summary(day, DAY.narrowed(agent="sdr"), ObservabilityConfig())["adoption"]["turns"] == 0
    paris = timezone(timedelta(hours=1))
    shifted = Window(since=DAY.since.astimezone(paris), until=DAY.until.astimezone(paris))
    assert summary(day, shifted, ObservabilityConfig()) | {"window": None} == summary(
        day, DAY, ObservabilityConfig()
    ) | {"window": None}


def test_a_window_without_events_has_no_rates_and_no_score(db: Database) -> None:
    body = summary(db, DAY, ObservabilityConfig())
    assert body["latency"]["p95_ms"] is None and body["deflection"]["rate"] is None
    assert body["csat"]["average"] is None and body["adoption"]["conversations"] == 0
    assert body["score"]["value"] is None and body["sdr"] is None


def test_breakdown_by_topic(day: Database) -> None:
    rows = breakdown(day, DAY, "topic", ObservabilityConfig())
    assert [(r["topic"], r["conversations"], r["turns"]) for r in rows] == [
        ("billing", 3, 5),
        ("orders", 1, 2),
        (None, 0, 0),  # the SDR agent's lead work names no topic
    ]
    billing, orders = rows[0], rows[1]
    assert (billing["p50_ms"], billing["deflection_rate"], billing["csat"]) == (500.0, 0.5, 5.0)
    assert (orders["p95_ms"], orders["escalation_rate"], orders["cost_usd"]) == (395.0, 1.0, 0.02)
    assert billing["score"] is not None
    with pytest.raises(UnknownMetric, match="must be by one of agent, topic, language, channel, got 'queue'"):
        breakdown(day, DAY, "queue", ObservabilityConfig())


def test_series_in_hourly_buckets(day: Database) -> None:
    turns = series(day, DAY, "turns", 24)
    assert turns[10] == (at(10), 2.0) and turns[11] == (at(11), 2.0) and turns[12] == (at(12), 0.0)
    assert sum(value or 0 for _, value in turns) == 7
    escalation = dict(series(day, DAY, "escalation_rate", 24))
    assert (escalation[at(11)], escalation[at(13)], escalation[at(12)]) == (1.0, 0.0, None)
    p95 = dict(series(day, DAY, "latency_p95_ms", 4))  # six-hour buckets: 06-12 holds 100..400, 12-18 500..700
    assert p95[at(6)] == pytest.approx(385.0) and p95[at(12)] == pytest.approx(690.0) and p95[at(0)] is None
    with pytest.raises(ConfigError, match="buckets must be between 1 and 1000, got 0"):
        series(day, DAY, "turns", 0)


def test_conversations_page_latest_first(day: Database) -> None:
    page = conversations(day, DAY, limit=2, offset=1)
    assert [(c["conversation_id"], c["outcome"], c["turns"]) for c in page] == [
        ("c3", "abandoned", 2),
        ("c2", "resolved_by_human", 2),
    ]
    everything = conversations(day, DAY, limit=10)
    assert [c["conversation_id"] for c in everything] == ["c4", "c3", "c2", "c1"]
    first = everything[-1]
    assert (first["outcome"], first["agent"], first["topic"], first["csat"]) == ("resolved_by_agent", "service",
                                                                                  "billing", 5.0)  # fmt: skip
    assert (first["started"], first["last_event"]) == (at(10), at(10, 32))
    assert everything[0]["outcome"] == "open"
    assert conversations(day, DAY, limit=10, offset=4) == []
    with pytest.raises(ConfigError, match="a page must have limit ≥ 1"):
        conversations(day, DAY, limit=0)


def test_alert_values_for_every_metric(day: Database) -> None:
    figures = EventFigures(day)
    values = {name: figures.value(name, DAY) for name in METRICS}
    assert values | {"score": None} == pytest.approx(
        {
            "conversations": 4, "turns": 7, "deflection_rate": 1 / 3, "escalation_rate": 1 / 3,
            "abandonment_rate": 1 / 3, "groundedness": 0.8, "relevancy": 0.7, "citation_rate": 2 / 3, "csat": 3.5,
            "error_rate": 1 / 7, "failover_rate": 1 / 7, "latency_p50_ms": 400, "latency_p95_ms": 670,
            "cost_per_conversation_usd": 0.045 / 4, "score": None,
        }
    )  # fmt: skip
    assert values["score"] == summary(day, DAY, ObservabilityConfig())["score"]["value"]
    with pytest.raises(UnknownMetric, match=r"metric must be one of .*escalation_rate.*got 'nps'"):
        figures.value("nps", DAY)


def test_the_default_window_ends_after_the_latest_live_event(day: Database) -> None:
    window = default_window(day, timedelta(hours=24))
    assert window.until == DAY.until + timedelta(minutes=1)  # c7 at midnight is the latest live event
    assert default_window(day, timedelta(hours=1), agent="sdr").until == at(16, 1)


def test_outreach_planned_days_ahead_does_not_move_the_default_window(db: Database) -> None:
    store = EventStore(db)
    store.record([Event(kind="turn", agent="service", at=at(12), conversation_id="c1", outcome="answered")])
    ahead = at(12) + timedelta(days=3)
    store.record([Event(kind="email_sent", agent="sdr", at=ahead), Event(kind="lead_touched", agent="sdr", at=ahead)])
    assert default_window(db, timedelta(hours=24)).until == at(12, 1)
    # Outreach alone (an SDR-only installation) still places the window.
    assert default_window(db, timedelta(hours=24), agent="sdr").until == ahead + timedelta(minutes=1)
