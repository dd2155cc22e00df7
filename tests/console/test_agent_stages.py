"""Rollout stages on the agent page: each version's stage and last gates, the history, live figures per stage, and
the deployer's actions (roll out, promote through the gates, roll back) with their capability and CSRF checks."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cadre.agents.rollout import Rollout
from tests.console.conftest import Console

CONCIERGE = (files("cadre.sample") / "agents" / "concierge.yaml").read_text(encoding="utf-8")
# One case whose reply must hold a phrase no reply holds: the gate run is quick and always refused.
SUITE = """\
agent: {agent}
cases:
  - id: plans
    turns:
      - user: What plans do you offer?
        expect: {{facts: ["a phrase no reply holds"]}}
"""
GATES = """
gates:
  suite: {suite}
  task_success: 1.0
"""


@dataclass
class Staged:
    """An agent of its own (the console's database is shared by the module) with two deployed versions."""

    name: str
    rollout: Rollout


@pytest.fixture
def staged(console: Console, tmp_path: Path) -> Staged:
    name = f"staged-{uuid.uuid4().hex[:8]}"
    base = CONCIERGE.replace("name: concierge", f"name: {name}", 1)
    suite = tmp_path / "gate.yaml"
    suite.write_text(SUITE.format(agent=name), encoding="utf-8")
    first, second = tmp_path / "v1.yaml", tmp_path / "v2.yaml"
    first.write_text(base, encoding="utf-8")
    second.write_text(base.replace("channels: [web, api]", "channels: [web]") + GATES.format(suite=suite), "utf-8")
    versions = console.services.versions
    assert (versions.deploy(first).version, versions.deploy(second).version) == (1, 2)
    return Staged(name, Rollout(console.services.db, versions))


def stage_cell(page: str, version: int) -> str:
    """The stage column of version `version`'s row in the versions table."""
    row = re.search(rf'versions/{version}">v{version}</a></td>\s*<td class="stage">([^<]*)</td>', page)
    assert row is not None, f"no row for v{version}"
    return html.unescape(row.group(1))


def history_rows(page: str) -> list[list[str]]:
    table = page.split('<table class="history">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], flags=re.S)
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td>(.*?)</td>", r, re.S)]
        for r in rows
    ]


def test_the_page_shows_each_versions_stage_the_history_and_the_figures_per_stage(
    client: TestClient, signed_in: Callable[[str], str], staged: Staged
) -> None:
    staged.rollout.record(staged.name, 1, "production", by="role:admin")
    staged.rollout.record(staged.name, 2, "pilot", share=0.25, by="role:admin")
    signed_in("analyst")
    page = client.get(f"/agents/{staged.name}").text
    assert stage_cell(page, 1) == "production"
    assert stage_cell(page, 2) == "pilot 25%"
    # Newest first: who, action, version, stage, share.
    assert [row[1:] for row in history_rows(page)] == [
        ["rollout", "v2", "pilot", "25%", "role:admin"],
        ["rollout", "v1", "production", "", "role:admin"],
    ]
    figures = page.split('<table class="figures">', 1)[1].split("</table>", 1)[0]
    assert re.search(r"<td>production</td>\s*<td>v1</td>", figures)
    assert re.search(r"<td>pilot</td>\s*<td>v2</td>\s*<td>25%</td>\s*<td>0</td>", figures)  # no turns yet
    assert "Roll back production" not in page  # an analyst may look, not change stages


def test_without_a_recorded_stage_the_latest_version_is_shown_as_production(
    client: TestClient, signed_in: Callable[[str], str], staged: Staged
) -> None:
    signed_in("analyst")
    page = client.get(f"/agents/{staged.name}").text
    assert (stage_cell(page, 2), stage_cell(page, 1)) == ("production", "—")
    assert "No stage change yet." in page


def test_rollout_through_the_form_records_the_console_user(
    client: TestClient, signed_in: Callable[[str], str], staged: Staged
) -> None:
    token = signed_in("builder")
    sent = client.post(f"/agents/{staged.name}/rollout", data={"version": 1, "stage": "shadow", "csrf_token": token})
    assert sent.status_code == 303 and sent.headers["location"] == f"/agents/{staged.name}"
    plan = staged.rollout.plan(staged.name)
    assert plan is not None and plan.shadow == 1
    assert staged.rollout.history(staged.name)[-1].by == "console:console-builder"
    page = client.get(f"/agents/{staged.name}").text
    assert "v1 is now shadow." in page and stage_cell(page, 1) == "shadow"
    bad = {"version": 2, "stage": "pilot", "share": "150", "csrf_token": token}
    assert client.post(f"/agents/{staged.name}/rollout", data=bad).status_code == 303
    assert "a pilot&#39;s share must be above 0% and at most 100%" in client.get(f"/agents/{staged.name}").text
    assert len(staged.rollout.history(staged.name)) == 1  # the refused change left nothing


def test_rollback_through_the_form_moves_production_back_and_shows_in_the_history(
    client: TestClient, signed_in: Callable[[str], str], staged: Staged
) -> None:
    staged.rollout.record(staged.name, 1, "production")
    staged.rollout.record(staged.name, 2, "production")
    token = signed_in("builder")
    sent = client.post(f"/agents/{staged.name}/rollback", data={"csrf_token": token})
    assert sent.status_code == 303 and sent.headers["location"] == f"/agents/{staged.name}"
    plan = staged.rollout.plan(staged.name)
    assert plan is not None and plan.production == 1
    page = client.get(f"/agents/{staged.name}").text
    assert "Rolled production back to v1 (from v2)." in page
    assert (stage_cell(page, 1), stage_cell(page, 2)) == ("production", "—")
    assert history_rows(page)[0][1:] == ["rollback", "v1", "production", "", "console:console-builder"]


def test_rollback_with_no_earlier_production_version_is_refused_with_a_note(
    client: TestClient, signed_in: Callable[[str], str], staged: Staged
) -> None:
    token = signed_in("builder")
    assert client.post(f"/agents/{staged.name}/rollback", data={"csrf_token": token}).status_code == 303
    assert "must have a production version to roll back, got none recorded" in client.get(f"/agents/{staged.name}").text
    staged.rollout.record(staged.name, 2, "production")
    assert client.post(f"/agents/{staged.name}/rollback", data={"csrf_token": token}).status_code == 303
    page = client.get(f"/agents/{staged.name}").text
    assert "must have had an earlier production version to roll back to, got only 2" in page
    assert [e.action for e in staged.rollout.history(staged.name)] == ["rollout"]


def test_a_promotion_refused_by_its_gates_shows_the_gate_table(
    client: TestClient, signed_in: Callable[[str], str], staged: Staged
) -> None:
    staged.rollout.record(staged.name, 1, "production")
    token = signed_in("admin")
    sent = client.post(f"/agents/{staged.name}/promote", data={"version": 2, "csrf_token": token})
    assert sent.status_code == 303
    event = staged.rollout.history(staged.name)[-1]
    assert (event.action, event.version, event.by) == ("refused", 2, "console:console-admin")
    assert sent.headers["location"] == f"/agents/{staged.name}/stages/{event.id}"
    result = client.get(sent.headers["location"]).text
    assert "v2 was refused: failing gates task_success." in result
    assert re.search(r"<td>task_success</td><td>0.0</td><td>&gt;= 1.0</td><td>FAIL</td>", result)
    assert "0 of 1 cases passed" in result
    assert client.get(f"/agents/{staged.name}/stages/{event.id + 1000}").status_code == 404
    page = client.get(f"/agents/{staged.name}").text
    assert stage_cell(page, 1) == "production"  # the refusal changed nothing
    assert re.search(
        rf'<td class="gates"><a href="/agents/{staged.name}/stages/{event.id}">refused</a>: task_success', page
    )


def test_a_version_without_gates_cannot_be_promoted_and_says_why(
    client: TestClient, signed_in: Callable[[str], str], staged: Staged
) -> None:
    token = signed_in("builder")
    assert client.post(f"/agents/{staged.name}/promote", data={"version": 1, "csrf_token": token}).status_code == 303
    assert "version 1 must declare `gates` to be promoted, got none" in html.unescape(
        client.get(f"/agents/{staged.name}").text
    )
    assert staged.rollout.history(staged.name) == []


@pytest.mark.parametrize("action", ["rollback", "rollout", "promote"])
def test_stage_changes_need_the_deploy_capability(
    client: TestClient, signed_in: Callable[[str], str], staged: Staged, action: str
) -> None:
    staged.rollout.record(staged.name, 1, "production")
    staged.rollout.record(staged.name, 2, "production")
    token = signed_in("analyst")
    form = {"version": 1, "stage": "production", "csrf_token": token}
    refused = client.post(f"/agents/{staged.name}/{action}", data=form)
    assert refused.status_code == 403
    assert "needs `agents:deploy`" in html.unescape(refused.text)
    assert len(staged.rollout.history(staged.name)) == 2


def test_stage_changes_need_the_csrf_token(client: TestClient, signed_in: Callable[[str], str], staged: Staged) -> None:
    staged.rollout.record(staged.name, 1, "production")
    staged.rollout.record(staged.name, 2, "production")
    signed_in("admin")
    refused = client.post(f"/agents/{staged.name}/rollback", data={"csrf_token": "stale"})
    assert refused.status_code == 403
    assert "CSRF token is missing or wrong" in refused.text
    plan = staged.rollout.plan(staged.name)
    assert plan is not None and plan.production == 2
