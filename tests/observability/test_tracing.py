"""Every turn is one OpenTelemetry trace: a span per stage, named and described by the GenAI conventions, the
model calls with their usage and failover, the actions with their verdict."""

from __future__ import annotations

from pathlib import Path

from opentelemetry.trace import StatusCode

from cadre.agents.runtime import TurnRequest
from cadre.observability.events import EventStore
from cadre.settings import Settings
from cadre.testing.fake_openai import Fail, FakeOpenAIServer, Reply
from tests.agents.help_desk import SPEC
from tests.observability.traced import Shared, by_name, help_centre_fixture, recording, runtime_for  # noqa: F401


def test_an_offline_turn_is_one_trace_with_a_span_per_stage(help_centre: Shared, tmp_path: Path) -> None:
    tracer, exporter = recording()
    runtime = runtime_for(help_centre, tmp_path, tracer)
    result = runtime.run_turn(TurnRequest(agent="help-desk", message="How do I reset my password?"))
    spans = exporter.get_finished_spans()
    named = by_name(spans)
    root = named["invoke_agent help-desk"]
    assert {span.context.trace_id for span in spans if span.context} == {root.context.trace_id}  # type: ignore[union-attr]
    assert root.parent is None
    assert dict(root.attributes or {}) == {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.name": "help-desk",
        "gen_ai.agent.version": "1",
        "gen_ai.conversation.id": result.conversation_id,
        "cadre.turn.id": result.turn_id,
        "cadre.channel": "api",
        "cadre.stage": "production",
        "cadre.outcome": "answered",
        "cadre.topic": "account",
        "cadre.language": "en",
        "cadre.engine": "offline",
        "gen_ai.usage.input_tokens": 0,
        "gen_ai.usage.output_tokens": 0,
        "cadre.cost_usd": 0.0,
        "cadre.latency_ms": result.latency_ms,
        "cadre.actions": 0,
        "cadre.citations": len(result.citations),
        "cadre.failover": False,
    }
    children = {span.name for span in spans if span.parent and span.parent.span_id == root.context.span_id}  # type: ignore[union-attr]
    assert children == {
        "guardrail input_limits",
        "detect_language",
        "guardrail injection",
        "route_topic",
        "retrieval",
        "guardrail document_injection",
        "reason",
        "guardrail policy",
    }
    retrieval = named["retrieval help"]
    assert retrieval.parent is not None and retrieval.parent.span_id == named["retrieval"].context.span_id  # type: ignore[union-attr]
    assert retrieval.attributes is not None
    assert retrieval.attributes["gen_ai.operation.name"] == "retrieval"
    assert retrieval.attributes["gen_ai.data_source.id"] == "help"
    assert retrieval.attributes["cadre.retrieval.hits"] == 3
    routed = named["route_topic"].attributes or {}
    assert routed["cadre.topic"] == "account" and 0 < float(routed["cadre.route.confidence"]) <= 1  # type: ignore[arg-type]
    assert named["guardrail injection"].attributes["cadre.guardrail.injection"] == "pass"  # type: ignore[index]
    # The runtime's stage timings come from the same blocks as the spans.
    assert {"limits", "language", "injection", "routing", "retrieval", "engine", "policy"} <= set(result.timings_ms)


def test_an_action_is_an_execute_tool_span_that_says_whether_it_ran(help_centre: Shared, tmp_path: Path) -> None:
    tracer, exporter = recording()
    runtime = runtime_for(help_centre, tmp_path, tracer)
    runtime.run_turn(TurnRequest(agent="help-desk", message="What is the status of invoice inv 0000123?"))
    tool = by_name(exporter.get_finished_spans())["execute_tool invoice_status"]
    assert tool.attributes == {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "invoice_status",
        "gen_ai.tool.type": "function",
        "cadre.action.ok": True,
        "cadre.action.denied": False,
    }
    assert tool.status.status_code == StatusCode.UNSET
    exporter.clear()
    runtime.run_turn(TurnRequest(agent="help-desk", message="I want a refund for invoice INV-0000123"))
    denied = by_name(exporter.get_finished_spans())["execute_tool request_refund"]
    assert denied.attributes is not None and denied.attributes["cadre.action.denied"] is True
    assert denied.attributes["error.type"] == "denied"
    assert denied.status.status_code == StatusCode.ERROR
    assert by_name(exporter.get_finished_spans())["handoff"].attributes == {
        "cadre.handoff.queue": "tier1",
        "cadre.handoff.reason": "policy_block",
    }


