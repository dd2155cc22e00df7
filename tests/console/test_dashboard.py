"""The dashboard on hand-made events: who may open it, the figures each card and section shows, how filters narrow
them, the drill-down links, the empty window and a period that can't be read."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cadre.console import dashboard, mount
from cadre.observability.events import Event, EventStore, person_digest
from cadre.server.app import create_app
from cadre.server.services import Services
from cadre.settings import Settings
from cadre.store import open_database
from tests.console.conftest import PASSWORD, sign_in, user_of

DAY = datetime(2026, 11, 24, tzinfo=UTC)
P1, P2, P3, P4, P5 = (person_digest(f"person-{n}@example.com") for n in range(1, 6))
# A deflected conversation is worth $10 and running the agents costs nothing: every ROI below is 10 * deflected.
OBSERVABILITY_YAML = "costs:\n  human_conversation_usd: 10\n  infrastructure_usd_per_month: 0\n"


def _at(hour: int, minute: int = 0) -> datetime:
    return DAY + timedelta(hours=hour, minutes=minute)


def _conversation(
    cid: str, agent: str, topic: str, language: str, channel: str, person: str | None, *turns: dict[str, Any]
) -> list[Event]:
    """A conversation's turns (each a dict of the turn's own fields) and, after them, its ending events."""
    where = {"agent": agent, "conversation_id": cid, "topic": topic, "language": language, "channel": channel}
    events = []
    for n, turn in enumerate(turns):
        extra = {k: v for k, v in turn.items() if k != "then"}
        extra.setdefault("outcome", "answered")
        events.append(Event(kind="turn", turn_id=f"{cid}-t{n}", person=person, **where, **extra))
        for kind, fields in turn.get("then", []):
            events.append(Event(kind=kind, at=extra["at"] + timedelta(minutes=1), person=person, **where, **fields))
    return events


def _events() -> list[Event]:
    resolved_by_agent = ("conversation_resolved", {"data": {"by": "agent"}})
    service = [
        *_conversation(
            "svc-1",
            "service",
            "billing",
            "en",
            "web",
            P1,
            {
                "at": _at(9),
                "latency_ms": 100.0,
                "cited": True,
                "then": [resolved_by_agent, ("csat_given", {"value": 5})],
            },
        ),
        *_conversation(
            "svc-2",
            "service",
            "billing",
            "fr",
            "email",
            P2,
            {
                "at": _at(9, 10),
                "latency_ms": 300.0,
                "outcome": "handed_off",
                "then": [
                    ("conversation_handed_off", {}),
                    ("conversation_resolved", {"data": {"by": "human"}}),
                    ("csat_given", {"value": 2}),
                ],
            },
        ),
        *_conversation(
            "svc-3",
            "service",
            "login",
            "en",
            "web",
            P1,
            {
                "at": _at(9, 20),
                "latency_ms": 200.0,
                "outcome": "failed",
                "error": True,
                "then": [("conversation_abandoned", {})],
            },
        ),
        Event(
            kind="turn_scored",
            agent="service",
            at=_at(9, 2),
            conversation_id="svc-1",
            topic="billing",
            language="en",
            channel="web",
            groundedness=0.9,
            relevancy=0.8,
        ),
        # A shadow turn: customers never saw it, so no figure counts it.
        Event(
            kind="turn",
            agent="service",
            at=_at(9, 30),
            stage="shadow",
            conversation_id="svc-shadow",
            topic="billing",
            language="en",
            channel="web",
            outcome="answered",
            latency_ms=9000.0,
        ),
    ]
    concierge = [
        _conversation(
            f"con-{n}",
            "concierge",
            "pricing",
            "es",
            "web",
            P3,
            {"at": _at(8, 10 * n), "latency_ms": 500.0},
            {"at": _at(8, 10 * n + 1), "latency_ms": 700.0, "then": [resolved_by_agent]},
        )
        for n in (1, 2, 3)
    ]
    sdr = [
        Event(kind="lead_touched", agent="sdr", at=_at(7), person=P4, channel="email"),
        Event(kind="lead_touched", agent="sdr", at=_at(7, 5), person=P5, channel="email"),
        Event(kind="email_sent", agent="sdr", at=_at(7), person=P4, channel="email"),
        Event(kind="email_sent", agent="sdr", at=_at(7, 5), person=P5, channel="email"),
        Event(kind="meeting_booked", agent="sdr", at=_at(10), person=P4, channel="email", value=12000.0),
    ]
    # Four days earlier: outside the default window, which ends at the latest live event.
    old = _conversation("svc-old", "service", "billing", "en", "web", P2, {"at": _at(-96), "latency_ms": 50.0})
    return service + [e for c in concierge for e in c] + sdr + old


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    home = tmp_path_factory.mktemp("dashboard") / "home"
    settings = Settings(home=home)
    db = open_database(settings)
    (home / "observability.yaml").write_text(OBSERVABILITY_YAML, encoding="utf-8")
    services = Services(settings, db)
    for role in ("admin", "analyst", "channel"):
        services.users.create(user_of(role), PASSWORD, role, replace=True)
    EventStore(db).record(_events())
    yield create_app(services, mounts=[mount])
    db.close()


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        sign_in(test_client, "analyst")
        yield test_client


def _figure(page: str, metric: str, *, within: str | None = None) -> str:
    """The text of the first element marked `data-metric="…"` (inside the element with id `within`)."""
    if within is not None:
        page = page.split(f'id="{within}"', 1)[1]
    found = re.search(rf'data-metric="{metric}">(.*?)</(?:dd|span)>', page, re.S)
    assert found is not None, f"no figure {metric!r} on the page"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split("(")[0].strip()


def _links(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', page)]


@pytest.mark.parametrize("role", ["admin", "analyst"])
def test_the_dashboard_opens_for_admins_and_analysts_with_a_card_per_agent(app: Any, role: str) -> None:
    with TestClient(app, follow_redirects=False) as test_client:
        sign_in(test_client, role)
        page = test_client.get("/dashboard")
    assert page.status_code == 200, page.text
    assert re.search(r'<a href="/dashboard"[^>]*aria-current="page">Dashboard</a>', page.text)
    assert [m for m in re.findall(r'class="dash-card" id="card-(\w+)"', page.text)] == ["concierge", "service", "sdr"]


def test_signed_out_is_sent_to_sign_in_and_a_role_without_agents_read_is_refused(app: Any) -> None:
    with TestClient(app, follow_redirects=False) as test_client:
        away = test_client.get("/dashboard?agent=service")
        assert away.status_code == 303
        assert away.headers["location"] == "/login?next=/dashboard%3Fagent%3Dservice"
        sign_in(test_client, "channel")
        refused = test_client.get("/dashboard")
    assert refused.status_code == 403
    assert "may not open this page (it needs `agents:read`)" in refused.text


def test_each_card_shows_its_agents_figures(client: TestClient) -> None:
    page = client.get("/dashboard").text
    assert _figure(page, "conversations", within="card-service") == "3"
    assert _figure(page, "deflection", within="card-service") == "33.3%"
    assert _figure(page, "escalation", within="card-service") == "33.3%"
    assert _figure(page, "csat", within="card-service") == "3.50"
    assert _figure(page, "p95", within="card-service") == "290 ms"  # 100, 200, 300 ms: the shadow turn is left out
    assert _figure(page, "roi_annualised", within="card-service") == "$3,652.50"  # $10 a day for 365.25 days
    assert _figure(page, "score", within="card-service") == "64.4"
    assert _figure(page, "conversations", within="card-concierge") == "3"
    assert _figure(page, "deflection", within="card-concierge") == "100.0%"
    assert _figure(page, "roi_annualised", within="card-concierge") == "$10,957.50"


def test_the_score_is_shown_with_its_components_and_the_agents_compared_in_a_chart(client: TestClient) -> None:
    page = client.get("/dashboard").text
    card = page.split('id="card-service"', 1)[1].split("</li>", 1)[0]
    assert "<summary>score components</summary>" in card
    rows = re.findall(r"<tr[^>]*>\s*<td>(\w+)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", card)
    assert ("deflection", "33.3%", "0.48") in rows
    assert ("errors", "33.3%", "0.00") in rows
    chart = json.loads(html.unescape(re.search(r'id="comparison-chart"[^>]*data-figure="([^"]+)"', page).group(1)))  # type: ignore[union-attr]
    assert [trace["name"] for trace in chart["data"]] == ["concierge", "service", "sdr"]
    assert chart["layout"]["barmode"] == "group"
    assert '<script src="/console/static/plotly.min.js" defer></script>' in page


def test_the_default_window_ends_at_the_latest_live_event(client: TestClient) -> None:
    page = client.get("/dashboard").text
    assert "2026-11-23 10:01 to 2026-11-24 10:01 UTC" in page
    # The concierge's last event is at 08:31, but its page keeps the window its card was counted over.
    assert "2026-11-23 10:01 to 2026-11-24 10:01 UTC" in client.get("/dashboard?agent=concierge").text
    week = client.get("/dashboard?period=7d&agent=service").text
    assert _figure(week, "conversations") == "4"  # the conversation four days earlier joins the three
    hour = client.get("/dashboard?period=1h&agent=service").text
    assert _figure(hour, "conversations") == "2"  # 09:01 to 10:01 leaves out the turn at 09:00
    assert '<option value="1h" selected>1h</option>' in hour
    assert re.findall(r'<option value="(\w+)"', hour) == ["1h", "24h", "7d", "30d"]
    assert '<input type="text" name="agent" value="service"' in hour  # the form keeps the filters it was given


def test_the_agent_page_shows_every_section(client: TestClient) -> None:
    page = client.get("/dashboard?agent=service").text
    assert _figure(page, "score") == "64.4"
    assert _figure(page, "roi_net") == "$10.00"
    assert 'data-input="deflected">1<' in page
    assert 'data-input="human_conversation_usd">10.0<' in page
    assert "deflected * human_conversation_usd" in page
    assert _figure(page, "p50") == "200 ms"
    assert _figure(page, "errors") == "1 of 3"
    assert _figure(page, "groundedness") == "0.90"
    assert _figure(page, "citation_rate") == "100.0%"  # the one answered turn cites; handed off and failed don't count
    assert _figure(page, "csat_response_rate") == "66.7%"
    assert _figure(page, "unique_users") == "2"
    assert _figure(page, "returning_users") == "2"  # P1 twice today; P2 today and four days earlier
    assert _figure(page, "abandonment") == "33.3%"
    assert "Sales development" not in page
    for chart in ("latency-chart", "csat-chart", "traffic-chart"):
        assert f'id="{chart}" class="plot" data-figure=' in page


def test_the_agent_path_is_the_same_page_as_the_agent_filter(client: TestClient) -> None:
    by_path = client.get("/dashboard/agents/service?topic=billing").text
    by_query = client.get("/dashboard?agent=service&topic=billing").text
    assert _figure(by_path, "conversations") == _figure(by_query, "conversations") == "2"


def test_the_sdr_agent_shows_leads_meetings_and_pipeline(client: TestClient) -> None:
    page = client.get("/dashboard?agent=sdr").text
    assert _figure(page, "leads_covered") == "2"
    assert _figure(page, "meetings_booked") == "1"
    assert _figure(page, "pipeline") == "$12,000.00"
    assert _figure(page, "emails_sent") == "2"


@pytest.mark.parametrize(
    ("query", "conversations", "deflection", "csat"),
    [
        ("agent=service", "3", "33.3%", "3.50 / 5"),
        ("agent=service&topic=billing", "2", "50.0%", "3.50 / 5"),
        ("agent=service&language=fr", "1", "0.0%", "2.00 / 5"),
        ("agent=service&channel=web", "2", "50.0%", "5.00 / 5"),
        ("agent=service&topic=login", "1", "0.0%", "—"),
    ],
)
def test_filters_narrow_the_figures(
    client: TestClient, query: str, conversations: str, deflection: str, csat: str
) -> None:
    page = client.get(f"/dashboard?{query}").text
    assert _figure(page, "conversations") == conversations
    assert _figure(page, "deflection") == deflection
    assert _figure(page, "csat") == csat


def test_a_filter_narrows_the_overview_cards(client: TestClient) -> None:
    page = client.get("/dashboard?language=es").text
    assert re.findall(r'class="dash-card" id="card-(\w+)"', page) == ["concierge"]


def test_drill_down_from_agent_to_topic_to_conversation(client: TestClient) -> None:
    overview = _links(client.get("/dashboard?period=24h").text)
    assert "/dashboard?period=24h&agent=service" in overview
    agent = client.get("/dashboard?period=24h&agent=service").text
    assert "/dashboard?period=24h&agent=service&topic=billing" in _links(agent)
    assert "/dashboard?period=24h&agent=service&language=fr" in _links(agent)
    assert "/dashboard?period=24h&agent=service&channel=email" in _links(agent)
    topic = client.get("/dashboard?period=24h&agent=service&topic=billing").text
    conversations = [link for link in _links(topic) if link.startswith("/conversations/")]
    assert conversations == ["/conversations/svc-2", "/conversations/svc-1"]  # the latest first
    assert 'id="by-topic"' not in topic  # the topic is chosen: no table of one row


def test_the_conversation_list_is_paged(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dashboard, "PAGE_SIZE", 2)
    first = client.get("/dashboard?agent=concierge").text
    assert [link for link in _links(first) if link.startswith("/conversations/")] == [
        "/conversations/con-3",
        "/conversations/con-2",
    ]
    assert "/dashboard?agent=concierge&offset=2#conversations" in _links(first)
    second = client.get("/dashboard?agent=concierge&offset=2").text
    assert [link for link in _links(second) if link.startswith("/conversations/")] == ["/conversations/con-1"]
    assert 'rel="next"' not in second
    assert "/dashboard?agent=concierge#conversations" in _links(second)


def test_an_empty_window_says_there_is_no_traffic(client: TestClient) -> None:
    page = client.get("/dashboard?since=2020-01-01&until=2020-01-02")
    assert page.status_code == 200
    assert "No traffic in this window" in page.text
    unknown = client.get("/dashboard?agent=nobody").text
    assert "No traffic in this window for agent nobody" in unknown
    assert "data-figure=" not in unknown


def test_an_exact_window_link_reopens_the_same_figures(client: TestClient) -> None:
    page = client.get("/dashboard?agent=service").text
    exact = re.search(r'<a href="([^"]+)">link to exactly this window</a>', page).group(1)  # type: ignore[union-attr]
    assert (
        html.unescape(exact)
        == "/dashboard?since=2026-11-23T10%3A01%3A00%2B00%3A00&until=2026-11-24T10%3A01%3A00%2B00%3A00&agent=service"
    )
    assert _figure(client.get(html.unescape(exact)).text, "conversations") == "3"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=soon", "a period must be a positive number and a unit (m, h, d or w) such as 1h or 7d, got 'soon'"),
        ("since=yesterday", "a time must be an ISO date or time such as 2026-11-24T09:00:00Z, got 'yesterday'"),
        ("since=2026-11-25&until=2026-11-24", "a window must end after it starts"),
    ],
)
def test_a_bad_period_is_a_400_that_says_what_is_wrong(client: TestClient, query: str, message: str) -> None:
    page = client.get(f"/dashboard?{query}")
    assert page.status_code == 400
    assert message in html.unescape(page.text)
    assert 'action="/dashboard"' in page.text  # the picker stays, to correct it


def test_a_custom_window_in_another_zone_is_shown_in_utc(client: TestClient) -> None:
    page = client.get("/dashboard?agent=service&since=2026-11-24T10:00%2B02:00&until=2026-11-24T12:00%2B02:00").text
    assert "2026-11-24 08:00 to 2026-11-24 10:00 UTC (2.0 h)" in " ".join(page.split())
    assert _figure(page, "conversations") == "3"
    latency = re.search(r'id="latency-chart"[^>]*data-figure="([^"]+)"', page)
    assert latency is not None
    assert json.loads(html.unescape(latency.group(1)))["data"][0]["x"][0] == "2026-11-24 08:00:00"
