"""The kill switch: killing and reviving an agent, each flip recorded with who and why and audited in the data
layer's hash-chained log; and `cadre agents kill` / `revive`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cadre.agents.killswitch import KillSwitch, KillSwitchError
from cadre.agents.runtime import Runtime, TurnRequest
from cadre.data.audit import AuditLog
from cadre.store import Database
from tests.agents.help_desk import SPEC
from tests.cli.conftest import cadre  # noqa: F401  (the in-process CLI runner fixture)


def test_a_killed_agent_stays_killed_until_revived_and_each_flip_is_audited(db: Database) -> None:
    switch = KillSwitch(db)
    assert not switch.is_killed("service")
    assert switch.state("service").to_json() == {
        "agent": "service",
        "killed": False,
        "by": None,
        "reason": None,
        "at": None,
    }
    killed = switch.kill("service", "console:ana", "  answers quote last year's prices  ")
    assert (killed.killed, killed.by, killed.reason) == (True, "console:ana", "answers quote last year's prices")
    assert switch.is_killed("service") and not switch.is_killed("concierge")
    assert switch.kill("service", "console:bo", "again").by == "console:ana"  # killing twice changes nothing
    switch.revive("service", "role:admin", "prices fixed")
    assert not switch.is_killed("service")
    assert [(s.killed, s.by) for s in switch.history("service")] == [(False, "role:admin"), (True, "console:ana")]

    audit = AuditLog(db)
    entries = [e for e in audit.entries() if e.entity == "(agent)"]
    assert [(e.principal, e.operation, e.decision, e.detail) for e in entries] == [
        ("console:ana", "write", "allowed", "killed agent service: answers quote last year's prices"),
        ("role:admin", "write", "allowed", "revived agent service: prices fixed"),
    ]
    assert audit.verify().ok


def test_a_kill_needs_a_reason_and_the_killed_agents_are_listed(db: Database) -> None:
    switch = KillSwitch(db)
    with pytest.raises(KillSwitchError, match="killing agent 'sdr' must say why"):
        switch.kill("sdr", "role:admin", " ")
    assert not switch.is_killed("sdr")
    switch.kill("sdr", "role:admin", "sends to the wrong leads")
    switch.kill("concierge", "role:admin", "quotes a retired plan")
    switch.revive("concierge", "role:admin")
    assert [s.agent for s in switch.killed_agents()] == ["sdr"]


def test_the_cli_kills_and_revives_a_deployed_agent(
    cadre: Any,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CADRE_ACTION_MODULES", "tests.agents.help_desk")
    spec = tmp_path / "help-desk.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    assert cadre("agents", "deploy", str(spec)).exit_code == 0
    missing_reason = cadre("agents", "kill", "help-desk")
    assert missing_reason.exit_code == 2
    killed = cadre("agents", "kill", "help-desk", "--reason", "leaks internal notes", "--by", "user:ana", "--json")
    assert killed.exit_code == 0, killed.stderr
    assert killed.json() | {"at": None} == {
        "agent": "help-desk",
        "killed": True,
        "by": "user:ana",
        "reason": "leaks internal notes",
        "at": None,
    }
    assert cadre("agents", "revive", "help-desk", "--json").json()["killed"] is False
    assert "was not killed; nothing changed" in cadre("agents", "revive", "help-desk").stdout
    unknown = cadre("agents", "kill", "help-dsek", "--reason", "typo")
    assert unknown.exit_code == 2 and "help-dsek" in unknown.stderr


def test_a_killed_agent_hands_every_new_message_to_a_person_until_revived(runtime: Runtime, _shared_kb: tuple) -> None:
    switch = KillSwitch(_shared_kb[1])
    switch.kill("help-desk", by="user:ops", reason="quotes last year's prices")
    try:
        killed = runtime.run_turn(TurnRequest(agent="help-desk", message="How do I reset my password?"))
        assert killed.outcome == "handed_off" and killed.handoff is not None
        assert killed.handoff["reason"] == "agent_killed" and killed.citations == [] and killed.actions == []
        assert {
            "name": "kill_switch",
            "verdict": "agent killed: every new message goes to a person",
        } in killed.guardrails
        # A suite still runs on a killed agent, so a fix can be measured before the agent is revived.
        measured = runtime.run_turn(
            TurnRequest(agent="help-desk", message="How do I reset my password?", evaluation="case:reset")
        )
        assert measured.outcome == "answered" and measured.citations
    finally:
        switch.revive("help-desk", by="user:ops")
    back = runtime.run_turn(TurnRequest(agent="help-desk", message="How do I reset my password?"))
    assert back.outcome == "answered" and back.handoff is None
