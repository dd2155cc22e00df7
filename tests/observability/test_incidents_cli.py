"""`cadre incidents …` end to end: rules validation with exit 2, evaluation over the real event store (the
dashboard's figures), and the incident's life from the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cadre.observability.events import Event, EventStore
from cadre.settings import Settings
from cadre.store import open_database
from tests.cli.conftest import cadre  # noqa: F401  (the in-process CLI runner fixture)

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
RULES = """\
rules:
  - name: escalation
    metric: escalation_rate
    op: ">"
    threshold: 0.5
    window: 1h
    min_conversations: 3
    severity: critical
"""


@pytest.fixture
def rules(cadre_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "alerts.yaml"
    path.write_text(RULES, encoding="utf-8")
    monkeypatch.setenv("CADRE_ALERTS_PATH", str(path))
    return path


def record_traffic(home: Path, *, handed_off: int, resolved: int) -> None:
    """Conversations of the service agent in the hour before NOW, each with a turn and how it ended."""
    db = open_database(Settings(home=home))
    events = []
    for index in range(handed_off + resolved):
        cid = f"conv-{index}"
        at = NOW - timedelta(minutes=50 - index)
        ending: Any = "conversation_handed_off" if index < handed_off else "conversation_resolved"
        events += [
            Event(kind="turn", agent="service", at=at, conversation_id=cid, outcome="answered"),
            Event(kind=ending, agent="service", at=at, conversation_id=cid, data={"by": "agent"}),
        ]
    EventStore(db).record(events)
    db.close()


def test_validate_reports_every_problem_with_its_yaml_path_and_exits_2(cadre: Any, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "alerts.yaml"
    path.write_text(RULES.replace("escalation_rate", "escalations").replace("1h", "an hour"), encoding="utf-8")
    ran = cadre("incidents", "rules", "validate", str(path), "--json")
    assert ran.exit_code == 2
    problems = ran.json()["problems"]
    assert [p.split(": ")[0] for p in problems] == [f"{path}:3", f"{path}:6"]
    assert "`rules.0.metric`" in problems[0] and "`rules.0.window`" in problems[1]
    path.write_text(RULES, encoding="utf-8")
    assert cadre("incidents", "rules", "validate", str(path), "--json").json() == {
        "valid": True,
        "file": str(path),
        "rules": ["escalation"],
    }


def test_evaluate_opens_an_incident_that_people_then_work_through(
    cadre: Any,  # noqa: F811
    cadre_home: Path,
    rules: Path,
) -> None:
    assert cadre("incidents", "rules", "show", "--json").json()["file"] == str(rules)
    record_traffic(cadre_home, handed_off=3, resolved=1)
    first = cadre("incidents", "evaluate", "--now", NOW.isoformat(), "--json")
    assert first.exit_code == 0, first.stderr
    body = first.json()
    assert [(v["agent"], v["state"], v["value"]) for v in body["verdicts"]] == [("service", "firing", 0.75)]
    [opened] = body["opened"]
    assert [(c["id"], c["why"]) for c in opened["evidence"]["conversations"]] == [
        ("conv-2", "handed off"),
        ("conv-1", "handed off"),
        ("conv-0", "handed off"),
        ("conv-3", "recent"),
    ]
    assert cadre("incidents", "evaluate", "--now", NOW.isoformat(), "--json").json()["opened"] == []

    listed = cadre("incidents", "list", "--json").json()
    assert (listed["unread"], [i["id"] for i in listed["incidents"]]) == (1, [opened["id"]])
    incident = str(opened["id"])
    assert cadre("incidents", "ack", incident, "--by", "user:ana", "--json").json()["status"] == "acknowledged"
    noted = cadre("incidents", "note", incident, "Billing topic misroutes since v3", "--json").json()
    assert noted["entries"][-1] == {**noted["entries"][-1], "kind": "note", "text": "Billing topic misroutes since v3"}
    resolved = cadre("incidents", "resolve", incident, "--note", "rolled back", "--json").json()
    assert (resolved["status"], resolved["resolved_by"]) == ("resolved", "role:admin")
    assert cadre("incidents", "list", "--json").json()["incidents"] == []
    assert len(cadre("incidents", "list", "--status", "all", "--json").json()["incidents"]) == 1
    again = cadre("incidents", "ack", incident)
    assert again.exit_code == 2 and "must be unresolved to be acknowledged" in again.stderr
    assert cadre("incidents", "show", "999").exit_code == 2


def test_a_quiet_hour_opens_nothing(cadre: Any, cadre_home: Path, rules: Path) -> None:  # noqa: F811
    record_traffic(cadre_home, handed_off=2, resolved=0)  # under min_conversations
    body = cadre("incidents", "evaluate", "--now", NOW.isoformat(), "--json").json()
    assert [v["state"] for v in body["verdicts"]] == ["quiet"]
    assert body["opened"] == []
