"""The turn: a message in, a governed and grounded reply (or a hand-off) out, recorded.

input limits → injection scan → language → topic routing → retrieval (documents scanned for injected
instructions) → engine (actions through governance) → hand-off rules → reply in the customer's language.
The runtime orchestrates; routing, guarding, reasoning and recording are each someone else's job.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from opentelemetry.trace import Span, Tracer
from opentelemetry.util.types import AttributeValue

from cadre.agents._shield import PiiShield
from cadre.agents.actions import ActionContext, ActionOutcome, ActionRegistry
from cadre.agents.conversations import (
    ANONYMOUS,
    Conversation,
    ConversationStore,
    FinishedTurn,
    person_of,
    stage_of,
)
from cadre.agents.handoff import (
    HandoffCounters,
    HandoffDecision,
    Signals,
    asks_for_human,
    decide_handoff,
    handoff_summary,
)
from cadre.agents.models import AgentSpec, Channel
from cadre.agents.phrases import phrase
from cadre.agents.rollout import Rollout, StagePlan
from cadre.agents.routing import Route, TopicRouter
from cadre.agents.slots import extract_slots, without_values
from cadre.agents.specs import AgentVersions, DeployedAgent
from cadre.engines.base import ActionCall, EarlierResult, Engine, EngineReply, EngineTurn, Passage
from cadre.engines.model import ModelUnavailable
from cadre.errors import ConfigError, NotFound
from cadre.guardrails.grounding import check_grounding, claim_of, sentences
from cadre.guardrails.limits import check_input
from cadre.guardrails.policy import enforce_forbidden
from cadre.knowledge.embeddings import Embedder
from cadre.knowledge.language import detect_language_among
from cadre.knowledge.models import SearchHit
from cadre.knowledge.service import KnowledgeBase
from cadre.observability import tracing
from cadre.observability.events import Event, EventSink, Stage
from cadre.observability.trace_store import TURN_ID

if TYPE_CHECKING:
    from cadre.guardrails.injection import InjectionDetector, InputKind

logger = logging.getLogger(__name__)

PASSAGES_PER_COLLECTION = 3
HANDOFF_TOPIC_SCORE = 0.93  # cosine to a hand-off topic's closest example that counts as asking for a person
DOCUMENT_SCORE_CACHE = 20_000  # passages' injection scores kept per process (oldest dropped first)
UNSURE_ROUTE = 0.6  # routing confidence under which an acting topic without knowledge searches the agent's
# Each timed stage is a span of the turn's trace, named for what it does.
SPAN_NAMES = {
    "limits": "guardrail input_limits",
    "language": "detect_language",
    "injection": "guardrail injection",
    "routing": "route_topic",
    "retrieval": "retrieval",
    "document_injection": "guardrail document_injection",
    "engine": "reason",
    "grounding": "guardrail grounding",
    "scope": "guardrail scope",
    "policy": "guardrail policy",
    "handoff": "handoff",
}


class KillSwitchReader(Protocol):
    """Whether an agent is switched off (see `cadre.agents.killswitch.KillSwitch`)."""

    def is_killed(self, agent: str) -> bool: ...


class TurnScorer(Protocol):
    """Measures a sample of live turns like suite cases, after the reply is stored (see `LiveScorer`)."""

    def submit(self, turn: Event, *, message: str, reply: str, sources: list[str]) -> bool: ...

    def drain(self, timeout: float | None = None) -> None: ...


@dataclass(frozen=True)
class TurnRequest:
    agent: str
    message: str
    conversation_id: str | None = None
    principal: str = ANONYMOUS  # whom the turn acts for: a customer, a seller, …
    person_id: str | None = None  # the unified profile of that person, when a channel knows it
    channel: Channel = "api"
    version: int | None = None  # default: the latest deployed version
    on_text: Callable[[str], None] | None = None
    now: datetime | None = None  # the time actions see; default: the clock (suites and workflows pin it)
    engine: str | None = None  # run on this engine instead of the spec's (an LLM-backed run of an offline agent)
    shadow_of: str | None = None  # a shadow turn mirroring this live conversation: stored, never sent, acts on nothing
    evaluation: str | None = None  # the suite case this turn belongs to: measured by its run, not as live traffic


@dataclass
class TurnResult:
    conversation_id: str
    turn_id: str
    reply: str
    language: str
    topic: str | None
    actions: list[dict[str, Any]]
    citations: list[dict[str, Any]]
    handoff: dict[str, Any] | None
    guardrails: list[dict[str, str]]
    latency_ms: float
    tokens: dict[str, int]
    cost_usd: float
    outcome: str = "answered"
    engine: str = "offline"
    timings_ms: dict[str, float] = field(default_factory=dict)  # per pipeline stage, for benchmarks and traces
    # What the reply may rest on: the cited passages' text and each successful action's full result (the reply's
    # own fields cut results short). Suites measure groundedness against it; it is never sent to a customer.
    sources: list[str] = field(default_factory=list)
    fell_back: bool = False  # the configured model failed: a fallback endpoint or another engine answered

    def to_json(self) -> dict[str, Any]:
        return {
            "conversation_id": self.conversation_id,
            "turn_id": self.turn_id,
            "reply": self.reply,
            "language": self.language,
            "topic": self.topic,
            "actions": self.actions,
            "citations": self.citations,
            "handoff": self.handoff,
            "guardrails": self.guardrails,
            "latency_ms": self.latency_ms,
            "tokens": self.tokens,
            "cost_usd": self.cost_usd,
        }


@dataclass
class _Work:
    """What one turn accumulates on its way through the pipeline."""

    guardrails: list[dict[str, str]] = field(default_factory=list)
    calls: list[ActionCall] = field(default_factory=list)  # as run, with real arguments and results
    model_calls: list[ActionCall] = field(default_factory=list)  # as a model saw them: PII masked
    timings_ms: dict[str, float] = field(default_factory=dict)
    policy_blocked: bool = False
    fell_back: bool = False
    turn_id: str = ""

    @contextmanager
    def timed(
        self, stage: str, attributes: Mapping[str, AttributeValue] | None = None, *, traced: bool = True
    ) -> Iterator[Span]:
        """Time a pipeline stage; unless `traced` is False it is also a span of the turn's trace, so benchmarks'
        timings and the console's traces tell one story."""
        started = time.perf_counter()
        try:
            if not traced:
                yield tracing.current_span()
            else:
                with tracing.span(SPAN_NAMES.get(stage, stage), attributes) as span:
                    yield span
        finally:
            self.timings_ms[stage] = round((time.perf_counter() - started) * 1000, 2)

    def judged(self, name: str, verdict: str, *, free_text: bool = False) -> None:
        """Note a guardrail's verdict on the turn and on the span it was reached in (with text from outside, such
        as a model endpoint's error, PII-masked there)."""
        self.guardrails.append({"name": name, "verdict": verdict})
        span = tracing.current_span()
        if span.is_recording():
            span.set_attribute(f"cadre.guardrail.{name}", tracing.masked_text(verdict) if free_text else verdict)


