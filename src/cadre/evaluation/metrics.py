"""Metrics: each reply scored against its expectations, then per case and per run, every figure naming its method.

A turn is scored into counts (facts found of facts expected, sentences supported of sentences stating facts, …) so
that a case's figure is the ratio of its summed counts and a run's is the mean over cases: each case weighs the
same, which the paired bootstrap of `compare` relies on. A metric no case expects is `None`, never a flattering 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np

from cadre.agents.phrases import PHRASES, PhraseKey, phrase
from cadre.agents.runtime import TurnResult
from cadre.evaluation.checks import _action_matches, _handoff_failures, normalise
from cadre.evaluation.suites import Expect
from cadre.guardrails.grounding import check_grounding, claim_of, is_factual, sentences
from cadre.knowledge.embeddings import Embedder

METHODS: dict[str, str] = {
    "task_success": "every expectation of every turn holds (the suite's checks)",
    "topic_accuracy": "routed topic equals the expected topic, per turn that expects one",
    "action_correctness": (
        "expected action called with the expected arguments (text equal after case and width folding, "
        '"*" any value); a turn expecting no action counts 1 when none ran'
    ),
    "fact_recall": "expected facts found in the reply (folded substring; a list means any one of them)",
    "forbidden_violations": (
        "forbidden phrases found in the reply (count per case; the run's value is the share of cases with any)"
    ),
    "groundedness": (
        "sentence-passage support (offline): share of the reply's factual sentences that the cited passages or "
        "action results support by words and numbers, else by multilingual-e5 similarity >= 0.87 "
        "(cadre.guardrails.grounding, the live guardrail's check)"
    ),
    "answer_relevancy": (
        "calibrated embedding similarity (offline): multilingual-e5 cosine of the customer's message and the "
        "reply's factual sentences, rescaled so that the agent's own not-found, hand-off and clarifying phrases "
        "score 0 and identity scores 1; a reply stating nothing (a question back) scores 0; turns expecting a "
        "hand-off are not scored"
    ),
    "language_match": "reply language equals the expected language, per turn that expects one",
    "handoff_correctness": "hand-off happened (to the expected queue) or not, as the turn expects",
    "latency_ms": "wall time of each turn through the runtime; p50 and p95 over turns (nearest rank)",
    "tokens": "model tokens of every turn, input and output, summed",
    "cost_usd": "model cost of every turn, summed",
    "judge_cost_usd": "the LLM judge's calls (retries included), priced by the engines' price table, summed",
}
# With `--judge llm` the two judged metrics name the judge's model before how it was asked.
JUDGED_METHODS: dict[str, str] = {
    "groundedness": (
        "share of the reply's factual claims that the judge finds stated in the cited passages or action results "
        "(rubric, JSON verdict, temperature 0); handed-off turns are not scored"
    ),
    "answer_relevancy": (
        "the judge's 1-5 rubric score of how directly the reply answers the customer's message, rescaled to 0-1 "
        "(temperature 0); turns expecting a hand-off are not scored"
    ),
}
RATIOS = (
    "topic_accuracy",
    "action_correctness",
    "fact_recall",
    "groundedness",
    "language_match",
    "handoff_correctness",
)
_COUNTED = {
    "topic_accuracy": "topic",
    "action_correctness": "actions",
    "fact_recall": "facts",
    "groundedness": "grounded",
    "language_match": "language",
    "handoff_correctness": "handoff",
}
_PLACEHOLDER = re.compile(r"\\\{\w+\\\}")  # `{title}` as `re.escape` leaves it
# What the runtime says when it does not answer: a reply no closer to the message than these answers nothing.
NON_ANSWERS: tuple[PhraseKey, ...] = ("not_found", "handoff", "clarify")


def score_turn(
    expect: Expect,
    result: TurnResult,
    *,
    message: str,
    sources: Sequence[str],
    embedder: Embedder | None,
) -> dict[str, Any]:
    """One reply's counts `[got, expected]` per metric, its relevancy, latency, tokens and cost (JSON-ready)."""
    reply = normalise(result.reply)
    scores: dict[str, Any] = {
        "topic": [int(result.topic == expect.topic), 1] if expect.topic is not None else [0, 0],
        "actions": _action_counts(expect, result.actions),
        "facts": [
            sum(any(normalise(o) in reply for o in ([f] if isinstance(f, str) else f)) for f in expect.facts),
            len(expect.facts),
        ],
        "forbidden": [sum(normalise(p) in reply for p in expect.forbidden), len(expect.forbidden)],
        "language": [int(result.language == expect.language), 1] if expect.language is not None else [0, 0],
        "handoff": (
            [int(not _handoff_failures(expect.handoff, result.handoff)), 1] if expect.handoff is not None else [0, 0]
        ),
        "grounded": (
            groundedness_counts(result.reply, sources, embedder, language=result.language)
            if result.handoff is None
            else [0, 0]
        ),
        "relevancy": (
            answer_relevancy(message, result.reply, result.language, embedder)
            if embedder is not None and not expect.handoff
            else None
        ),
        "latency_ms": round(result.latency_ms, 1),
        "tokens": {"input": result.tokens.get("input", 0), "output": result.tokens.get("output", 0)},
        "cost_usd": result.cost_usd,
    }
    return scores


