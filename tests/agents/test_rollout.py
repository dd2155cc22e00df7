"""Versions in stages: gated promotion, a sticky pilot on a share of new conversations, a shadow whose replies are
stored and never sent, rollback, and an explicit version winning over all of it."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from cadre.agents import transcripts
from cadre.agents.actions import ActionRegistry
from cadre.agents.models import Gates
from cadre.agents.promotion import SCORES, gate_checks, promote
from cadre.agents.rollout import Rollout, RolloutInvalid, StagePlan, parse_stage, pilot_bucket
from cadre.agents.runtime import Runtime, TurnRequest, TurnResult
from cadre.agents.setup import build_runtime
from cadre.agents.specs import AgentVersions
from cadre.agents.stage_figures import stage_figures
from cadre.agents.store import ConversationRow, HandoffRow, MessageRow, TurnRow
from cadre.agents.transcripts import ConversationFilters
from cadre.data.audit import AuditLog
from cadre.knowledge.service import KnowledgeBase
from cadre.settings import Settings
from cadre.store import Database
from tests.agents.help_desk import SPEC, help_desk_actions

PILOT_AND_GATES = """\
stages:
  pilot:
    topics: [account, human]
gates:
  suite: {suite}
  task_success: 1.0
  max_regression: 0.05
"""
SUITE = """\
agent: {agent}
cases:
  - id: reset-password
    turns:
      - user: How do I reset my password?
        expect: {{topic: {topic}, cited: true, handoff: false}}
