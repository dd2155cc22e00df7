"""The LLM judge: a model scores each reply's groundedness and answer relevancy with a rubric, as JSON.

Offline, `metrics` measures both by sentence-passage support and calibrated embedding similarity. With an LLM
configured, `cadre eval run --judge llm` asks it instead: the customer's message, the reply and what the reply may
rest on (its cited passages and action results) go out; a verdict shaped by `VERDICT_SCHEMA` comes back at
temperature 0. A verdict that does not parse is asked for once more, then the turn is recorded as unjudged: a
long run is never lost to one bad answer. Every call's tokens and cost (the engines' price table) are recorded
with the turn it judged, so a run reports what judging it cost beside what the agent cost.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cadre.agents.runtime import TurnResult
from cadre.engines.config import endpoints_from_settings
from cadre.engines.messages import Usage
from cadre.engines.model import ModelUnavailable
from cadre.engines.openai_model import Endpoint
from cadre.engines.pricing import PriceTable
from cadre.errors import CadreError, ConfigError
from cadre.evaluation.suites import Expect
from cadre.settings import Settings

ATTEMPTS = 2  # a verdict that does not parse is asked for once more
SOURCE_CHARS = 4000  # each source as the judge sees it; an action's full result can be a long JSON document
SOURCES_CHARS = 16000  # all sources together: the judge's context stays bounded whatever the agent retrieved

RUBRIC = """\
You grade one reply of a company's customer-facing agent. You get JSON with the customer's `message`, the agent's \
`reply` and the `sources` the reply may rest on (help-centre passages it cited and results of actions it ran, \
some as JSON). Languages may differ between them.