def groundedness_counts(
    reply: str, sources: Sequence[str], embedder: Embedder | None, *, language: str = "en"
) -> list[int]:
    """`[supported, factual]` sentences of `reply`: the live grounding guardrail's own check, so what is blocked
    in production and what is measured here agree. The runtime's own framing ("Here is what our help centre
    says in …:") is no claim about the company and is left out."""
    grounding = check_grounding(without_stock_phrases(reply, language), sources, embedder=embedder)
    return [grounding.supported, grounding.factual]


def without_stock_phrases(reply: str, language: str) -> str:
    """The reply less the runtime's fixed phrases in its language (placeholders such as a title match any text)."""
    return _stock_pattern(language).sub(" ", reply)


@cache
def _stock_pattern(language: str) -> re.Pattern[str]:
    templates = sorted({forms.get(language, forms["en"]) for forms in PHRASES.values()}, key=len, reverse=True)
    return re.compile("|".join(_PLACEHOLDER.sub(".+?", re.escape(t)) for t in templates))


def answer_relevancy(message: str, reply: str, language: str, embedder: Embedder) -> float:
    """How much closer the reply's statements are to the message than a non-answer is, from 0 to 1.

    Raw e5 cosines crowd into 0.8 to 0.9 whatever the texts, so the raw figure would call a refusal 0.83 relevant.
    The agent's own refusal, hand-off and clarification phrases in the reply's language set the floor for this
    message; a reply stating nothing (only questions or greetings) answers nothing and scores 0.
    """
    claims = [claim for claim in map(claim_of, sentences(without_stock_phrases(reply, language))) if is_factual(claim)]
    if not claims:
        return 0.0
    asked = embedder.embed_query(message)
    floor = max(float(embedder.embed_query(phrase(key, language)) @ asked) for key in NON_ANSWERS)
    similarity = float(embedder.embed_query(" ".join(claims)) @ asked)
    if floor >= 1.0:
        return 0.0
    return round(min(1.0, max(0.0, (similarity - floor) / (1.0 - floor))), 4)


