"""Traces leave the process two ways, stored for the console (one tree per turn) and exported over OTLP/HTTP,
and a customer's personal data reaches neither."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import set_span_in_context
from sqlalchemy import select

from cadre.agents.actions import ActionContext, ActionRegistry, build_action
from cadre.agents.runtime import TurnRequest
from cadre.agents.setup import build_runtime
from cadre.agents.specs import AgentVersions
from cadre.engines.llm import LLMEngine
from cadre.errors import PolicyDenied
from cadre.observability.tables import SpanRow
from cadre.observability.trace_store import SpanStoreProcessor, TraceStore, UnknownTrace
from cadre.observability.tracing import tracer_provider, traces_url
from cadre.testing.scripted import ScriptedChatModel, calling_tools, tool_call
from tests.agents.help_desk import SPEC, help_desk_actions
from tests.observability.traced import Shared, help_centre_fixture, recording, runtime_for  # noqa: F401

EMAIL = "ana.lopez@example.com"
PHONE = "+1 415 555 0134"


def test_spans_are_stored_per_turn_and_read_back_as_a_tree(help_centre: Shared, tmp_path: Path) -> None:
    _, db, _ = help_centre
    tracer, exporter = recording(db)
    runtime = runtime_for(help_centre, tmp_path, tracer)
    result = runtime.run_turn(TurnRequest(agent="help-desk", message="How do I reset my password?"))
    trace = TraceStore(db).trace_of_turn(result.turn_id)
    assert len(trace) == len(exporter.get_finished_spans())
    assert trace[0]["name"] == "invoke_agent help-desk" and trace[0]["depth"] == 0 and trace[0]["offset_ms"] == 0
    assert [(s["name"], s["depth"]) for s in trace if s["name"].startswith("retrieval")] == [
        ("retrieval", 1),
        ("retrieval help", 2),
    ]
    by_id = {s["span_id"]: s for s in trace}
    for position, span in enumerate(trace[1:], start=1):
        parent = by_id[span["parent_span_id"]]
        assert trace.index(parent) < position and span["depth"] == parent["depth"] + 1
        assert span["offset_ms"] >= parent["offset_ms"]
        assert span["offset_ms"] + span["duration_ms"] <= trace[0]["duration_ms"] + 0.01
    assert TraceStore(db).recent(1)[0]["turn_id"] == result.turn_id
    with pytest.raises(UnknownTrace):
        TraceStore(db).trace_of_turn("no-such-turn")


def test_the_installations_runtime_stores_every_turns_trace(help_centre: Shared, tmp_path: Path) -> None:
    settings, db, kb = help_centre
    path = tmp_path / "agent.yaml"
    path.write_text(SPEC, encoding="utf-8")
    actions = help_desk_actions()
    AgentVersions(db, actions).deploy(path)
    runtime = build_runtime(settings, db, kb, actions=actions)
    result = runtime.run_turn(TurnRequest(agent="help-desk", message="How do I reset my password?"))
    assert TraceStore(db).trace_of_turn(result.turn_id)[0]["attributes"]["cadre.outcome"] == "answered"


def _refusing_registry() -> ActionRegistry:
    """The help desk's actions, with `open_case` refusing in words that quote the customer's address."""

    def open_case(context: ActionContext, email: str, description: str) -> dict[str, object]:
        """Open a support case for the customer."""
        raise PolicyDenied(f"cases for {email} (phone {PHONE}) need a person")

    shipped = help_desk_actions()
    kept = [shipped.get(name) for name in shipped.names() if name != "open_case"]
    return ActionRegistry([*kept, build_action(open_case, purpose="support")])


class _Collector(BaseHTTPRequestHandler):
    bodies: list[bytes]

    def do_POST(self) -> None:
        self.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def collector() -> Iterator[tuple[str, list[bytes]]]:
    """An OTLP/HTTP receiver on 127.0.0.1 that keeps each request body."""
    bodies: list[bytes] = []
    handler = type("Collector", (_Collector,), {"bodies": bodies})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", bodies
    server.shutdown()
    server.server_close()
    thread.join()


def test_personal_data_reaches_neither_the_stored_spans_nor_the_otlp_export(
    help_centre: Shared, tmp_path: Path, collector: tuple[str, list[bytes]]
) -> None:
    _, db, _ = help_centre
    endpoint, bodies = collector
    provider = tracer_provider(db, otlp_endpoint=endpoint)
    model = ScriptedChatModel(
        [calling_tools(tool_call("open_case", {"email": "[EMAIL_ADDRESS_1]", "description": "export crashes"})), "ok"]
    )
    spec = SPEC.replace("knowledge: [help]", "knowledge: [help]\nengine: scripted")
    runtime = runtime_for(
        help_centre,
        tmp_path,
        provider.get_tracer("tests"),
        spec=spec,
        actions=_refusing_registry(),
        engines={"scripted": LLMEngine(model, name="scripted")},
    )
    message = f"Please open a case, export crashes. I am {EMAIL}, call me on {PHONE}"
    result = runtime.run_turn(TurnRequest(agent="help-desk", message=message))
    assert provider.force_flush()
    provider.shutdown()
    assert result.actions[0]["ok"] is False and EMAIL in str(result.actions[0]["result_summary"])  # it was at hand
    with db.session() as session:
        rows = session.scalars(select(SpanRow).where(SpanRow.turn_id == result.turn_id)).all()
        stored = " ".join(f"{r.name} {r.status_message} {r.attributes} {r.events}" for r in rows)
    tool = next(r for r in rows if r.name == "execute_tool open_case")
    assert tool.status == "error" and "[EMAIL_ADDRESS_1]" in (tool.status_message or "")
    exported = ExportTraceServiceRequest()
    exported.ParseFromString(b"".join(bodies))
    names = {span.name for rs in exported.resource_spans for ss in rs.scope_spans for span in ss.spans}
    assert {"invoke_agent help-desk", "chat scripted", "execute_tool open_case"} <= names
    for text in (stored, b"".join(bodies).decode("utf-8", "replace")):
        assert EMAIL not in text and "ana.lopez" not in text
        assert PHONE not in text and "555 0134" not in text


def test_spans_of_traces_whose_root_never_ends_are_bounded(help_centre: Shared) -> None:
    _, db, _ = help_centre
    store = SpanStoreProcessor(db, max_traces=2, max_spans=1)
    provider = TracerProvider()
    provider.add_span_processor(store)
    tracer = provider.get_tracer("tests")
    roots = [tracer.start_span(f"root {n}") for n in range(3)]
    for root in roots:
        with tracer.start_as_current_span("child", context=set_span_in_context(root)):
            pass
    with tracer.start_as_current_span("second child", context=set_span_in_context(roots[2])):
        pass
    assert store.dropped == 2  # the first trace's child, pushed out by the third trace; one over the span bound
    roots[2].set_attribute("cadre.turn.id", "bounded-turn")
    roots[2].end()
    assert [s["name"] for s in TraceStore(db).trace_of_turn("bounded-turn")] == ["root 2", "child"]


def test_an_otlp_endpoint_gets_the_traces_path_unless_it_names_it() -> None:
    assert traces_url("http://collector:4318") == "http://collector:4318/v1/traces"
    assert traces_url("http://collector:4318/") == "http://collector:4318/v1/traces"
    assert traces_url("https://otel.example/v1/traces") == "https://otel.example/v1/traces"