1. claims: list every factual statement the reply makes (about the company, its products, prices, policies, \
steps, or the customer's account, orders, invoices, cases). Leave out greetings, offers to help, questions back \
to the customer and the agent's framing ("here is what our help centre says"). For each, `supported` is true \
only if the sources state it or it follows directly from them (a paraphrase or a translation counts); anything \
the sources do not state, however plausible, is false.
2. relevancy: how directly the reply answers the message, from 1 to 5.
   5 answers it completely; 4 answers it with a minor gap; 3 answers part of it; 2 is on the topic without \
answering; 1 does not answer (a refusal, a hand-off, only a question back, or off the topic).
3. reason: one sentence on the relevancy score.

Answer with one JSON object only, matching this JSON Schema:
"""


class Claim(BaseModel):
    model_config = ConfigDict(extra="forbid")

    claim: str
    supported: bool


class Verdict(BaseModel):
    """What the judge must answer; anything else is a parse failure."""

    model_config = ConfigDict(extra="forbid")

    claims: list[Claim]
    relevancy: int = Field(ge=1, le=5)
    reason: str


VERDICT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"claim": {"type": "string"}, "supported": {"type": "boolean"}},
                "required": ["claim", "supported"],
                "additionalProperties": False,
            },
        },
        "relevancy": {"type": "integer", "minimum": 1, "maximum": 5},
        "reason": {"type": "string"},
    },
    "required": ["claims", "relevancy", "reason"],
    "additionalProperties": False,
}


class Judge(Protocol):
    """Re-scores one turn's groundedness and relevancy; `method` names how, in every figure it touches."""

    method: str

    def score(self, scores: dict[str, Any], expect: Expect, result: TurnResult, *, message: str) -> dict[str, Any]:
        """`scores` (as `metrics.score_turn` made them) with the judged figures in place of the offline ones."""
        ...


@dataclass(frozen=True)
class JudgeAnswer:
    """What the judge's model said, and what saying it cost."""

    text: str
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    priced: bool = True  # False: the model is missing from the price table, so `cost_usd` is unknown, not zero


class JudgeModel(Protocol):
    """A model that answers a conversation with JSON text fitting `schema`, deterministically where it can."""

    name: str

    def complete_json(self, messages: Sequence[dict[str, str]], *, schema: dict[str, Any]) -> JudgeAnswer: ...


class OpenAIJudgeModel:
    """The configured OpenAI-compatible endpoints (primary, then fallback) asked at temperature 0 for JSON fitting
    the schema. A server that refuses `response_format` is asked again without it: the rubric carries the schema.

    Thread-safe: one client per endpoint, shared by concurrent cases.
    """

    def __init__(self, endpoints: Sequence[Endpoint], *, prices: PriceTable | None = None) -> None:
        if not endpoints:
            raise ConfigError("the LLM judge needs at least one endpoint, got none")
        self.endpoints = tuple(endpoints)
        self.name = self.endpoints[0].model
        self._prices = prices if prices is not None else PriceTable.load()
        self._clients = [
            openai.OpenAI(
                base_url=e.base_url, api_key=e.api_key or "EMPTY", timeout=e.timeout_s, max_retries=e.max_retries
            )
            for e in self.endpoints
        ]
        self._plain: set[str] = set()  # base URLs that answered 400 to `response_format`

    def complete_json(self, messages: Sequence[dict[str, str]], *, schema: dict[str, Any]) -> JudgeAnswer:
        failures: list[str] = []
        for endpoint, client in zip(self.endpoints, self._clients, strict=True):
            try:
                completion = self._ask(endpoint, client, messages, schema)
            except openai.APIError as exc:
                failures.append(f"{endpoint.label}: {type(exc).__name__}: {exc.message}")
                continue
            if completion.usage is None:  # a server that reports no token counts: the cost is unknown, not 0
                return JudgeAnswer(_content(completion), priced=False)
            used = Usage(completion.usage.prompt_tokens, completion.usage.completion_tokens)
            cost = self._prices.cost_served(completion.model or endpoint.model, endpoint.model, used)
            return JudgeAnswer(_content(completion), used, cost.usd, cost.priced)
        raise ModelUnavailable("no LLM endpoint answered the judge: " + "; ".join(failures), attempts=len(failures))

    def _ask(
        self, endpoint: Endpoint, client: openai.OpenAI, messages: Sequence[dict[str, str]], schema: dict[str, Any]
    ) -> ChatCompletion:
        wire: Any = list(messages)
        if endpoint.base_url not in self._plain:
            shape: Any = {"type": "json_schema", "json_schema": {"name": "verdict", "schema": schema, "strict": True}}
            try:
                return client.chat.completions.create(
                    model=endpoint.model, messages=wire, temperature=0, response_format=shape
                )
            except openai.BadRequestError as exc:
                if "response_format" not in exc.message:
                    raise
                self._plain.add(endpoint.base_url)
        return client.chat.completions.create(model=endpoint.model, messages=wire, temperature=0)

    def close(self) -> None:
        for client in self._clients:
            client.close()


@dataclass(frozen=True)
class Judgement:
    """One reply judged, or why it could not be, and what the judge's calls for it cost."""

    verdict: Verdict | None
    error: str | None = None
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    priced: bool = True


class LLMJudge:
    """Scores groundedness as the share of the reply's claims the sources state, relevancy as the rubric's 1-5
    rescaled to 0-1, on the same turns the offline methods score."""

    def __init__(self, model: JudgeModel) -> None:
        self.model = model
        self.method = f"llm-judge:{model.name}"

    def judge(self, message: str, reply: str, sources: Sequence[str]) -> Judgement:
        asked = [
            {"role": "system", "content": RUBRIC + json.dumps(VERDICT_SCHEMA)},
            {"role": "user", "content": json.dumps(_case_for_judge(message, reply, sources), ensure_ascii=False)},
        ]
        problem = ""
        spent = Judgement(None)  # what the calls so far cost, whatever they answered
        for _ in range(ATTEMPTS):
            try:
                answer = self.model.complete_json(asked, schema=VERDICT_SCHEMA)
            except CadreError as exc:  # every endpoint failed: the run goes on, this turn unjudged
                return replace(spent, error=f"the judge did not answer: {exc.one_line()}")
            spent = replace(
                spent,
                usage=spent.usage + answer.usage,
                cost_usd=spent.cost_usd + answer.cost_usd,
                priced=spent.priced and answer.priced,
            )
            try:
                return replace(spent, verdict=Verdict.model_validate_json(_unfenced(answer.text)))
            except ValidationError as exc:
                problem = (
                    f"the judge's answer must be JSON fitting the verdict schema, got {answer.text[:80]!r} "
                    f"({exc.error_count()} error(s))"
                )
        return replace(spent, error=problem)

    def score(self, scores: dict[str, Any], expect: Expect, result: TurnResult, *, message: str) -> dict[str, Any]:
        grounds, relates = result.handoff is None, not expect.handoff
        if not grounds and not relates:
            return scores
        judged = self.judge(message, result.reply, result.sources)
        found = {
            **scores,
            "judge": self.method,
            "judge_tokens": {"input": judged.usage.input_tokens, "output": judged.usage.output_tokens},
            "judge_cost_usd": round(judged.cost_usd, 8),
            "judge_priced": judged.priced,
        }
        if judged.verdict is None:
            found["unjudged"] = judged.error
            if grounds:
                found["grounded"] = [0, 0]
            if relates:
                found["relevancy"] = None
            return found
        verdict = judged.verdict
        if grounds:
            found["grounded"] = [sum(c.supported for c in verdict.claims), len(verdict.claims)]
        if relates:
            found["relevancy"] = round((verdict.relevancy - 1) / 4, 4)
        found["judge_reason"] = verdict.reason
        return found


def judge_from_settings(settings: Settings) -> LLMJudge:
    """The LLM judge on the configured endpoints; a clear error when no LLM is configured."""
    endpoints = endpoints_from_settings(settings)
    if not endpoints:
        raise ConfigError(
            "`--judge llm` needs an LLM: `CADRE_LLM_BASE_URL` must be set, got none",
            hint="set `CADRE_LLM_BASE_URL` and `CADRE_LLM_MODEL`, or use `--judge offline`",
        )
    return LLMJudge(OpenAIJudgeModel(endpoints, prices=PriceTable.load(settings.llm_prices_path)))


def _content(completion: ChatCompletion) -> str:
    return (completion.choices[0].message.content or "") if completion.choices else ""


def _case_for_judge(message: str, reply: str, sources: Sequence[str]) -> dict[str, Any]:
    kept: list[str] = []
    room = SOURCES_CHARS
    for source in sources:
        if room <= 0:
            break
        kept.append(source[: min(SOURCE_CHARS, room)])
        room -= len(kept[-1])
    return {"message": message, "reply": reply, "sources": kept}


def _unfenced(answer: str) -> str:
    """The JSON inside a Markdown code fence, as models without `response_format` often wrap it."""
    text = answer.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text.strip()