"""


@dataclass
class Desk:
    """One help-desk agent of its own (the module's database is shared) with two versions."""

    runtime: Runtime
    rollout: Rollout
    db: Database
    name: str
    v1: int
    v2: int

    def say(self, message: str, conversation: str | None = None, version: int | None = None) -> TurnResult:
        return self.runtime.run_turn(
            TurnRequest(agent=self.name, message=message, conversation_id=conversation, version=version)
        )

    def version_of(self, conversation_id: str) -> int:
        with self.db.session() as session:
            row = session.get(ConversationRow, conversation_id)
            assert row is not None
            return row.agent_version


def _desk(
    shared: tuple[Settings, Database, KnowledgeBase],
    folder: Path,
    *,
    expected_topic: str,
    actions: ActionRegistry | None = None,
) -> Desk:
    settings, db, kb = shared
    name = f"desk-{uuid.uuid4().hex[:8]}"
    base = SPEC.replace("name: help-desk", f"name: {name}")
    suite = folder / "gate.yaml"
    suite.write_text(SUITE.format(agent=name, topic=expected_topic), encoding="utf-8")
    first, second = folder / "v1.yaml", folder / "v2.yaml"
    first.write_text(base, encoding="utf-8")
    second.write_text(
        base.replace("Be brief and precise.", "Be warm and brief.") + PILOT_AND_GATES.format(suite=suite),
        encoding="utf-8",
    )
    actions = actions or help_desk_actions()
    versions = AgentVersions(db, actions)
    v1, v2 = versions.deploy(first).version, versions.deploy(second).version
    runtime = build_runtime(settings, db, kb, actions=actions)
    runtime.stages = Rollout(db, runtime.versions)
    return Desk(runtime, runtime.stages, db, name, v1, v2)


@pytest.fixture
def desk(_shared_kb: tuple[Settings, Database, KnowledgeBase], tmp_path: Path) -> Desk:
    return _desk(_shared_kb, tmp_path, expected_topic="account")


def test_stages_parse_and_bad_ones_are_refused() -> None:
    assert parse_stage("pilot:10%") == ("pilot", 0.1)
    assert parse_stage("shadow") == ("shadow", None)
    for bad in ("pilot", "pilot:0%", "pilot:120%", "canary"):
        with pytest.raises(RolloutInvalid):
            parse_stage(bad)


def test_without_recorded_stages_the_latest_version_serves(desk: Desk) -> None:
    assert desk.rollout.plan(desk.name) is None
    assert desk.version_of(desk.say("How do I reset my password?").conversation_id) == desk.v2


def test_the_production_version_serves_new_conversations(desk: Desk) -> None:
    desk.rollout.record(desk.name, desk.v1, "production")
    assert desk.version_of(desk.say("How do I reset my password?").conversation_id) == desk.v1


def test_an_explicit_version_wins_over_the_stages(desk: Desk) -> None:
    desk.rollout.record(desk.name, desk.v1, "production")
    result = desk.say("How do I reset my password?", version=desk.v2)
    assert desk.version_of(result.conversation_id) == desk.v2


def test_a_pilot_takes_the_new_conversations_whose_id_hashes_under_its_share(desk: Desk) -> None:
    desk.rollout.record(desk.name, desk.v1, "production")
    desk.rollout.record(desk.name, desk.v2, "pilot", share=0.5)
    for _ in range(6):
        conversation = desk.say("How do I reset my password?").conversation_id
        expected = desk.v2 if pilot_bucket(conversation) < 0.5 else desk.v1
        assert desk.version_of(conversation) == expected


def test_the_pilot_share_is_a_pure_function_of_the_conversation_id() -> None:
    plan = StagePlan(agent="desk", production=1, pilot=2, pilot_share=0.5)
    ids = [f"conversation-{i}" for i in range(400)]
    first = [plan.stage_for(i) for i in ids]
    assert first == [plan.stage_for(i) for i in ids]
    assert 0.4 < first.count("pilot") / len(ids) < 0.6


def test_a_conversation_keeps_its_version_when_the_pilot_grows(desk: Desk) -> None:
    desk.rollout.record(desk.name, desk.v1, "production")
    before = desk.say("How do I reset my password?").conversation_id
    desk.rollout.record(desk.name, desk.v2, "pilot", share=1.0)
    piloted = desk.say("How do I reset my password?").conversation_id
    desk.say("And how do I set up SAML single sign-on?", before)
    desk.say("And how do I set up SAML single sign-on?", piloted)
    assert (desk.version_of(before), desk.version_of(piloted)) == (desk.v1, desk.v2)


def test_a_pilot_hands_off_the_topics_its_stage_does_not_enable(desk: Desk) -> None:
    desk.rollout.record(desk.name, desk.v1, "production")
    desk.rollout.record(desk.name, desk.v2, "pilot", share=1.0)
    answered = desk.say("How do I reset my password?")
    billing = desk.say("Where can I download my invoices?")
    assert answered.outcome == "answered"
    assert billing.topic == "billing"
    assert billing.outcome == "handed_off"
    assert {"name": "stage", "verdict": "topic 'billing' not enabled in pilot"} in billing.guardrails


def test_a_shadow_answers_the_same_message_but_its_reply_is_stored_not_returned(desk: Desk) -> None:
    desk.rollout.record(desk.name, desk.v1, "production")
    desk.rollout.record(desk.name, desk.v2, "shadow")
    live = desk.say("How do I reset my password?")
    desk.say("And how do I set up SAML single sign-on?", live.conversation_id)
    shadow = desk.rollout.shadow_conversation(desk.name, live.conversation_id)
    assert shadow is not None
    assert desk.version_of(live.conversation_id) == desk.v1
    assert desk.version_of(shadow) == desk.v2
    with desk.db.session() as session:
        roles = session.scalars(
            select(MessageRow.role).where(MessageRow.conversation_id == shadow).order_by(MessageRow.seq)
        ).all()
        live_agent_messages = session.scalars(
            select(MessageRow.text).where(
                MessageRow.conversation_id == live.conversation_id, MessageRow.role == "agent"
            )
        ).all()
    assert roles == ["customer", "agent", "customer", "agent"]
    assert live_agent_messages[0] == live.reply
    # Listings, search and sampling show what customers saw: the live conversation, never its shadow.
    listed = {
        row.id for row in transcripts.search(desk.db, ConversationFilters(agent=desk.name), limit=500, offset=0).rows
    }
    assert live.conversation_id in listed and shadow not in listed


def test_a_shadow_hand_off_is_measured_but_never_queued_for_a_human(desk: Desk) -> None:
    desk.rollout.record(desk.name, desk.v1, "production")
    desk.rollout.record(desk.name, desk.v2, "shadow")
    live = desk.say("I want to talk to a human")
    shadow = desk.rollout.shadow_conversation(desk.name, live.conversation_id)
    with desk.db.session() as session:
        queued = dict(
            session.execute(
                select(HandoffRow.conversation_id, func.count())
                .where(HandoffRow.conversation_id.in_([live.conversation_id, shadow]))
                .group_by(HandoffRow.conversation_id)
            ).all()
        )
        shadow_status = session.scalars(select(ConversationRow.status).where(ConversationRow.id == shadow)).one()
    assert queued == {live.conversation_id: 1}
    assert shadow_status == "handed_off"


def test_a_shadow_never_runs_an_action_that_changes_something(
    _shared_kb: tuple[Settings, Database, KnowledgeBase], tmp_path: Path
) -> None:
    opened: list[str] = []
    plain = help_desk_actions()
    case = plain.get("open_case")

    def open_case(*args: Any, **kwargs: Any) -> Any:
        opened.append("case")
        return case.function(*args, **kwargs)

    actions = ActionRegistry(
        replace(plain.get(n), effects=True, function=open_case) if n == "open_case" else plain.get(n)
        for n in plain.names()
    )
    desk = _desk(_shared_kb, tmp_path, expected_topic="account", actions=actions)
    desk.rollout.record(desk.name, desk.v1, "production")
    desk.rollout.record(desk.name, desk.v2, "shadow")
    first = desk.say("Please open a case, the app crashes when I export")
    live = desk.say("ana@example.com", first.conversation_id)
    assert [a["name"] for a in live.actions] == ["open_case"]
    assert opened == ["case"]
    shadow = desk.rollout.shadow_conversation(desk.name, live.conversation_id)
    with desk.db.session() as session:
        shadow_actions = [
            a for row in session.scalars(select(TurnRow.actions).where(TurnRow.conversation_id == shadow)) for a in row
        ]
    assert [(a["name"], a["ok"]) for a in shadow_actions] == [("open_case", False)]


def test_stage_figures_come_from_each_stages_stored_turns(desk: Desk) -> None:
    desk.rollout.record(desk.name, desk.v1, "production")
    desk.rollout.record(desk.name, desk.v2, "shadow")
    desk.say("How do I reset my password?")
    desk.say("I want to talk to a human")
    plan = desk.rollout.plan(desk.name)
    assert plan is not None
    figures = stage_figures(desk.db, plan, latest=desk.v2)["stages"]
    assert figures["production"]["version"] == desk.v1
    assert figures["shadow"]["version"] == desk.v2
    for stage in ("production", "shadow"):
        assert (figures[stage]["turns"], figures[stage]["task_success"], figures[stage]["handoff_rate"]) == (
            2,
            0.5,
            0.5,
        )
        assert figures[stage]["latency_ms"]["p95"] is not None


def test_rollback_returns_production_to_the_version_before_and_moves_its_conversations(desk: Desk) -> None:
    desk.rollout.record(desk.name, desk.v1, "production")
    desk.rollout.record(desk.name, desk.v2, "production")
    on_v2 = desk.say("How do I reset my password?").conversation_id
    event = desk.rollout.rollback(desk.name, by="user:ops")
    assert (event.version, event.action, event.gates, event.by) == (desk.v1, "rollback", {"from": desk.v2}, "user:ops")
    desk.say("And how do I set up SAML single sign-on?", on_v2)
    assert desk.version_of(on_v2) == desk.v1
    with pytest.raises(RolloutInvalid, match="earlier production version"):
        desk.rollout.rollback(desk.name)
    # Each change, the rollback too, is in the data layer's hash-chained audit log with who made it.
    logged = [row.detail for row in AuditLog(desk.db).entries(limit=50) if desk.name in (row.detail or "")]
    assert f"rollback agent {desk.name} version {desk.v1} to production" in logged
    assert f"rollout agent {desk.name} version {desk.v2} to production" in logged
    assert AuditLog(desk.db).verify().ok


def test_promotion_is_refused_with_the_failing_gates_listed(
    _shared_kb: tuple[Settings, Database, KnowledgeBase], tmp_path: Path
) -> None:
    desk = _desk(_shared_kb, tmp_path, expected_topic="billing")  # the gate case expects the wrong topic
    desk.rollout.record(desk.name, desk.v1, "production")
    done = promote(desk.runtime, desk.rollout, desk.db, desk.name, desk.v2, by="user:ops")
    assert not done.promoted
    assert [(c.metric, c.value, c.limit) for c in done.failing] == [("task_success", 0.0, 1.0)]
    # Production fails the case too: no regression, only the absolute bar refuses.
    assert [c.passed for c in done.checks if c.metric == "regression.task_success"] == [True]
    plan = desk.rollout.plan(desk.name)
    assert plan is not None and plan.production == desk.v1
    assert desk.rollout.history(desk.name)[-1].action == "refused"


def _metrics(task_success: float, groundedness: float | None, violations: int, p95: float) -> dict[str, Any]:
    figures: dict[str, Any] = {metric: {"value": None} for metric in SCORES}
    figures["task_success"] = {"value": task_success}
    figures["groundedness"] = {"value": groundedness}
    figures["forbidden_violations"] = {"value": 1.0 if violations else 0.0, "total": violations}
    figures["latency_ms"] = {"p50": p95 / 2, "p95": p95}
    return figures


def test_each_gate_fails_on_its_own_metric() -> None:
    gates = Gates(suite="service", task_success=0.9, forbidden_violations=0, latency_p95_ms=2000, max_regression=0.05)
    production = _metrics(0.95, 0.9, 0, 900)
    assert all(c.passed for c in gate_checks(gates, _metrics(0.92, 0.86, 0, 1500), production))
    failing = [c.metric for c in gate_checks(gates, _metrics(0.85, 0.8, 2, 2500), production) if not c.passed]
    assert failing == [
        "task_success",
        "forbidden_violations",
        "latency_ms.p95",
        "regression.task_success",
        "regression.groundedness",
        "regression.forbidden_violations",
    ]
    # With no production version there is nothing to regress from.
    assert [c.metric for c in gate_checks(gates, _metrics(0.95, None, 0, 10), None)] == [
        "task_success",
        "forbidden_violations",
        "latency_ms.p95",
    ]


def test_promotion_makes_a_version_that_passes_its_gates_production(desk: Desk) -> None:
    desk.rollout.record(desk.name, desk.v1, "production")
    done = promote(desk.runtime, desk.rollout, desk.db, desk.name, desk.v2, by="user:ops")
    assert done.promoted, done.to_json()["failing"]
    assert done.baseline is not None and done.baseline["version"] == desk.v1
    assert {"task_success", "forbidden_violations", "regression.task_success"} <= {c.metric for c in done.checks}
    plan = desk.rollout.plan(desk.name)
    assert plan is not None and plan.production == desk.v2


def test_the_commands_stage_roll_back_and_refuse_with_exit_2(
    cadre_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from cadre.cli import _context, app

    monkeypatch.setenv("CADRE_ACTION_MODULES", "tests.agents.help_desk")
    runner = CliRunner()

    def cadre(*args: str) -> tuple[int, Any]:
        _context.reset()
        ran = runner.invoke(app, list(args), catch_exceptions=False)
        return ran.exit_code, json.loads(ran.stdout) if ran.stdout.strip() else ran.stderr

    suite = tmp_path / "gate.yaml"
    suite.write_text(SUITE.format(agent="help-desk", topic="account"), encoding="utf-8")
    first, second = tmp_path / "v1.yaml", tmp_path / "v2.yaml"
    first.write_text(SPEC, encoding="utf-8")
    second.write_text(SPEC + PILOT_AND_GATES.format(suite=suite), encoding="utf-8")
    for path in (first, second):
        assert cadre("agents", "deploy", str(path), "--json")[0] == 0

    code, body = cadre("agents", "rollback", "help-desk", "--json")
    assert code == 2
    assert "must have a production version" in body
    assert cadre("agents", "rollout", "help-desk", "1", "--stage", "production", "--json")[1]["plan"]["production"] == 1
    code, body = cadre("agents", "rollout", "help-desk", "2", "--stage", "pilot:25%", "--json")
    assert body["plan"] == {"agent": "help-desk", "production": 1, "pilot": 2, "pilot_share": 0.25, "shadow": None}
    code, body = cadre("agents", "stages", "help-desk", "--json")
    assert {stage: figures["version"] for stage, figures in body["stages"].items()} == {"production": 1, "pilot": 2}
    assert body["stages"]["pilot"]["turns"] == 0

    # No knowledge base is ingested here, so the gate case's citation is missing: refused, failing gates listed.
    code, body = cadre("agents", "promote", "help-desk", "2", "--json")
    assert code == 2
    assert body["promoted"] is False
    assert "task_success" in body["failing"]
    code, body = cadre("agents", "promote", "help-desk", "1")
    assert code == 2
    assert "must declare `gates`" in body

    assert cadre("agents", "rollout", "help-desk", "2", "--stage", "production", "--json")[0] == 0
    code, body = cadre("agents", "rollback", "help-desk", "--json")
    assert (code, body["event"]["action"], body["plan"]["production"]) == (0, "rollback", 1)
    code, body = cadre("agents", "stages", "help-desk", "--history", "--json")
    assert [e["action"] for e in body["history"]] == ["rollout", "rollout", "refused", "rollout", "rollback"]