class Runtime:
    """Runs turns for deployed agents. One per process; safe to share across threads (state lives in the store)."""

    def __init__(
        self,
        *,
        versions: AgentVersions,
        conversations: ConversationStore,
        actions: ActionRegistry,
        knowledge: KnowledgeBase,
        embedder: Embedder,
        engines: Mapping[str, Engine],
        services: Mapping[str, Any] | None = None,
        injection: InjectionDetector | None = None,
        profile_of: Callable[[str, str, str], dict[str, Any] | None] | None = None,
        on_model_failure: Literal["offline", "handoff"] = "offline",
        stages: Rollout | None = None,
        events: EventSink | None = None,
        scorer: TurnScorer | None = None,
        kill_switch: KillSwitchReader | None = None,
        tracer: Tracer | None = None,
    ) -> None:
        self.versions = versions
        self.conversations = conversations
        self.actions = actions
        self.knowledge = knowledge
        self.embedder = embedder
        self.engines = dict(engines)
        self.services = dict(services or {})
        self.injection = injection
        self.profile_of = profile_of
        self.on_model_failure = on_model_failure
        self.stages = stages  # None: no rollout stages, the latest deployed version serves every turn
        self.events = events  # None: turns are stored but not counted (tests that don't look at figures)
        self.scorer = scorer  # None: live turns are not sampled for groundedness and relevancy
        self.kill_switch = kill_switch  # None: no agent can be taken off its conversations at once
        self.tracer = tracer if tracer is not None else tracing.no_tracer()  # each turn's trace goes to it
        self._routers: dict[tuple[str, int], TopicRouter] = {}
        self._document_scores: dict[bytes, float] = {}
        self._scores_lock = threading.Lock()

    # ------------------------------------------------------------------ entry point

    def run_turn(self, request: TurnRequest) -> TurnResult:
        root_attributes = {"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": request.agent}
        with (
            tracing.using(self.tracer),
            tracing.span(f"invoke_agent {request.agent}", root_attributes, new_trace=True) as root,
        ):
            result, shadow = self._traced_turn(request, root)
        if shadow is not None:  # after the live turn's trace has ended: the shadow turn is a trace of its own
            self._shadow(shadow, request, result.conversation_id)
        return result

    def _traced_turn(self, request: TurnRequest, root: Span) -> tuple[TurnResult, int | None]:
        """The turn inside its trace; returns its result and the shadow version to mirror it to, if any."""
        started = time.perf_counter()
        work = _Work()
        # An explicit version (suites, tests, shadow turns) wins over the rollout plan.
        plan = self.stages.plan(request.agent) if self.stages is not None and request.version is None else None
        deployed = self.versions.get(request.agent, request.version or (plan.production if plan else None))
        spec = deployed.spec
        if request.channel not in spec.channels:
            raise ConfigError(f"agent {spec.name!r} does not serve the {request.channel!r} channel ({spec.channels})")
        # A bad message is refused before anything is stored: the sender still has it and can fix it.
        with work.timed("limits"):
            message = check_input(request.message, max_chars=spec.guardrails.max_input_chars)
        conversation_id = request.conversation_id
        if conversation_id is None and request.person_id:
            conversation_id = self.conversations.latest_for_person(spec.name, request.person_id)
        conversation = self.conversations.open(
            conversation_id,
            agent=spec.name,
            agent_version=deployed.version,
            channel=request.channel,
            principal=request.principal,
            person_id=request.person_id,
        )
        if plan is not None:
            deployed = self._staged(plan, conversation, deployed)
        if request.shadow_of is not None:
            conversation.state.update(stage="shadow", shadow_of=request.shadow_of)
        if request.evaluation is not None:
            conversation.state["evaluation"] = request.evaluation
        spec = deployed.spec
        engine = self._engine(spec, request.engine)
        turn_id = self.conversations.start_turn(conversation, message, channel=request.channel, engine=engine.name)
        work.turn_id = turn_id
        root.set_attributes(
            {
                TURN_ID: turn_id,
                "gen_ai.conversation.id": conversation.id,
                "gen_ai.agent.version": str(conversation.agent_version),
                "cadre.channel": request.channel,
                "cadre.stage": _stage(conversation),
            }
        )
        already_with_human = conversation.status == "handed_off"
        try:
            result = self._turn(deployed, conversation, message, request, engine, work)
        except BaseException as exc:
            self.conversations.fail_turn(turn_id, f"{type(exc).__name__}: {exc}")
            self._record(_failed_event(conversation, turn_id, request, engine.name, started))
            raise
        result.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        root.set_attributes(_outcome_attributes(result))
        self.conversations.finish_turn(conversation, turn_id, _finished(result), channel=request.channel)
        events = _turn_events(conversation, result, request, handed_off_now=not already_with_human)
        self._record(*events)
        if self.scorer is not None:
            self.scorer.submit(events[0], message=message, reply=result.reply, sources=result.sources)
        if plan is not None and plan.shadow is not None and plan.shadow != deployed.version:
            return result, plan.shadow
        return result, None

    def _record(self, *events: Event) -> None:
        if self.events is None:
            return
        try:
            self.events.record(events)
        except Exception:
            # The turn is stored and the reply owed to the customer: a figure lost is logged, never the reply.
            logger.exception("could not record %d event(s) of turn %s", len(events), events[0].turn_id)

    # ------------------------------------------------------------------ rollout stages

    def _staged(self, plan: StagePlan, conversation: Conversation, serving: DeployedAgent) -> DeployedAgent:
        """The version a conversation is served by: a new one joins the pilot or production by its id's hash and
        keeps that version; one whose version left every stage (rolled back, pilot ended) moves to production."""
        assert self.stages is not None  # a plan comes from the stages
        live = {serving.version, plan.pilot}
        if conversation.created or conversation.agent_version not in live:
            stage = plan.stage_for(conversation.id) if conversation.created else "production"
            version = plan.pilot if stage == "pilot" and plan.pilot is not None else serving.version
            if version != conversation.agent_version:
                self.stages.pin(conversation.id, version)
                conversation.agent_version = version
        conversation.state["stage"] = "pilot" if conversation.agent_version == plan.pilot else "production"
        if conversation.agent_version == serving.version:
            return serving
        return self.versions.get(serving.spec.name, conversation.agent_version)

    def _shadow(self, version: int, request: TurnRequest, live_id: str) -> None:
        """The shadow version answers the same message in its own conversation; the customer never sees it."""
        assert self.stages is not None  # only called with a plan
        shadow = replace(
            request,
            conversation_id=self.stages.shadow_conversation(request.agent, live_id),
            person_id=None,  # a person's next conversation must never resume a shadow one
            version=version,
            on_text=None,
            shadow_of=live_id,
        )
        try:
            self.run_turn(shadow)
        except Exception:
            # The live reply is already stored and owed to the customer: a failing shadow version must not cost
            # it. A failure inside the turn is also on the shadow turn's row (`run_turn` marks it failed).
            logger.exception(
                "shadow turn of %s version %s failed (live conversation %s)", request.agent, version, live_id
            )

    # ------------------------------------------------------------------ the pipeline

    def _turn(
        self,
        deployed: DeployedAgent,
        conversation: Conversation,
        message: str,
        request: TurnRequest,
        engine: Engine,
        work: _Work,
    ) -> TurnResult:
        spec = deployed.spec
        turn_id = work.turn_id
        # Addresses, ids and amounts say nothing of the message's language, intent or instructions, yet sway each
        # of those checks on a short message: they read the message without them.
        words = without_values(message)
        with work.timed("language") as span:
            language = self._language(spec, words, conversation)
            span.set_attribute("cadre.language", language)
        conversation.language = language
        if conversation.status == "handed_off":
            # A human owns the conversation now: the message waits for them, the agent stays quiet.
            return TurnResult(
                conversation_id=conversation.id,
                turn_id=turn_id,
                reply=phrase("with_human", language),
                language=language,
                topic=None,
                actions=[],
                citations=[],
                handoff=self.conversations.open_handoff_of(conversation.id),
                guardrails=[],
                latency_ms=0.0,
                tokens={"input": 0, "output": 0},
                cost_usd=0.0,
                outcome="handed_off",
                engine=engine.name,
            )
        if request.evaluation is None and self.kill_switch is not None and self.kill_switch.is_killed(spec.name):
            # Before any model or action: a killed agent says nothing of its own. Suites still run, so a fix can
            # be measured on a killed agent.
            work.judged("kill_switch", "agent killed: every new message goes to a person")
            reply = EngineReply(phrase("handoff", language), "handed_off", 1.0, handoff_reason="agent_killed")
            return self._result(conversation, turn_id, message, reply, language, None, [], work, engine, spec)
        with work.timed("injection"):
            # "my email is …, my customer number is …" read as an instruction to the classifier, values and all.
            injected = self._is_injection(words, spec, work, kind="user")
        if injected:
            reply = EngineReply(phrase("injection_refused", language), "refused", confidence=1.0)
            return self._result(conversation, turn_id, message, reply, language, None, [], work, engine, spec)
        engine_state = conversation.state.setdefault("engine", {})
        with work.timed("routing") as span:
            routed = self._router(deployed).route(message)
            span.set_attributes(
                {"cadre.topic": routed.topic.name, "cadre.route.confidence": round(routed.confidence, 3)}
            )
        route = self._continuing(spec, engine_state, message, routed) or routed
        handoff_reply = self._handoff_topic_reply(route, language, message) or self._outside_stage(
            spec, conversation, route, language, work
        )
        if route.topic.handoff and handoff_reply is None and route.runner_up is not None:
            # An unsure guess at "wants a person" is a weak guess at the next topic instead.
            route = replace(route, topic=route.runner_up, runner_up=None)
        passages = self._passages(spec, route, words, language, work)
        raw_turn = EngineTurn(
            spec=spec,
            topic=route.topic,
            route_confidence=route.confidence,
            message=message,
            language=language,
            history=conversation.transcript,
            passages=passages,
            actions={name: self.actions.get(name) for name in route.topic.actions},
            call_action=self._action_caller(spec, conversation, language, request, work, None),
            state=engine_state,
            on_text=request.on_text,
            earlier_results=_earlier_results(conversation),
        )
        if handoff_reply is not None:
            reply = handoff_reply
        else:
            with work.timed("engine", {"cadre.engine": engine.name}) as span:
                reply, engine = self._reason(engine, raw_turn, conversation, request, work)
                span.set_attributes({"cadre.engine.answered_by": engine.name, "cadre.fell_back": work.fell_back})
            with work.timed("policy"):
                reply = self._within_policy(reply, spec, language, work)
        return self._result(conversation, turn_id, message, reply, language, route, passages, work, engine, spec)

    def _reason(
        self, engine: Engine, raw_turn: EngineTurn, conversation: Conversation, request: TurnRequest, work: _Work
    ) -> tuple[EngineReply, Engine]:
        """The engine's reply, PII-masked for engines that send text to a model (unless the spec lets the model
        read it), then checked for grounding and scope; when the model is unreachable, the offline engine's reply
        or a hand-off, as configured."""
        spec = raw_turn.spec
        if getattr(engine, "sees_raw_pii", False):
            return engine.run(raw_turn), engine
        masking = spec.guardrails.mask_pii
        shield = PiiShield(
            conversation.pii_vault, visible=spec.guardrails.pii_visible_to_model, language=raw_turn.language
        )
        caller = self._action_caller(
            spec, conversation, raw_turn.language, request, work, shield if masking else None, model_reads=True
        )
        if masking:
            turn = replace(
                raw_turn,
                message=shield.mask_text(raw_turn.message),
                history=[(role, shield.mask_text(text)) for role, text in raw_turn.history],
                call_action=caller,
                on_text=shield.unmasking_stream(raw_turn.on_text) if raw_turn.on_text else None,
            )
        else:
            # The model reads the conversation as written; its action results are still screened for
            # instructions, and its reply still checked for grounding and scope below.
            turn = replace(raw_turn, call_action=caller)
        try:
            with work.timed("model", traced=False):
                reply = engine.run(turn)
        except ModelUnavailable as exc:
            work.judged("model", f"unavailable: {exc.one_line()}", free_text=True)
            work.fell_back = True
            fallback = self.engines.get("offline")
            if self.on_model_failure == "offline" and fallback is not None and fallback is not engine:
                return fallback.run(raw_turn), fallback
            text = phrase("handoff", raw_turn.language)
            return EngineReply(text, "answered", 0.0, handoff_reason="engine_unavailable"), engine
        # A fallback endpoint answering is a failover too: the dashboard counts both.
        work.fell_back = work.fell_back or reply.failed_over
        if masking:
            work.judged("pii", f"masked {shield.masked}" if shield.masked else "pass")
        with work.timed("grounding"):
            reply = self._grounded(reply, turn, work)
        # A masked model saw placeholders only, so personal data written out in its reply came from somewhere
        # else: unless a cited passage states it (a support line, a published address), it is redacted. An
        # unmasked model may repeat what the conversation and its action results hold, and nothing more.
        published = " ".join(p.hit.text for p in turn.passages if p.number in set(reply.cited))
        if not masking:
            read = [turn.message, *(text for _, text in turn.history), *(r.content for r in turn.earlier_results)]
            read += [json.dumps(call.outcome.result, ensure_ascii=False) for call in work.model_calls]
            published = " ".join([published, *read])
        _remember_results(conversation, work.model_calls)
        with work.timed("scope"):
            text, leaked = shield.redact_unknown(reply.text, published)
            work.judged("scope", f"redacted {leaked}" if leaked else "pass")
        if not masking:
            return replace(reply, text=text), engine
        conversation.pii_vault = shield.stored()
        return replace(reply, text=shield.unmask_text(text)), engine

    def _within_policy(self, reply: EngineReply, spec: AgentSpec, language: str, work: _Work) -> EngineReply:
        """Sentences with a phrase the spec forbids are dropped; a reply with nothing left goes to a human."""
        if not spec.guardrails.forbidden or reply.outcome != "answered":
            return reply
        revision = enforce_forbidden(reply.text, spec.guardrails.forbidden)
        if not revision.dropped:
            work.judged("policy", "pass")
            return reply
        if revision.text.strip():
            work.judged("policy", f"revised: dropped {len(revision.dropped)}")
            return replace(reply, text=revision.text)
        work.judged("policy", "fail")
        work.policy_blocked = True
        return replace(reply, text=phrase("handoff", language), confidence=0.0)

    def _grounded(self, reply: EngineReply, turn: EngineTurn, work: _Work) -> EngineReply:
        """Sentences no cited passage or action result supports are dropped, or the turn goes to a human."""
        mode = turn.spec.guardrails.grounding
        if mode == "off" or reply.outcome != "answered" or reply.handoff_reason:
            return reply
        sources = [p.hit.text for p in turn.passages if p.number in set(reply.cited)]
        sources += [json.dumps(call.outcome.result, ensure_ascii=False) for call in work.model_calls if call.outcome.ok]
        grounding = check_grounding(reply.text, sources, embedder=self.embedder)
        if not grounding.unsupported:
            work.judged("grounding", "pass")
            return reply
        dropped = len(grounding.unsupported)
        if mode == "revise" and grounding.supported:
            work.judged("grounding", f"revised: dropped {dropped} unsupported")
            unsupported = set(grounding.unsupported)
            kept = [s for s in sentences(reply.text) if claim_of(s) not in unsupported]
            return replace(reply, text=" ".join(kept))
        work.judged("grounding", f"fail: {dropped} unsupported")
        return replace(reply, text=phrase("not_found", turn.language), confidence=0.0, handoff_reason="ungrounded")

    def _result(
        self,
        conversation: Conversation,
        turn_id: str,
        message: str,
        reply: EngineReply,
        language: str,
        route: Route | None,
        passages: list[Passage],
        work: _Work,
        engine: Engine,
        spec: AgentSpec,
    ) -> TurnResult:
        counters = HandoffCounters(**conversation.state.get("handoff", {}))
        signals = Signals(
            message=message,
            policy_blocked=work.policy_blocked,
            low_confidence=reply.outcome in ("answered", "asked") and reply.confidence < spec.escalation.low_confidence,
            action_failures=sum(1 for call in work.calls if not call.outcome.ok),
            engine_wants=reply.handoff_reason,
        )
        decision = decide_handoff(spec.escalation, signals, counters)
        conversation.state["handoff"] = asdict(counters)
        topic = route.topic.name if route else None
        handoff = None
        text = reply.text
        outcome: str = reply.outcome
        if decision is not None:
            with work.timed(
                "handoff", {"cadre.handoff.queue": decision.queue, "cadre.handoff.reason": decision.reason}
            ):
                handoff = self._hand_off(spec, conversation, turn_id, decision, topic, language, work, message)
            text = phrase("handoff", language)
            outcome = "handed_off"
            conversation.state["handoff"] = {}
        cited = [p for p in passages if p.number in set(reply.cited)] if outcome != "handed_off" else []
        return TurnResult(
            conversation_id=conversation.id,
            turn_id=turn_id,
            reply=text,
            language=language,
            topic=topic,
            actions=[
                {
                    "name": call.name,
                    "arguments": call.arguments,
                    "ok": call.outcome.ok,
                    "result_summary": call.outcome.summary(),
                }
                for call in work.calls
            ],
            citations=[
                {"doc_id": p.hit.doc_id, "title": p.hit.title, "url": p.hit.url, "heading_path": p.hit.heading_path}
                for p in cited
            ],
            handoff=handoff,
            guardrails=work.guardrails,
            latency_ms=0.0,
            tokens={"input": reply.input_tokens, "output": reply.output_tokens},
            cost_usd=round(reply.cost_usd, 6),
            outcome=outcome,
            engine=engine.name,
            timings_ms=work.timings_ms,
            sources=[p.hit.text for p in cited]
            + [json.dumps(c.outcome.result, ensure_ascii=False, default=str) for c in work.calls if c.outcome.ok],
            fell_back=work.fell_back,
        )

    # ------------------------------------------------------------------ stages

    def _engine(self, spec: AgentSpec, override: str | None = None) -> Engine:
        name = override or spec.engine
        try:
            return self.engines[name]
        except KeyError as exc:
            raise ConfigError(
                f"agent {spec.name!r} would run on the {name!r} engine, which is not configured here "
                f"(configured: {', '.join(sorted(self.engines))})",
                hint="configure `CADRE_LLM_BASE_URL` for `openai`, or use `offline`",
            ) from exc

    def _language(self, spec: AgentSpec, words: str, conversation: Conversation) -> str:
        fallback = conversation.language or spec.default_language
        return detect_language_among(words, spec.languages, default=fallback)

    def _is_injection(self, text: str, spec: AgentSpec, work: _Work, *, kind: InputKind) -> bool:
        if self.injection is None:
            return False
        if kind == "document":
            score = self._document_score(text)
        else:
            score = float(self.injection.scan(text, kind=kind).score)
        flagged = score >= spec.guardrails.injection_threshold
        if kind == "user":
            tracing.current_span().set_attribute("cadre.injection.score", round(score, 3))
            work.judged("injection", "block" if flagged else "pass")
        return flagged

    def _passage_score(self, hit: SearchHit) -> float:
        """A retrieved passage's injection score: the one `cadre kb scan` stored when the same detector gave it."""
        if self.injection is None:
            return 0.0
        if hit.injection_score is not None and hit.injection_version == self.injection.version:
            return hit.injection_score
        return self._document_score(hit.text)

    def _document_score(self, text: str) -> float:
        """Retrieved passages recur from turn to turn, so each one's score is computed once per process."""
        key = hashlib.sha256(text.encode()).digest()
        score = self._document_scores.get(key)
        if score is None:
            assert self.injection is not None  # only called when there is a detector
            score = float(self.injection.scan(text, kind="document").score)
            with self._scores_lock:  # turns run on several threads; two may evict at once
                if len(self._document_scores) >= DOCUMENT_SCORE_CACHE:
                    self._document_scores.pop(next(iter(self._document_scores)), None)
                self._document_scores[key] = score
        return score

    def _continuing(self, spec: AgentSpec, engine_state: dict[str, Any], message: str, routed: Route) -> Route | None:
        """An answer to the question the agent just asked stays on its topic, though alone it routes nowhere;
        a message that clearly belongs elsewhere starts over."""
        pending = engine_state.get("pending") or {}
        topic_name = pending.get("topic")
        if not topic_name or topic_name not in {t.name for t in spec.topics} or asks_for_human(message):
            return None
        answers = pending.get("kind") in {"text", *(slot.kind for slot in extract_slots(message))}
        if answers or routed.topic.name == topic_name or routed.confidence < spec.escalation.low_confidence:
            return Route(topic=spec.topic(topic_name), score=routed.score, confidence=1.0, runner_up=None)
        return None

    def _router(self, deployed: DeployedAgent) -> TopicRouter:
        key = (deployed.spec.name, deployed.version)
        if key not in self._routers:
            self._routers[key] = TopicRouter(deployed.spec, self.embedder)
        return self._routers[key]

    def _passages(self, spec: AgentSpec, route: Route, message: str, language: str, work: _Work) -> list[Passage]:
        if route.topic.handoff:
            return []
        found: list[tuple[float, Passage]] = []
        collections = spec.collections_of(route.topic)
        acts = any(self.actions.get(name).effects for name in route.topic.actions if name in self.actions)
        if not collections and acts and route.confidence < UNSURE_ROUTE:
            # An unsure guess at a topic whose actions change things ("Security FAQ" half-matching the access
            # topic): the agent's own knowledge may answer, and its passages keep the engine from acting on a guess.
            collections = spec.knowledge
        with work.timed("retrieval"):
            for collection in collections:
                with tracing.span(
                    f"retrieval {collection}",
                    {"gen_ai.operation.name": "retrieval", "gen_ai.data_source.id": collection},
                ) as span:
                    try:
                        response = self.knowledge.search(
                            message, collection=collection, k=PASSAGES_PER_COLLECTION, language=language
                        )
                    except NotFound as exc:
                        # A collection the spec names but nobody ingested (or one removed) leaves the agent
                        # without those articles, not the customer without a reply.
                        work.judged("knowledge", f"collection {collection!r} unavailable: {exc.one_line()}")
                        continue
                    any_language = not response.hits
                    if any_language:  # nothing in the customer's language: any language, said so in the reply
                        response = self.knowledge.search(message, collection=collection, k=PASSAGES_PER_COLLECTION)
                    span.set_attributes(
                        {"cadre.retrieval.hits": len(response.hits), "cadre.retrieval.any_language": any_language}
                    )
                for hit in response.hits:
                    found.append((hit.score, Passage(0, hit, cross_lingual=hit.language != language)))
        found.sort(key=lambda pair: -pair[0])
        kept: list[Passage] = []
        dropped = 0
        with work.timed("document_injection"):
            for _, passage in found:
                # Retrieved text is data, never instructions: a passage carrying instructions never reaches engines.
                if self._passage_score(passage.hit) >= spec.guardrails.injection_threshold:
                    dropped += 1
                    continue
                kept.append(Passage(len(kept) + 1, passage.hit, passage.cross_lingual))
            if found:
                work.judged("document_injection", f"dropped {dropped}" if dropped else "pass")
        return kept

    def _action_caller(
        self,
        spec: AgentSpec,
        conversation: Conversation,
        language: str,
        request: TurnRequest,
        work: _Work,
        shield: PiiShield | None,
        *,
        model_reads: bool = False,
    ) -> Callable[[str, Mapping[str, Any]], ActionCall]:
        """Runs an engine's action calls. For a model (`model_reads`), results are masked by `shield` (when the
        spec masks PII) and withheld when they carry instructions; the offline engine reads them as they are."""

        def call(name: str, arguments: Mapping[str, Any]) -> ActionCall:
            action = self.actions.get(name)
            context = ActionContext(
                agent=spec.name,
                conversation_id=conversation.id,
                principal=request.principal,
                purpose=action.purpose or spec.purpose,
                language=language,
                channel=request.channel,
                state=conversation.state.setdefault("actions", {}),
                services=self.services,
                now=request.now or datetime.now(UTC),
                refer_to=lambda queue, reason, summary: self.conversations.open_handoff(
                    conversation, work.turn_id, queue=queue, reason=reason, summary=summary, profile=None, tried=[]
                ),
                stage=_stage(conversation),
            )
            real_arguments = shield.unmask_value(dict(arguments)) if shield else dict(arguments)
            if action.effects and conversation.state.get("shadow_of"):
                # Shadow traffic is real customers' messages: a shadow version reads but never changes or sends.
                outcome = ActionOutcome(ok=False, error=f"`{name}` not run: a shadow turn changes nothing")
            else:
                outcome = action.call(context, real_arguments)
            work.policy_blocked = work.policy_blocked or outcome.denied
            work.calls.append(ActionCall(name, real_arguments, outcome))
            if not model_reads:
                return work.calls[-1]
            # The model sees the result with PII masked; the record keeps the real one. A result that carries
            # instructions (a poisoned record, an e-mail body) is withheld from the model altogether.
            seen = outcome
            if shield is not None:
                masked_result, masked_error = shield.mask_value(outcome.result), shield.mask_value(outcome.error)
                seen = replace(outcome, result=masked_result, error=masked_error)
            if outcome.ok and self._is_injection(
                json.dumps(outcome.result, ensure_ascii=False), spec, work, kind="document"
            ):
                work.judged("result_injection", f"withheld {name}")
                seen = replace(outcome, ok=False, result=None, error="result withheld: it contained instructions")
            work.model_calls.append(ActionCall(name, dict(arguments), seen))
            return work.model_calls[-1]

        return call

    def _handoff_topic_reply(self, route: Route, language: str, message: str) -> EngineReply | None:
        # A hand-off topic routes straight to a person only when the message clearly asks for one: embeddings
        # alone put "Route conversations by skill" as close to "talk to a human" as real requests are, so it
        # takes the phrase itself or a near-paraphrase of the topic's examples.
        if route.topic.handoff and (asks_for_human(message) or route.score >= HANDOFF_TOPIC_SCORE):
            return EngineReply(phrase("handoff", language), "handed_off", 1.0, handoff_reason="human_requested")
        return None

    def _outside_stage(
        self, spec: AgentSpec, conversation: Conversation, route: Route, language: str, work: _Work
    ) -> EngineReply | None:
        """A pilot handles only the topics its spec enables in the pilot stage; the rest go to a human."""
        enabled = spec.stages.pilot.topics if spec.stages else None
        if conversation.state.get("stage") != "pilot" or enabled is None or route.topic.name in enabled:
            return None
        work.judged("stage", f"topic {route.topic.name!r} not enabled in pilot")
        return EngineReply(phrase("handoff", language), "handed_off", 1.0, handoff_reason="policy_block")

    def _hand_off(
        self,
        spec: AgentSpec,
        conversation: Conversation,
        turn_id: str,
        decision: HandoffDecision,
        topic: str | None,
        language: str,
        work: _Work,
        message: str,
    ) -> dict[str, Any]:
        tried = [f"{c.name} ({'ok' if c.outcome.ok else 'failed'})" for c in work.calls]
        transcript = [*conversation.transcript, ("customer", message)]
        summary = handoff_summary(
            reason=decision.reason, topic=topic, language=language, transcript=transcript, tried=tried
        )
        if conversation.state.get("shadow_of"):
            # A shadow conversation's hand-off is measured, never queued for a human.
            return {"queue": decision.queue, "reason": decision.reason, "summary": summary}
        profile = None
        if self.profile_of is not None and conversation.person_id:
            profile = self.profile_of(conversation.person_id, spec.name, spec.purpose)
        self.conversations.open_handoff(
            conversation,
            turn_id,
            queue=decision.queue,
            reason=decision.reason,
            summary=summary,
            profile=profile,
            tried=tried,
        )
        return {"queue": decision.queue, "reason": decision.reason, "summary": summary}