def case_metrics(passed: bool, turns: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """One case's figures from its turns' scores: ratios of summed counts, `None` where nothing was expected."""
    scored = [t for t in turns if t]
    figures: dict[str, Any] = {"task_success": 1.0 if passed else 0.0}
    for metric in RATIOS:
        got = sum(t[_COUNTED[metric]][0] for t in scored)
        expected = sum(t[_COUNTED[metric]][1] for t in scored)
        figures[metric] = round(got / expected, 4) if expected else None
    figures["forbidden_violations"] = sum(t["forbidden"][0] for t in scored)
    relevancies = [t["relevancy"] for t in scored if t.get("relevancy") is not None]
    figures["answer_relevancy"] = round(sum(relevancies) / len(relevancies), 4) if relevancies else None
    return figures


def run_metrics(cases: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A run's figures, each `{"value", "method"}`, from its stored per-case results (one entry per trial)."""
    # Runs stored before metrics were recorded still have each case's verdict.
    per_case = [c.get("metrics") or {"task_success": float(bool(c.get("passed")))} for c in cases]
    turns = [t.get("scores") or {} for c in cases for t in c.get("turns", [])]
    turns = [t for t in turns if t]
    figures: dict[str, Any] = {
        "task_success": _figure(_mean(m.get("task_success") for m in per_case), "task_success"),
    }
    for metric in (*RATIOS, "answer_relevancy"):
        figures[metric] = _figure(_mean(m.get(metric) for m in per_case), metric)
    judges = sorted({str(t["judge"]) for t in turns if t.get("judge")})
    if judges:
        unjudged = sum(1 for t in turns if t.get("unjudged"))
        for metric, method in JUDGED_METHODS.items():
            figures[metric] = {**figures[metric], "method": f"{', '.join(judges)}: {method}", "unjudged": unjudged}
        judged = [t for t in turns if "judge_tokens" in t]  # runs stored before the judge's calls were counted lack it
        figures["judge_cost_usd"] = {
            **_figure(round(sum(float(t["judge_cost_usd"]) for t in judged), 6), "judge_cost_usd"),
            "tokens": {
                "input": sum(int(t["judge_tokens"]["input"]) for t in judged),
                "output": sum(int(t["judge_tokens"]["output"]) for t in judged),
            },
            "unpriced": sum(1 for t in judged if not t["judge_priced"]),
        }
    violating = [m["forbidden_violations"] > 0 for m in per_case if "forbidden_violations" in m]
    figures["forbidden_violations"] = {
        **_figure(_mean(float(v) for v in violating), "forbidden_violations"),
        "total": sum(m.get("forbidden_violations", 0) for m in per_case),
    }
    latencies = sorted(float(t["latency_ms"]) for t in turns)
    figures["latency_ms"] = {
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "method": METHODS["latency_ms"],
    }
    figures["tokens"] = {
        "input": sum(int(t["tokens"]["input"]) for t in turns),
        "output": sum(int(t["tokens"]["output"]) for t in turns),
        "method": METHODS["tokens"],
    }
    figures["cost_usd"] = _figure(round(sum(float(t["cost_usd"]) for t in turns), 6), "cost_usd")
    return figures


def pass_hat_k(successes: Mapping[str, Sequence[bool]], k_max: int) -> dict[str, float]:
    """pass^k for k = 1..k_max: per case C(c, k) / C(n, k) with c successes in n trials (the unbiased estimate
    of all k independent trials succeeding, as τ-bench reports it), averaged over cases."""
    figures: dict[str, float] = {}
    for k in range(1, k_max + 1):
        estimates = [math.comb(sum(t), k) / math.comb(len(t), k) for t in successes.values() if len(t) >= k]
        figures[str(k)] = round(sum(estimates) / len(estimates), 4) if estimates else 0.0
    return figures


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile: a value that was measured, never one interpolated between two turns."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return round(ordered[rank - 1], 1)


def bootstrap_interval(
    differences: Sequence[float], *, resamples: int = 2000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """The `level` percentile interval of the mean of `differences`, resampling cases with replacement."""
    if not differences:
        return (0.0, 0.0)
    values = np.asarray(differences, dtype=np.float64)
    picks = np.random.default_rng(seed).integers(0, len(values), size=(resamples, len(values)))
    means = values[picks].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return (round(float(low), 4), round(float(high), 4))


def _action_counts(expect: Expect, called: list[dict[str, Any]]) -> list[int]:
    if expect.no_actions:
        return [int(not called), 1]
    wanted = expect.actions or []
    return [sum(any(_action_matches(w, call) for call in called) for w in wanted), len(wanted)]


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 4) if present else None


def _figure(value: float | None, metric: str) -> dict[str, Any]:
    return {"value": value, "method": METHODS[metric]}
