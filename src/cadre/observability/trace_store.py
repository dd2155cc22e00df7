"""Turns' traces in the system of record: a span processor that stores each finished trace in one transaction,
and the reads the console's trace view makes (one turn's span tree, the latest traces)."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from opentelemetry.context import Context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor
from opentelemetry.trace import StatusCode, format_span_id, format_trace_id
from sqlalchemy import insert, select

from cadre.errors import NotFound
from cadre.observability.tables import SpanRow
from cadre.store import Database
from cadre.store.base import aware

logger = logging.getLogger(__name__)

TURN_ID = "cadre.turn.id"  # the root span's attribute naming the turn; every span of its trace is stored under it
MAX_PENDING_TRACES = 512  # traces whose root has not ended yet; past it the oldest is dropped (a root never ended)
MAX_SPANS_PER_TRACE = 1_000  # a runaway tool loop keeps its first spans, not all of them
_STATUS = {StatusCode.OK: "ok", StatusCode.ERROR: "error", StatusCode.UNSET: "unset"}


class UnknownTrace(NotFound):
    """No trace is stored for that turn."""


class SpanStoreProcessor(SpanProcessor):
    """Holds a trace's finished spans until its root ends, then writes them all in one transaction.

    Synchronous on purpose: the root ends when the turn is over, and the console can show its trace the moment
    the reply is stored. A failing write is logged; it never costs the customer the reply."""

    def __init__(
        self, db: Database, *, max_traces: int = MAX_PENDING_TRACES, max_spans: int = MAX_SPANS_PER_TRACE
    ) -> None:
        self._db = db
        self._max_traces = max_traces
        self._max_spans = max_spans
        self._pending: OrderedDict[int, list[ReadableSpan]] = OrderedDict()
        self._lock = threading.Lock()
        self.dropped = 0  # spans never stored because a bound was reached

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        return None

    def on_end(self, span: ReadableSpan) -> None:
        if span.context is None:
            return
        trace_id = span.context.trace_id
        with self._lock:
            if span.parent is not None and not span.parent.is_remote:
                self._hold(trace_id, span)
                return
            finished = [*self._pending.pop(trace_id, []), span]
        try:
            self._write(finished)
        except Exception:
            logger.exception("could not store the %d span(s) of trace %s", len(finished), format_trace_id(trace_id))

    def _hold(self, trace_id: int, span: ReadableSpan) -> None:
        spans = self._pending.get(trace_id)
        if spans is None:
            if len(self._pending) >= self._max_traces:
                _, abandoned = self._pending.popitem(last=False)
                self.dropped += len(abandoned)
            spans = self._pending[trace_id] = []
        if len(spans) >= self._max_spans:
            self.dropped += 1
            return
        spans.append(span)

    def _write(self, spans: Sequence[ReadableSpan]) -> None:
        root = spans[-1]
        turn_id = (root.attributes or {}).get(TURN_ID)
        rows = [_row(span, str(turn_id) if turn_id is not None else None) for span in spans]
        with self._db.session() as session:
            session.execute(insert(SpanRow), rows)

    def shutdown(self) -> None:
        with self._lock:
            self._pending.clear()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True  # every finished trace is already written; unfinished ones have nothing to flush yet


class TraceStore:
    """Reads stored traces for the console."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def trace_of_turn(self, turn_id: str) -> list[dict[str, Any]]:
        """The turn's spans in tree order (each after its parent, siblings by start), with `depth` and
        `offset_ms` from the root's start; raises `UnknownTrace` when none is stored."""
        with self._db.session() as session:
            rows = session.scalars(
                select(SpanRow).where(SpanRow.turn_id == turn_id).order_by(SpanRow.started_at, SpanRow.id)
            ).all()
        if not rows:
            raise UnknownTrace(f"no trace is stored for turn {turn_id!r}")
        return _tree(rows)

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        """The latest traces' root spans, newest first."""
        with self._db.session() as session:
            rows = session.scalars(
                select(SpanRow)
                .where(SpanRow.parent_span_id.is_(None))
                .order_by(SpanRow.started_at.desc(), SpanRow.id.desc())
                .limit(limit)
            ).all()
        return [_span(row, depth=0, offset_ms=0.0) for row in rows]


def _row(span: ReadableSpan, turn_id: str | None) -> dict[str, Any]:
    assert span.context is not None and span.start_time is not None  # a finished span has both
    start = span.start_time
    end = span.end_time or start
    return {
        "trace_id": format_trace_id(span.context.trace_id),
        "span_id": format_span_id(span.context.span_id),
        "parent_span_id": format_span_id(span.parent.span_id) if span.parent is not None else None,
        "turn_id": turn_id,
        "name": span.name[:200],
        "started_at": datetime.fromtimestamp(start / 1e9, UTC),
        "duration_ms": round((end - start) / 1e6, 3),
        "status": _STATUS[span.status.status_code],
        "status_message": (span.status.description or "")[:300] or None,
        "attributes": _jsonable(span.attributes or {}),
        "events": [
            {
                "name": event.name,
                "offset_ms": round((event.timestamp - start) / 1e6, 3),
                "attributes": _jsonable(event.attributes or {}),
            }
            for event in span.events
        ],
    }


def _jsonable(attributes: Any) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in attributes.items()}


def _tree(rows: Sequence[SpanRow]) -> list[dict[str, Any]]:
    ids = {row.span_id for row in rows}
    children: dict[str | None, list[SpanRow]] = {}
    for row in rows:  # already in start order, so each list of children is too
        parent = row.parent_span_id if row.parent_span_id in ids else None
        children.setdefault(parent, []).append(row)
    origin = aware(rows[0].started_at)
    ordered: list[dict[str, Any]] = []
    stack = [(row, 0) for row in reversed(children.get(None, []))]
    while stack:
        row, depth = stack.pop()
        offset = (aware(row.started_at) - origin).total_seconds() * 1000
        ordered.append(_span(row, depth=depth, offset_ms=round(offset, 3)))
        stack.extend((child, depth + 1) for child in reversed(children.get(row.span_id, [])))
    return ordered


def _span(row: SpanRow, *, depth: int, offset_ms: float) -> dict[str, Any]:
    return {
        "trace_id": row.trace_id,
        "span_id": row.span_id,
        "parent_span_id": row.parent_span_id,
        "turn_id": row.turn_id,
        "name": row.name,
        "started_at": aware(row.started_at),
        "offset_ms": offset_ms,
        "duration_ms": row.duration_ms,
        "depth": depth,
        "status": row.status,
        "status_message": row.status_message,
        "attributes": row.attributes,
        "events": row.events,
    }
