"""Incident pages: the list with its unread count, one incident's evidence and timeline, and the forms (acknowledge,
note, resolve, kill, revive, roll back) with their capability and CSRF checks."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cadre.agents.killswitch import KillSwitch
from cadre.console import mount
from cadre.observability.alerts import parse_rules
from cadre.observability.events import Event, EventStore
from cadre.observability.incidents import AlertWorker, Incidents
from cadre.observability.window import Window
from cadre.server.app import create_app
from cadre.server.services import Services
from cadre.settings import Settings
from cadre.store import open_database
from tests.console.conftest import PASSWORD, ROLES, sign_in, user_of

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
RULES = parse_rules(
    "rules:\n  - {name: escalation, agent: service, metric: escalation_rate, op: '>', threshold: 0.3, window: 1h}\n"
)


class Escalating:
    """Escalation at 0.6 in any window reaching into the last half hour, 0.1 before."""

    def value(self, metric: str, window: Window) -> float | None:
        return 0.6 if window.until > NOW - timedelta(minutes=30) else 0.1


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    """A console of its own (no sample company needed): a fresh database, a user of each role, one incident."""
    settings = Settings(home=tmp_path / "home")
    db = open_database(settings)
    services = Services(settings, db)
    for role in ROLES:
        services.users.create(user_of(role), PASSWORD, role, replace=True)
    EventStore(db).record(
        [Event(kind="conversation_handed_off", agent="service", at=NOW - timedelta(minutes=5), conversation_id="c-77")]
    )
    AlertWorker(db, rules=lambda: RULES, reader=Escalating()).run_once(NOW)
    yield services
    db.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services, mounts=[mount]), follow_redirects=False) as test_client:
        yield test_client


def figure_of(page: str) -> Any:
    found = re.search(r'id="evidence-chart"[^>]*data-figure="([^"]+)"', page)
    assert found is not None, "the page has no evidence chart"
    return json.loads(html.unescape(found.group(1)))


def test_the_list_shows_incidents_and_the_unread_count(client: TestClient) -> None:
    sign_in(client, "analyst")
    page = client.get("/incidents").text
    assert '<a href="/incidents" aria-current="page">Incidents</a>' in page  # in the menu
    assert "1 unread" in page
    assert "escalation_rate &gt; 0.3 over 1h" in page
    assert 'href="/incidents/1"' in page
    assert "No resolved incident." in client.get("/incidents?status=resolved").text
    assert client.get("/incidents?status=bogus").status_code == 422


def test_an_incident_page_shows_its_evidence_without_forms_for_a_reader(client: TestClient) -> None:
    sign_in(client, "analyst")
    page = client.get("/incidents/1").text
    figure = figure_of(page)
    assert [trace["name"] for trace in figure["data"]] == ["window before", "alert window"]
    assert (figure["data"][0]["y"][-1], figure["data"][1]["y"][-1]) == (0.1, 0.6)
    assert figure["layout"]["shapes"][0]["y0"] == 0.3
    assert '<a href="/conversations/c-77">c-77</a> <small>handed off</small>' in page
    assert "/ack" not in page and "/kill" not in page and "/rollback" not in page
    assert client.get("/incidents/42").status_code == 404


def test_the_channel_role_may_not_open_incidents(client: TestClient) -> None:
    sign_in(client, "channel")
    assert client.get("/incidents").status_code == 403


def test_a_deployer_acknowledges_annotates_and_resolves(client: TestClient, services: Services) -> None:
    token = sign_in(client, "builder")
    page = client.get("/incidents/1").text
    assert 'action="/agents/service/rollback"' in page  # the agent pages' own rollback route
    done = client.post("/incidents/1/ack", data={"csrf_token": token})
    assert (done.status_code, done.headers["location"]) == (303, "/incidents/1")
    client.post("/incidents/1/note", data={"csrf_token": token, "text": "Billing topic misroutes"})
    client.post("/incidents/1/resolve", data={"csrf_token": token, "text": "fixed the routing examples"})
    incident = Incidents(services.db).get(1)
    assert (incident.status, incident.acknowledged_by, incident.resolved_by) == (
        "resolved",
        "console:console-builder",
        "console:console-builder",
    )
    assert [e.kind for e in incident.entries] == ["opened", "acknowledged", "note", "resolved"]
    again = client.post("/incidents/1/ack", data={"csrf_token": token})
    assert "must be unresolved to be acknowledged" in client.get(again.headers["location"]).text
    assert "0 unread" in client.get("/incidents").text


def test_forms_need_the_deployer_capability_and_the_csrf_token(client: TestClient, services: Services) -> None:
    token = sign_in(client, "analyst")
    assert client.post("/incidents/1/ack", data={"csrf_token": token}).status_code == 403
    assert client.post("/agents/service/kill", data={"csrf_token": token, "reason": "x"}).status_code == 403
    sign_in(client, "admin")
    assert client.post("/incidents/1/ack", data={"csrf_token": "forged"}).status_code == 403
    assert Incidents(services.db).get(1).status == "open"


def test_kill_and_revive_from_the_incident_page(client: TestClient, services: Services) -> None:
    token = sign_in(client, "admin")
    killed = client.post(
        "/agents/service/kill", data={"csrf_token": token, "reason": "quotes wrong prices", "back": "/incidents/1"}
    )
    assert (killed.status_code, killed.headers["location"]) == (303, "/incidents/1")
    switch = KillSwitch(services.db)
    assert switch.is_killed("service") and switch.state("service").by == "console:console-admin"
    page = client.get("/incidents/1").text
    assert "service is killed: every new message goes to a person" in page
    assert 'action="/agents/service/revive"' in page
    assert "quotes wrong prices" in client.get("/incidents").text  # the list names killed agents
    elsewhere = client.post("/agents/service/revive", data={"csrf_token": token, "back": "https://evil.example/"})
    assert elsewhere.headers["location"] == "/agents/service"
    assert not switch.is_killed("service")
    twice = client.post("/agents/service/revive", data={"csrf_token": token, "back": "/incidents/1"})
    assert "service was not killed; nothing changed." in client.get(twice.headers["location"]).text
    assert len(switch.history("service")) == 2
    no_reason = client.post("/agents/service/kill", data={"csrf_token": token, "back": "/incidents/1"})
    assert "must say why" in client.get(no_reason.headers["location"]).text
    assert not switch.is_killed("service")
