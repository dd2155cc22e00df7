"""The portfolio page: the table with stages, owners, KPIs, scores, overlap warnings and retirement candidates;
deployers change an owner or a stage through its gate (CSRF-checked), readers only look."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cadre.portfolio.intake import load_proposal
from cadre.portfolio.service import Portfolio
from tests.console.conftest import Console

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "cadre" / "portfolio" / "examples"


@pytest.fixture(scope="module", autouse=True)
def proposed(console: Console) -> None:
    """The `billing_desk` example proposed: it repeats the Service agent's work, so it is flagged."""
    services = console.services
    portfolio = Portfolio(services.db, services.versions, actions=services.actions, data=services.data)
    portfolio.propose(load_proposal(EXAMPLES / "billing_desk.yaml"), by="finance")


def row_of(page: str, name: str) -> str:
    found = re.search(rf'<tr id="entry-{name}".*?</tr>', page, re.S)
    assert found is not None, f"no row for {name}"
    return html.unescape(found.group(0))


def test_readers_see_the_table_with_warnings_and_candidates_but_no_forms(
    client: TestClient, signed_in: Callable[[str], str]
) -> None:
    signed_in("analyst")
    page = client.get("/portfolio")
    assert page.status_code == 200
    assert '<a href="/portfolio"' in page.text  # the navigation offers it
    proposal = row_of(page.text, "billing_desk")
    assert "proposed" in proposal and "finance-ops@halyard.example" in proposal
    assert "deflection_rate: ? / 0.45" in proposal
    assert "overlaps service" in proposal
    service = row_of(page.text, "service")
    assert "pilot" in service and "(unregistered)" in service and "overlaps billing_desk" in service
    text = html.unescape(page.text)
    assert "extend agent 'service' instead of 'billing_desk'" in text
    assert 'id="matrix-chart"' in page.text
    assert "<h2>Retirement review (30d)</h2>" in page.text
    assert 'class="entry-change"' not in page.text


def test_a_role_without_agent_pages_is_refused(client: TestClient, signed_in: Callable[[str], str]) -> None:
    signed_in("channel")
    assert client.get("/portfolio").status_code == 403
    client.cookies.clear()
    assert client.get("/portfolio").headers["location"] == "/login?next=/portfolio"


def test_a_deployer_changes_an_owner_and_a_stage_through_its_gate(
    client: TestClient, signed_in: Callable[[str], str]
) -> None:
    token = signed_in("builder")
    page = client.get("/portfolio")
    assert 'action="/portfolio/billing_desk"' in page.text
    moved = client.post(
        "/portfolio/billing_desk",
        data={"owner": "bo@halyard.example", "stage": "building", "why": "approved", "csrf_token": token},
    )
    assert (moved.status_code, moved.headers["location"]) == (303, "/portfolio")
    after = client.get("/portfolio")
    assert "billing_desk is building, owned by bo@halyard.example." in html.unescape(after.text)
    assert "building" in row_of(after.text, "billing_desk")
    refused = client.post("/portfolio/billing_desk", data={"stage": "hero", "csrf_token": token})
    assert refused.status_code == 303
    note = html.unescape(client.get("/portfolio").text)
    assert "stage `hero` needs a deployed agent; 'billing_desk' must be deployed first" in note
    assert "building" in row_of(client.get("/portfolio").text, "billing_desk")


def test_forms_need_the_csrf_token_and_the_deploy_capability(
    client: TestClient, signed_in: Callable[[str], str]
) -> None:
    signed_in("builder")
    assert client.post("/portfolio/billing_desk", data={"owner": "mallory"}).status_code == 403
    token = signed_in("analyst")
    assert client.post("/portfolio/billing_desk", data={"owner": "mallory", "csrf_token": token}).status_code == 403
    signed_in("analyst")
    assert "mallory" not in client.get("/portfolio").text
