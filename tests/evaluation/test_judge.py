"""The LLM judge on a scripted OpenAI-compatible server: rubric verdicts become the two judged metrics, a malformed
verdict is asked for once more and then recorded as unjudged, and the output names the judge."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from cadre.agents.runtime import TurnResult
from cadre.engines.openai_model import Endpoint
from cadre.engines.pricing import Price, PriceTable
from cadre.evaluation.judge import VERDICT_SCHEMA, LLMJudge, OpenAIJudgeModel, judge_from_settings
from cadre.evaluation.metrics import run_metrics
from cadre.evaluation.suites import Expect
from cadre.settings import Settings
from cadre.testing.fake_openai import Fail, FakeOpenAIServer, Reply, closed_port_url

MESSAGE = "How much is the Starter plan?"
SOURCES = ["The Starter plan costs 12 dollars per seat each month."]
OFFLINE = {"grounded": [2, 2], "relevancy": 0.9, "latency_ms": 5.0}


def verdict(supported: list[bool], relevancy: int) -> Reply:
    claims = [{"claim": f"claim {n}", "supported": s} for n, s in enumerate(supported)]
    return Reply(json.dumps({"claims": claims, "relevancy": relevancy, "reason": "it answers the price"}))


def result(**fields: Any) -> TurnResult:
    base: dict[str, Any] = {
        "conversation_id": "c",
        "turn_id": "t",
        "reply": "The Starter plan costs 12 dollars per seat. It includes unlimited storage.",
        "language": "en",
        "topic": "billing",
        "actions": [],
        "citations": [{"doc_id": "d"}],
        "handoff": None,
        "guardrails": [],
        "latency_ms": 5.0,
        "tokens": {"input": 0, "output": 0},
        "cost_usd": 0.0,
        "sources": SOURCES,
    }
    return TurnResult(**{**base, **fields})


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


# USD per 1M input and output tokens: a scripted reply's 10 in and 5 out cost 0.00002 + 0.00002.
PRICES = PriceTable({"judge-model": Price(2.0, 4.0)})


def judge_on(base_url: str) -> LLMJudge:
    endpoint = Endpoint(base_url, "judge-model", timeout_s=5.0, max_retries=0)
    return LLMJudge(OpenAIJudgeModel([endpoint], prices=PRICES))


def test_a_verdict_scores_claims_supported_and_rescaled_relevancy(server: FakeOpenAIServer) -> None:
    server.script(verdict([True, False], relevancy=4))
    scores = judge_on(server.base_url).score(dict(OFFLINE), Expect(), result(), message=MESSAGE)
    assert scores["grounded"] == [1, 2]
    assert scores["relevancy"] == 0.75
    assert scores["judge"] == "llm-judge:judge-model" and "unjudged" not in scores
    assert scores["latency_ms"] == 5.0  # what the judge does not judge is kept
    (asked,) = server.requests
    assert asked.body["temperature"] == 0
    assert asked.body["response_format"]["json_schema"]["schema"] == VERDICT_SCHEMA
    shown = json.loads(asked.messages[-1]["content"])
    assert shown == {"message": MESSAGE, "reply": result().reply, "sources": SOURCES}


def test_a_malformed_verdict_is_asked_for_once_more(server: FakeOpenAIServer) -> None:
    server.script(Reply('{"claims": [{"claim": "x", "supported": tr'), verdict([True], relevancy=5))
    scores = judge_on(server.base_url).score(dict(OFFLINE), Expect(), result(), message=MESSAGE)
    assert (scores["grounded"], scores["relevancy"]) == ([1, 1], 1.0)
    assert len(server.requests) == 2
    # Both calls are paid for, the one that did not parse too.
    assert scores["judge_tokens"] == {"input": 20, "output": 10}
    assert (scores["judge_cost_usd"], scores["judge_priced"]) == (pytest.approx(0.00008), True)


def test_a_judge_model_missing_from_the_price_table_or_a_server_without_usage_is_unpriced(
    server: FakeOpenAIServer,
) -> None:
    unpriced = LLMJudge(OpenAIJudgeModel([Endpoint(server.base_url, "other-model", timeout_s=5.0, max_retries=0)]))
    server.script(verdict([True], relevancy=5))
    scores = unpriced.score(dict(OFFLINE), Expect(), result(), message=MESSAGE)
    assert (scores["judge_tokens"], scores["judge_cost_usd"], scores["judge_priced"]) == (
        {"input": 10, "output": 5},
        0.0,
        False,
    )
    silent = verdict([True], relevancy=5)
    server.script(Reply(silent.text, send_usage=False))
    scores = judge_on(server.base_url).score(dict(OFFLINE), Expect(), result(), message=MESSAGE)
    assert (scores["judge_tokens"], scores["judge_priced"]) == ({"input": 0, "output": 0}, False)


def test_two_malformed_verdicts_leave_the_turn_unjudged_not_the_run_crashed(server: FakeOpenAIServer) -> None:
    server.script(Reply("Sure! The reply looks grounded to me."), Reply('{"claims": [], "relevancy": 9, "reason": ""}'))
    scores = judge_on(server.base_url).score(dict(OFFLINE), Expect(), result(), message=MESSAGE)
    assert scores["grounded"] == [0, 0] and scores["relevancy"] is None  # no offline figure passed off as judged
    assert "must be JSON fitting the verdict schema" in scores["unjudged"]
    assert len(server.requests) == 2


def test_a_judge_that_does_not_answer_leaves_the_turn_unjudged() -> None:
    scores = judge_on(closed_port_url()).score(dict(OFFLINE), Expect(), result(), message=MESSAGE)
    assert scores["unjudged"].startswith("the judge did not answer")


def test_a_verdict_in_a_code_fence_from_a_server_without_response_format(server: FakeOpenAIServer) -> None:
    fenced = "```json\n" + verdict([True], relevancy=3).text + "\n```"
    server.script(Fail(400, "Unrecognized request argument supplied: response_format"), Reply(fenced))
    scores = judge_on(server.base_url).score(dict(OFFLINE), Expect(), result(), message=MESSAGE)
    assert (scores["grounded"], scores["relevancy"]) == ([1, 1], 0.5)
    assert "response_format" not in server.requests[-1].body and server.requests[-1].body["temperature"] == 0


def test_turns_the_offline_methods_skip_are_skipped_by_the_judge_too(server: FakeOpenAIServer) -> None:
    handed_off = result(handoff={"queue": "support", "reason": "human_requested"})
    judge = judge_on(server.base_url)
    assert judge.score(dict(OFFLINE), Expect(handoff=True), handed_off, message=MESSAGE) == OFFLINE
    server.script(verdict([True], relevancy=2))
    scores = judge.score(dict(OFFLINE), Expect(handoff=False), handed_off, message=MESSAGE)
    assert scores["grounded"] == OFFLINE["grounded"] and scores["relevancy"] == 0.25  # a hand-off is not grounded
    assert len(server.requests) == 1


def test_the_run_names_the_judge_as_the_method_and_counts_unjudged_turns(server: FakeOpenAIServer) -> None:
    judge = judge_on(server.base_url)
    server.script(verdict([True, True], relevancy=5), Reply("no"), Reply("still no"))
    base = {
        "topic": [0, 0],
        "actions": [0, 0],
        "facts": [0, 0],
        "forbidden": [0, 0],
        "language": [0, 0],
        "handoff": [0, 0],
        "latency_ms": 5.0,
        "tokens": {"input": 0, "output": 0},
        "cost_usd": 0.0,
    }
    turns = [judge.score({**base, **OFFLINE}, Expect(), result(), message=MESSAGE) for _ in range(2)]
    cases = [
        {"id": f"c{n}", "passed": True, "turns": [{"scores": t}], "metrics": _case(t)} for n, t in enumerate(turns)
    ]
    figures = run_metrics(cases)
    assert figures["groundedness"]["method"].startswith("llm-judge:judge-model: ")
    assert figures["answer_relevancy"]["method"].startswith("llm-judge:judge-model: ")
    assert figures["groundedness"]["unjudged"] == 1
    assert (figures["groundedness"]["value"], figures["answer_relevancy"]["value"]) == (1.0, 1.0)
    assert "llm-judge" not in figures["fact_recall"]["method"]
    # Three calls: one verdict, then two that did not parse.
    assert figures["judge_cost_usd"]["tokens"] == {"input": 30, "output": 15}
    assert (figures["judge_cost_usd"]["value"], figures["judge_cost_usd"]["unpriced"]) == (0.00012, 0)
    assert "judge_cost_usd" not in run_metrics([{"id": "c", "passed": True, "turns": [{"scores": base}]}])


def test_the_llm_judge_needs_an_llm(tmp_path: Any) -> None:
    from cadre.errors import ConfigError

    with pytest.raises(ConfigError, match="`--judge llm` needs an LLM"):
        judge_from_settings(Settings(home=tmp_path, llm_base_url=None))
    judge = judge_from_settings(Settings(home=tmp_path, llm_base_url="http://127.0.0.1:9/v1", llm_model="m"))
    assert judge.method == "llm-judge:m"


def _case(scores: dict[str, Any]) -> dict[str, Any]:
    from cadre.evaluation.metrics import case_metrics

    return case_metrics(True, [scores])


def test_eval_run_with_the_llm_judge_names_it_in_its_output(
    runtime: Any, _shared_kb: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, server: FakeOpenAIServer
) -> None:
    from cadre.cli import _context, app
    from tests.evaluation.test_suites import SUITE

    monkeypatch.setenv("CADRE_HOME", str(_shared_kb[0].home))
    monkeypatch.setenv("CADRE_ACTION_MODULES", "tests.agents.help_desk")
    monkeypatch.setenv("CADRE_LLM_BASE_URL", server.base_url)
    monkeypatch.setenv("CADRE_LLM_MODEL", "judge-model")
    server.script(Reply("not a verdict"), Reply("still not a verdict"))  # the first judged turn stays unjudged
    server.script(*[verdict([True], relevancy=5) for _ in range(10)])
    suite = tmp_path / "suite.yaml"
    suite.write_text(SUITE)
    _context.reset()
    try:
        ran = CliRunner().invoke(app, ["eval", "run", str(suite), "--judge", "llm", "--workers", "1", "--json"])
    finally:
        _context.reset()
    assert ran.exit_code == 0, ran.stderr
    body = json.loads(ran.stdout)
    assert body["metrics"]["groundedness"]["method"].startswith("llm-judge:judge-model: ")
    assert body["metrics"]["groundedness"]["unjudged"] == 1
    judged = [t["scores"] for r in body["results"] for t in r["turns"]]
    assert all(t["judge"] == "llm-judge:judge-model" for t in judged)
    assert sum("unjudged" in t for t in judged) == 1
    calls = len(server.requests)
    assert body["metrics"]["judge_cost_usd"]["tokens"] == {"input": 10 * calls, "output": 5 * calls}
    # "judge-model" is in no price table: its cost is counted as unknown, turn by turn.
    assert body["metrics"]["judge_cost_usd"]["unpriced"] == len(judged)


def test_eval_run_with_the_llm_judge_and_no_llm_exits_2(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from cadre.cli import _context, app
    from tests.evaluation.test_suites import SUITE

    monkeypatch.setenv("CADRE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CADRE_LLM_BASE_URL", raising=False)
    suite = tmp_path / "suite.yaml"
    suite.write_text(SUITE)
    _context.reset()
    try:
        ran = CliRunner().invoke(app, ["eval", "run", str(suite), "--judge", "llm", "--json"])
    finally:
        _context.reset()
    assert ran.exit_code == 2
    assert "`--judge llm` needs an LLM: `CADRE_LLM_BASE_URL` must be set" in ran.stderr and ran.stdout == ""
