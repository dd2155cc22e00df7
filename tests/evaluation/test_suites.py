"""Suites: loading with line-numbered errors, checking replies, running cases through the real runtime."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadre.agents import transcripts
from cadre.agents.runtime import Runtime, TurnResult
from cadre.agents.transcripts import ConversationFilters
from cadre.evaluation.checks import check_turn
from cadre.evaluation.runner import load_run, run_suite, store_run
from cadre.evaluation.suites import Expect, SuiteInvalid, load_suite, shipped_suites
from cadre.knowledge.service import KnowledgeBase
from cadre.settings import Settings
from cadre.store import Database

SUITE = """\
agent: help-desk
cases:
  - id: invoice-status
    tags: [billing]
    turns:
      - user: What is the status of invoice INV-0000123?
        expect:
          topic: billing
          actions: [{name: invoice_status, arguments: {invoice_id: inv-0000123}}]
          facts: [[paid, settled]]
          handoff: false
  - id: wrong-expectation
    turns:
      - user: What is the status of invoice INV-0000123?
        expect: {facts: [refunded], language: de}
  - id: asks-then-opens-a-case
    now: "2026-11-24T15:00:00Z"
    turns:
      - user: Please open a case, the app crashes when I export
        expect: {no_actions: true, facts: [email address]}
      - user: ana@example.com
        expect: {actions: [{name: open_case, arguments: {email: "*"}}]}
"""


def result(**fields: object) -> TurnResult:
    base: dict[str, object] = {
        "conversation_id": "c",
        "turn_id": "t",
        "reply": "Your invoice INV-1 is  PAID.",
        "language": "en",
        "topic": "billing",
        "actions": [{"name": "invoice_status", "arguments": {"invoice_id": "INV-1"}, "ok": True}],
        "citations": [],
        "handoff": None,
        "guardrails": [],
        "latency_ms": 1.0,
        "tokens": {"input": 0, "output": 0},
        "cost_usd": 0.0,
    }
    return TurnResult(**{**base, **fields})  # type: ignore[arg-type]


def test_every_broken_expectation_is_named() -> None:
    expect = Expect.model_validate(
        {
            "topic": "account",
            "actions": [{"name": "invoice_status", "arguments": {"invoice_id": "INV-2"}}],
            "facts": ["is paid", ["refund", "credit"]],
            "forbidden": ["inv-1"],
            "language": "ja",
            "handoff": "billing",
            "cited": True,
        }
    )
    failures = check_turn(expect, result())
    assert [f.split(":")[0] for f in failures] == [
        "topic",
        "actions",
        "facts",
        "forbidden",
        "language",
        "handoff",
        "cited",
    ]
    assert "'refund' or 'credit'" in failures[2]


def test_a_reply_that_meets_its_expectations_has_no_failures() -> None:
    expect = Expect.model_validate(
        {"topic": "billing", "actions": [{"name": "invoice_status", "arguments": {"invoice_id": "inv-1"}}]}
    )
    assert check_turn(expect.model_copy(update={"facts": ["invoice inv-1 is paid"], "handoff": False}), result()) == []
    handed = result(handoff={"queue": "billing", "reason": "human_requested"})
    assert check_turn(Expect(handoff="billing"), handed) == []
    refused = check_turn(Expect(handoff=False), handed)
    assert refused == ["handoff: expected none, got one to 'billing' (human_requested)"]


def test_a_malformed_suite_reports_each_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "agent: x\ncases:\n  - id: Bad Id\n    turns: []\n  - id: ok\n    channel: fax\n    turns: [{user: hi}]\n"
    )
    with pytest.raises(SuiteInvalid) as caught:
        load_suite(path)
    text = "\n".join(caught.value.problems)
    assert "bad.yaml:3: `cases.0.id`" in text
    assert "bad.yaml:4: `cases.0.turns`" in text
    assert "bad.yaml:6: `cases.1.channel`" in text


def test_a_suite_runs_through_the_runtime_and_is_stored(
    runtime: Runtime, _shared_kb: tuple[Settings, Database, KnowledgeBase], tmp_path: Path
) -> None:
    db = _shared_kb[1]
    path = tmp_path / "suite.yaml"
    path.write_text(SUITE)
    run = run_suite(runtime, load_suite(path), suite_name=str(path))
    outcome = {r.id: r for r in run.results}
    assert outcome["invoice-status"].passed, outcome["invoice-status"].failures
    assert outcome["asks-then-opens-a-case"].passed, outcome["asks-then-opens-a-case"].failures
    wrong = outcome["wrong-expectation"]
    assert not wrong.passed
    assert wrong.failures == [
        "turn 1: facts: the reply does not say 'refunded'",
        "turn 1: language: expected de, got en",
    ]
    assert run.passed == 2 and run.to_json()["pass_rate"] == round(2 / 3, 4)
    store_run(db, run)
    stored = load_run(db, run.run_id)
    assert (stored["cases"], stored["passed"], stored["agent"]) == (3, 2, "help-desk")
    assert stored["results"][1]["failures"] == wrong.failures
    # The cases' conversations are the run's, not customers': kept for the run's drill-down, left out of listings.
    held = {r.conversation_id for r in run.results}
    assert None not in held
    listed = {
        row.id for row in transcripts.search(db, ConversationFilters(agent="help-desk"), limit=1000, offset=0).rows
    }
    assert not held & listed
    assert all(transcripts.conversation_record(db, c).agent == "help-desk" for c in held if c)


def test_the_four_hero_agents_each_ship_a_suite() -> None:
    found = shipped_suites()
    assert sorted(s["agent"] for s in found) == ["concierge", "sdr", "seller_assistant", "service"]
    assert all(Path(s["path"]).stem == s["agent"] for s in found)


def test_repeated_cases_report_pass_hat_k_and_their_metrics_are_stored(
    runtime: Runtime, _shared_kb: tuple[Settings, Database, KnowledgeBase], tmp_path: Path
) -> None:
    path = tmp_path / "suite.yaml"
    path.write_text(SUITE)
    run = run_suite(runtime, load_suite(path), suite_name=str(path), repeat=2)
    assert [(r.id, r.trial) for r in run.results[:2]] == [("invoice-status", 1), ("invoice-status", 2)]
    body = run.to_json()
    assert (body["cases"], body["trials"], body["passed"]) == (3, 2, 2)
    assert body["pass_hat_k"] == {"1": round(2 / 3, 4), "2": round(2 / 3, 4)}
    assert body["metrics"]["language_match"]["value"] == 0.0  # only `wrong-expectation` expects one: de
    assert body["metrics"]["fact_recall"]["value"] == round(2 / 3, 4)
    invoice = body["results"][0]
    assert invoice["metrics"]["action_correctness"] == 1.0 and invoice["metrics"]["groundedness"] == 1.0
    assert invoice["turns"][0]["scores"]["grounded"][1] >= 1  # the reply states the invoice's status
    store_run(_shared_kb[1], run)
    stored = load_run(_shared_kb[1], run.run_id)
    assert (stored["trials"], stored["pass_hat_k"], stored["metrics"]) == (2, body["pass_hat_k"], body["metrics"])