def _finished(result: TurnResult) -> FinishedTurn:
    return FinishedTurn(
        reply=result.reply,
        language=result.language,
        topic=result.topic,
        outcome=result.outcome,
        actions=result.actions,
        citations=result.citations,
        guardrails=result.guardrails,
        handoff=result.handoff,
        latency_ms=result.latency_ms,
        input_tokens=result.tokens["input"],
        output_tokens=result.tokens["output"],
        cost_usd=result.cost_usd,
        engine=result.engine,
    )


def _outcome_attributes(result: TurnResult) -> dict[str, str | int | float | bool]:
    """What the turn came to, on its root span: names and figures only, never the message or the reply."""
    attributes: dict[str, str | int | float | bool] = {
        "cadre.outcome": result.outcome,
        "cadre.language": result.language,
        "cadre.engine": result.engine,
        "gen_ai.usage.input_tokens": result.tokens["input"],
        "gen_ai.usage.output_tokens": result.tokens["output"],
        "cadre.cost_usd": result.cost_usd,
        "cadre.latency_ms": result.latency_ms,
        "cadre.actions": len(result.actions),
        "cadre.citations": len(result.citations),
        "cadre.failover": result.fell_back,
    }
    if result.topic is not None:
        attributes["cadre.topic"] = result.topic
    if result.handoff is not None:
        attributes["cadre.handoff.reason"] = str(result.handoff["reason"])
    return attributes


