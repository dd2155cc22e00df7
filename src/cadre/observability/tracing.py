"""Every turn an OpenTelemetry trace: the tracer a turn's spans go to, and the installation's tracing setup.

One setup per database in a process: spans stored for the console, and also exported over OTLP/HTTP when
`CADRE_OTLP_ENDPOINT` is set. Code inside a turn opens spans with `span(...)`; the runtime picks the tracer for
the turn with `using(...)`, so engines and actions need no tracer of their own and a test can hand a runtime one
that keeps spans in memory. Nothing here touches OpenTelemetry's global tracer provider: an application that
embeds Cadre keeps its own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import TYPE_CHECKING

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Link, Span, Status, StatusCode, Tracer
from opentelemetry.util.types import AttributeValue

from cadre.guardrails.masking import PiiVault, mask
from cadre.guardrails.pii import DEFAULT_MASKED, PiiDetector

if TYPE_CHECKING:
    from cadre.settings import Settings
    from cadre.store import Database

TRACER_NAME = "cadre"
MAX_TEXT = 300  # characters of an error message kept on a span
OTLP_TRACES_PATH = "/v1/traces"

_NO_TRACER: Tracer = trace.NoOpTracer()
_TRACER: ContextVar[Tracer] = ContextVar("cadre_tracer", default=_NO_TRACER)
# Keyed by the database's id; holding the database keeps that id from being reused by another one.
_configured: dict[tuple[int, str | None], tuple[Database, TracerProvider]] = {}
_configuring = threading.Lock()


def no_tracer() -> Tracer:
    """A tracer that records nothing: the runtime's default, so a bare `Runtime` costs no tracing."""
    return _NO_TRACER


def configure_tracing(settings: Settings, db: Database) -> Tracer:
    """The tracer of this installation: spans stored in `db`'s `spans` table, one transaction per turn, and also
    exported over OTLP/HTTP when `settings.otlp_endpoint` is set. Set up once per database and endpoint in a
    process, however many runtimes are built on them."""
    key = (id(db), settings.otlp_endpoint)
    with _configuring:
        if key not in _configured:
            _configured[key] = (db, tracer_provider(db, otlp_endpoint=settings.otlp_endpoint))
        provider = _configured[key][1]
    return provider.get_tracer(TRACER_NAME)


def tracer_provider(db: Database | None, *, otlp_endpoint: str | None = None) -> TracerProvider:
    """A provider storing finished turns in `db` (None: not stored) and exporting them to `otlp_endpoint`."""
    # Resource detection would read OTEL_* variables; settings are the one place configuration comes from.
    provider = TracerProvider(resource=Resource.create({"service.name": "cadre"}))
    if db is not None:
        # Imported here: actions and engines import this module, and the store must not load with them.
        from cadre.observability.trace_store import SpanStoreProcessor

        provider.add_span_processor(SpanStoreProcessor(db))
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=traces_url(otlp_endpoint))))
    return provider


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL of a collector: `http://host:4318` gets `/v1/traces`, a full URL is kept."""
    trimmed = endpoint.rstrip("/")
    return trimmed if trimmed.endswith(OTLP_TRACES_PATH) else trimmed + OTLP_TRACES_PATH


@contextmanager
def using(tracer: Tracer) -> Iterator[None]:
    """Spans opened by `span()` inside the block, on this thread, go to `tracer`."""
    token = _TRACER.set(tracer)
    try:
        yield
    finally:
        _TRACER.reset(token)


@contextmanager
def span(
    name: str, attributes: Mapping[str, AttributeValue] | None = None, *, new_trace: bool = False
) -> Iterator[Span]:
    """A child of the current span (or, with `new_trace`, the root of a trace of its own, linked to the span
    the caller was in). An exception leaving the block marks the span failed with its message PII-masked: the
    SDK's own exception recording would store the message and its traceback raw."""
    tracer = _TRACER.get()
    context: Context | None = None
    links: list[Link] = []
    if new_trace:
        context = Context()
        outer = trace.get_current_span().get_span_context()
        links = [Link(outer)] if outer.is_valid else []
    with tracer.start_as_current_span(
        name,
        context=context,
        attributes=attributes,
        links=links,
        record_exception=False,
        set_status_on_exception=False,
    ) as current:
        try:
            yield current
        except Exception as exc:
            failed(current, type(exc).__qualname__, str(exc))
            raise


def failed(current: Span, error_type: str, message: str) -> None:
    """Mark `current` failed: `error_type` as `error.type`, the message PII-masked and cut short."""
    if not current.is_recording():
        return
    shown = masked_text(message)
    current.set_attribute("error.type", error_type)
    current.add_event("exception", {"exception.type": error_type, "exception.message": shown})
    current.set_status(Status(StatusCode.ERROR, shown))


def masked_text(text: str, *, limit: int = MAX_TEXT) -> str:
    """`text` with what identifies a person replaced by placeholders, cut to `limit` characters: the only form in
    which free text (an error that quotes a customer's input, a model endpoint's complaint) goes on a span."""
    spans = _detector().detect(text)
    shown = mask(text, spans, PiiVault()) if spans else text
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def current_span() -> Span:
    """The span code is running in (a non-recording one outside any trace)."""
    return trace.get_current_span()


@cache
def _detector() -> PiiDetector:
    return PiiDetector(types=DEFAULT_MASKED)
