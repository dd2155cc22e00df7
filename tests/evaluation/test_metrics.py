"""Metrics on hand-made replies whose right answers are known: each figure, and the run's summary of them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from cadre.agents.phrases import phrase
from cadre.agents.runtime import TurnResult
from cadre.evaluation.metrics import (
    METHODS,
    answer_relevancy,
    bootstrap_interval,
    case_metrics,
    groundedness_counts,
    pass_hat_k,
    percentile,
    run_metrics,
    score_turn,
)
from cadre.evaluation.suites import Expect

PRICE = "The Starter plan costs 12 dollars per seat each month."
GROUNDED = "The Starter plan costs 12 dollars per seat."
INVENTED = "The Enterprise plan includes unlimited storage forever."


def result(**fields: object) -> TurnResult:
    base: dict[str, object] = {
        "conversation_id": "c",
        "turn_id": "t",
        "reply": f"{GROUNDED} {INVENTED}",
        "language": "en",
        "topic": "billing",
        "actions": [{"name": "invoice_status", "arguments": {"invoice_id": "INV-1"}, "ok": True}],
        "citations": [],
        "handoff": None,
        "guardrails": [],
        "latency_ms": 10.0,
        "tokens": {"input": 100, "output": 20},
        "cost_usd": 0.001,
    }
    return TurnResult(**{**base, **fields})  # type: ignore[arg-type]


class TableEmbedder:
    """Vectors looked up by text: the similarities a test needs, chosen exactly."""

    name = "table"
    dimensions = 2

    def __init__(self, table: dict[str, Sequence[float]]) -> None:
        self.table = {text: np.asarray(v, dtype=np.float32) for text, v in table.items()}

    def embed_query(self, text: str) -> np.ndarray:
        return self.table[text]

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self.table[t] for t in texts])


MESSAGE = "Was invoice INV-1 paid?"
ANSWER = "The invoice INV-1 was paid on 2 November."
NON_ANSWER = (0.6, 0.8)  # cosine 0.6 with the message
EMBEDDER = TableEmbedder(
    {
        MESSAGE: (1.0, 0.0),
        ANSWER: (0.8, 0.6),  # cosine 0.8: half way from a non-answer (0.6) to the message itself (1.0)
        **{phrase(key, "en"): NON_ANSWER for key in ("not_found", "handoff", "clarify")},
    }
)


def score(expect: Expect, reply: TurnResult, sources: Sequence[str] = ()) -> dict[str, object]:
    return score_turn(expect, reply, message=MESSAGE, sources=sources, embedder=None)


def test_groundedness_is_the_share_of_factual_sentences_the_sources_support() -> None:
    assert groundedness_counts(f"{GROUNDED} {INVENTED}", [PRICE], None) == [1, 2]
    framed = f"{phrase('found_in', 'en', title='Plans and prices')}\n\n{GROUNDED} {INVENTED} Anything else?"
    assert groundedness_counts(framed, [PRICE], None) == [1, 2]  # neither the framing nor a question counts
    scored = score(Expect(), result(), [PRICE])
    assert case_metrics(True, [scored])["groundedness"] == 0.5
    assert groundedness_counts(f"{GROUNDED} {INVENTED}", [], None) == [0, 2]


def test_a_handed_off_turn_is_not_scored_for_groundedness() -> None:
    handed = score(Expect(), result(handoff={"queue": "billing", "reason": "human_requested"}), [PRICE])
    assert handed["grounded"] == [0, 0]
    assert case_metrics(True, [handed])["groundedness"] is None


def test_relevancy_is_rescaled_between_a_non_answer_and_the_message_itself() -> None:
    assert answer_relevancy(MESSAGE, ANSWER, "en", EMBEDDER) == pytest.approx(0.5)
    assert answer_relevancy(MESSAGE, f"{ANSWER} [1]", "en", EMBEDDER) == pytest.approx(0.5)


def test_a_clarifying_question_or_a_refusal_is_not_relevant() -> None:
    assert answer_relevancy(MESSAGE, "Which invoice do you mean? Could you give me its number?", "en", EMBEDDER) == 0.0
    assert answer_relevancy(MESSAGE, phrase("not_found", "en"), "en", EMBEDDER) == 0.0
    assert answer_relevancy(MESSAGE, phrase("handoff", "en"), "en", EMBEDDER) == 0.0


def test_turns_expecting_a_handoff_are_not_scored_for_relevancy() -> None:
    scored = score_turn(Expect(handoff=True), result(reply=ANSWER), message=MESSAGE, sources=[], embedder=EMBEDDER)
    assert scored["relevancy"] is None
    answered = score_turn(Expect(), result(reply=ANSWER), message=MESSAGE, sources=[], embedder=EMBEDDER)
    assert answered["relevancy"] == pytest.approx(0.5)


def test_each_expectation_is_counted_got_of_expected() -> None:
    expect = Expect.model_validate(
        {
            "topic": "billing",
            "actions": [
                {"name": "invoice_status", "arguments": {"invoice_id": "inv-1"}},
                {"name": "refund", "arguments": {"invoice_id": "*"}},
            ],
            "facts": ["starter plan", ["12 dollars", "twelve dollars"], "refunded"],
            "forbidden": ["enterprise", "discount"],
            "language": "de",
            "handoff": False,
        }
    )
    scored = score(expect, result(), [PRICE])
    assert {k: scored[k] for k in ("topic", "actions", "facts", "forbidden", "language", "handoff")} == {
        "topic": [1, 1],
        "actions": [1, 2],
        "facts": [2, 3],
        "forbidden": [1, 2],
        "language": [0, 1],
        "handoff": [1, 1],
    }
    figures = case_metrics(False, [scored])
    assert figures == {
        "task_success": 0.0,
        "topic_accuracy": 1.0,
        "action_correctness": 0.5,
        "fact_recall": 0.6667,
        "groundedness": 0.5,
        "language_match": 0.0,
        "handoff_correctness": 1.0,
        "forbidden_violations": 1,
        "answer_relevancy": None,
    }


def test_an_action_where_none_was_expected_is_incorrect_and_unexpected_metrics_are_none() -> None:
    scored = score(Expect(no_actions=True), result())
    figures = case_metrics(True, [scored])
    assert figures["action_correctness"] == 0.0
    assert figures["topic_accuracy"] is None and figures["fact_recall"] is None
    assert case_metrics(True, [score(Expect(no_actions=True), result(actions=[]))])["action_correctness"] == 1.0


def test_a_case_sums_its_turns_before_dividing() -> None:
    one = score(Expect(facts=["starter plan"]), result())
    two = score(Expect(facts=["refunded", "credited", "12 dollars"]), result())
    assert case_metrics(True, [one, two])["fact_recall"] == 0.5  # 2 of 4, not the mean of 1.0 and 0.33


def test_a_run_averages_cases_and_takes_latency_percentiles_over_turns() -> None:
    fast = [score(Expect(topic="billing"), result(latency_ms=ms)) for ms in (10.0, 20.0, 30.0)]
    slow = [score(Expect(topic="account", forbidden=["enterprise"]), result(latency_ms=400.0))]
    cases = [
        {"id": "a", "passed": True, "turns": [{"scores": s} for s in fast], "metrics": case_metrics(True, fast)},
        {"id": "b", "passed": False, "turns": [{"scores": s} for s in slow], "metrics": case_metrics(False, slow)},
    ]
    figures = run_metrics(cases)
    assert figures["task_success"]["value"] == 0.5
    assert figures["topic_accuracy"]["value"] == 0.5
    assert figures["fact_recall"]["value"] is None
    assert figures["forbidden_violations"]["value"] == 0.5 and figures["forbidden_violations"]["total"] == 1
    assert (figures["latency_ms"]["p50"], figures["latency_ms"]["p95"]) == (20.0, 400.0)
    assert (figures["tokens"]["input"], figures["tokens"]["output"]) == (400, 80)
    assert figures["cost_usd"]["value"] == pytest.approx(0.004)
    assert all(figure["method"] == METHODS[name] for name, figure in figures.items())
    assert "sentence-passage support (offline)" in figures["groundedness"]["method"]
    assert "calibrated embedding similarity (offline)" in figures["answer_relevancy"]["method"]


def test_percentiles_are_measured_values() -> None:
    assert percentile([40.0, 10.0, 30.0, 20.0], 50) == 20.0
    assert percentile([40.0, 10.0, 30.0, 20.0], 95) == 40.0
    assert percentile([], 50) is None


def test_pass_hat_k_is_the_chance_that_k_trials_all_succeed() -> None:
    trials = {"always": [True] * 3, "mostly": [True, True, False], "never": [False] * 3}
    assert pass_hat_k(trials, 3) == {"1": 0.5556, "2": 0.4444, "3": 0.3333}
    assert pass_hat_k({"once": [True]}, 1) == {"1": 1.0}


def test_the_bootstrap_interval_spans_zero_for_a_one_case_wobble() -> None:
    low, high = bootstrap_interval([1.0] + [0.0] * 19)
    assert low <= 0 <= high
    assert bootstrap_interval([0.0] * 10) == (0.0, 0.0)
    assert bootstrap_interval([1.0] * 12 + [0.0] * 8)[0] > 0
    assert bootstrap_interval([1.0] + [0.0] * 19) == bootstrap_interval([1.0] + [0.0] * 19)  # seeded


def test_a_run_stored_before_metrics_still_reports_its_task_success() -> None:
    old = [{"id": "a", "passed": True, "turns": []}, {"id": "b", "passed": False, "turns": []}]
    figures = run_metrics(old)
    assert figures["task_success"]["value"] == 0.5 and figures["groundedness"]["value"] is None