def _stage(conversation: Conversation) -> Stage:
    return stage_of(conversation.state)


def _person(conversation: Conversation) -> str | None:
    return person_of(conversation.id, conversation.principal, conversation.person_id)


def _turn_events(
    conversation: Conversation, result: TurnResult, request: TurnRequest, *, handed_off_now: bool
) -> list[Event]:
    """The turn's event and, when it handed the conversation to a person, the hand-off's."""
    common = _turn_fields(conversation, request, result.turn_id, topic=result.topic, language=result.language)
    events = [
        Event(
            kind="turn",
            outcome=result.outcome,
            latency_ms=result.latency_ms,
            input_tokens=result.tokens["input"],
            output_tokens=result.tokens["output"],
            cost_usd=result.cost_usd,
            cited=bool(result.citations),
            failover=result.fell_back,
            data={"engine": result.engine, "actions": [a["name"] for a in result.actions]},
            **common,
        )
    ]
    if handed_off_now and result.handoff is not None and result.outcome == "handed_off":
        events.append(
            Event(
                kind="conversation_handed_off",
                data={"queue": result.handoff["queue"], "reason": result.handoff["reason"]},
                **common,
            )
        )
    return events


def _turn_fields(
    conversation: Conversation, request: TurnRequest, turn_id: str, *, topic: str | None, language: str | None
) -> dict[str, Any]:
    """What every event of one turn says about where it happened: agent, version, stage, time, place, person."""
    return {
        "agent": conversation.agent,
        "at": request.now or datetime.now(UTC),
        "agent_version": conversation.agent_version,
        "stage": _stage(conversation),
        "conversation_id": conversation.id,
        "turn_id": turn_id,
        "topic": topic,
        "language": language,
        "channel": request.channel,
        "person": _person(conversation),
    }


