"""`cadre agents …` and `cadre chat` end to end: exit codes, problems with lines, the turn's JSON contract."""

from pathlib import Path
from typing import Any

import pytest

from tests.agents.help_desk import SPEC
from tests.knowledge.conftest import write_help_centre


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CADRE_ACTION_MODULES", "tests.agents.help_desk")
    path = tmp_path / "help-desk.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


def test_validate_reports_every_problem_with_its_line_and_exits_2(cadre: Any, spec: Path) -> None:
    spec.write_text(
        SPEC.replace("queue: tier1", "queue: tier1\n  max_action_failures: 0").replace("[open_case]", "[nope]")
    )
    ran = cadre("agents", "validate", str(spec), "--json")
    assert ran.exit_code == 2
    problems = ran.json()["problems"]
    assert len(problems) == 2
    assert any("`topics.2.actions`" in p and "'nope'" in p for p in problems)
    assert any(":37: `escalation.max_action_failures`" in p for p in problems)


def test_deploy_list_show_diff(cadre: Any, spec: Path, tmp_path: Path) -> None:
    assert cadre("agents", "validate", str(spec)).exit_code == 0
    assert cadre("agents", "deploy", str(spec), "--json").json() == {
        "agent": "help-desk",
        "version": 1,
        "created": True,
    }
    spec.write_text(SPEC.replace("queue: tier1", "queue: tier2"))
    assert cadre("agents", "deploy", str(spec), "--json").json()["version"] == 2
    listed = cadre("agents", "list", "--json").json()["agents"]
    assert [(a["name"], a["version"], a["topics"]) for a in listed] == [
        ("help-desk", 2, ["account", "billing", "cases", "human"])
    ]
    shown = cadre("agents", "show", "help-desk", "--version", "1", "--json").json()
    assert shown["spec"]["escalation"]["queue"] == "tier1"
    assert cadre("agents", "diff", "help-desk", "1", "2", "--json").json()["changed"] == ["escalation.queue"]
    missing = cadre("agents", "show", "nobody")
    assert missing.exit_code == 2 and "not deployed" in missing.stderr


def test_chat_prints_the_turn_contract(cadre: Any, spec: Path, tmp_path: Path) -> None:
    assert cadre("kb", "ingest", str(write_help_centre(tmp_path / "help")), "--collection", "help").exit_code == 0
    assert cadre("agents", "deploy", str(spec)).exit_code == 0
    ran = cadre("chat", "help-desk", "What is the status of invoice INV-0000123?", "--json")
    assert ran.exit_code == 0, ran.stderr
    turn = ran.json()
    assert set(turn) == {
        "conversation_id", "turn_id", "reply", "language", "topic", "actions", "citations", "handoff",
        "guardrails", "latency_ms", "tokens", "cost_usd",
    }  # fmt: skip
    assert turn["topic"] == "billing" and turn["actions"][0]["name"] == "invoice_status"
    assert turn["tokens"] == {"input": 0, "output": 0} and turn["cost_usd"] == 0.0
    follow = cadre(
        "chat", "help-desk", "I want to talk to a human", "--conversation", turn["conversation_id"], "--json"
    )
    assert follow.json()["conversation_id"] == turn["conversation_id"]
    assert follow.json()["handoff"]["queue"] == "tier1"


def test_interactive_chat_keeps_one_conversation_until_an_empty_line(cadre: Any, spec: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cadre.cli import _context, app

    assert cadre("kb", "ingest", str(write_help_centre(tmp_path / "help")), "--collection", "help").exit_code == 0
    assert cadre("agents", "deploy", str(spec)).exit_code == 0
    _context.reset()
    ran = CliRunner().invoke(
        app, ["chat", "help-desk"], input="How do I reset my password?\nI want to talk to a human\n\n"
    )
    assert ran.exit_code == 0, ran.output
    assert "Forgot password" in ran.stdout and "handed off to tier1" in ran.stdout
    assert ran.stderr.count("conversation ") == 1