def test_an_openai_turn_has_a_chat_span_with_usage_and_the_failover(help_centre: Shared, tmp_path: Path) -> None:
    settings, db, _ = help_centre
    tracer, exporter = recording()
    with (
        FakeOpenAIServer(Fail(503, "overloaded")) as primary,
        FakeOpenAIServer(Reply("Click Forgot password [1].", input_tokens=900, output_tokens=40)) as fallback,
    ):
        configured = Settings(
            home=settings.home,
            llm_base_url=primary.base_url,
            llm_model="gpt-4o-mini",
            llm_fallback_base_url=fallback.base_url,
            llm_max_retries=0,
        )
        spec = SPEC.replace("knowledge: [help]", "knowledge: [help]\nengine: openai")
        runtime = runtime_for(help_centre, tmp_path, tracer, spec=spec, settings=configured)
        result = runtime.run_turn(TurnRequest(agent="help-desk", message="How do I reset my password?"))
    named = by_name(exporter.get_finished_spans())
    chat = named["chat gpt-4o-mini"]
    assert chat.parent is not None and chat.parent.span_id == named["reason"].context.span_id  # type: ignore[union-attr]
    assert chat.attributes is not None
    assert {k: chat.attributes[k] for k in chat.attributes if k.startswith(("gen_ai.", "server.port"))} == {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.request.stream": False,
        "gen_ai.request.temperature": 0.2,
        "gen_ai.response.model": "gpt-4o-mini",
        "gen_ai.usage.input_tokens": 900,
        "gen_ai.usage.output_tokens": 40,
        "gen_ai.response.finish_reasons": ("stop",),
        "server.port": fallback.port,
    }
    assert chat.attributes["cadre.model.failed_over"] is True and chat.attributes["cadre.model.attempts"] == 2
    assert [event.name for event in chat.events] == ["endpoint_failed", "failover"]
    assert chat.events[0].attributes is not None and chat.events[0].attributes["server.port"] == primary.port
    assert "HTTP 503" in str(chat.events[0].attributes["cadre.error"])
    assert result.fell_back is True
    assert named["invoke_agent help-desk"].attributes["cadre.failover"] is True  # type: ignore[index]
    turn_event = EventStore(db).of_conversation(result.conversation_id)[0]
    assert turn_event.failover is True


def test_a_turn_whose_model_is_down_marks_the_chat_span_failed(help_centre: Shared, tmp_path: Path) -> None:
    settings, _, _ = help_centre
    tracer, exporter = recording()
    with FakeOpenAIServer(Fail(500, "boom")) as down:
        configured = Settings(home=settings.home, llm_base_url=down.base_url, llm_model="m", llm_max_retries=0)
        spec = SPEC.replace("knowledge: [help]", "knowledge: [help]\nengine: openai")
        runtime = runtime_for(help_centre, tmp_path, tracer, spec=spec, settings=configured)
        result = runtime.run_turn(TurnRequest(agent="help-desk", message="How do I reset my password?"))
    named = by_name(exporter.get_finished_spans())
    assert named["chat m"].status.status_code == StatusCode.ERROR
    assert named["chat m"].attributes["error.type"] == "ModelUnavailable"  # type: ignore[index]
    assert named["reason"].attributes["cadre.engine.answered_by"] == "offline"  # type: ignore[index]
    assert result.fell_back is True