def _failed_event(conversation: Conversation, turn_id: str, request: TurnRequest, engine: str, started: float) -> Event:
    return Event(
        kind="turn",
        **_turn_fields(conversation, request, turn_id, topic=None, language=conversation.language),
        outcome="failed",
        latency_ms=round((time.perf_counter() - started) * 1000, 1),
        error=True,
        data={"engine": engine},
    )


# How many earlier action results a model is shown again, and how much of each: enough to answer a follow-up
# ("when does it arrive?") without calling the action again, not so much that old data crowds the prompt.
EARLIER_RESULTS = 8
EARLIER_RESULT_CHARS = 2000


def _earlier_results(conversation: Conversation) -> list[EarlierResult]:
    return [EarlierResult(**kept) for kept in conversation.state.get("model_results", [])]


def _remember_results(conversation: Conversation, calls: Sequence[ActionCall]) -> None:
    """Keep what the model read of its action results (masked where the spec masks PII) for its next turns."""
    if not calls:
        return
    kept = conversation.state.get("model_results", [])
    kept += [
        {"name": c.name, "arguments": c.arguments, "content": c.outcome.for_model()[:EARLIER_RESULT_CHARS]}
        for c in calls
    ]
    conversation.state["model_results"] = kept[-EARLIER_RESULTS:]
