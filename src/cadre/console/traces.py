"""Trace pages: one turn's spans as a waterfall (what ran, for how long, with what verdict), and the latest traces."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from cadre.console._pages import ConsoleRoute, page, render
from cadre.observability.trace_store import TraceStore
from cadre.server.auth import Caller, services_of

router = APIRouter(route_class=ConsoleRoute)
RECENT = 50
MIN_BAR_PERCENT = 0.4  # a span of a few microseconds still shows as a sliver


@router.get("/traces")
def trace_list(
    request: Request,
    caller: Annotated[Caller, Depends(page("conversations:read"))],
    limit: Annotated[int, Query(ge=1, le=500)] = RECENT,
) -> HTMLResponse:
    traces = TraceStore(services_of(request).db).recent(limit)
    return render(request, "traces/list.html", caller, traces=traces)


@router.get("/traces/{turn_id}")
def trace_page(
    request: Request, turn_id: str, caller: Annotated[Caller, Depends(page("conversations:read"))]
) -> HTMLResponse:
    spans = TraceStore(services_of(request).db).trace_of_turn(turn_id)
    return render(request, "traces/show.html", caller, turn_id=turn_id, root=spans[0], rows=waterfall(spans))


def waterfall(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each span with where its bar starts and how wide it is, in percent of the whole trace."""
    total = max((s["offset_ms"] + s["duration_ms"] for s in spans), default=0.0) or 1.0
    return [
        {
            **span,
            "left": round(100 * span["offset_ms"] / total, 3),
            "width": round(max(100 * span["duration_ms"] / total, MIN_BAR_PERCENT), 3),
        }
        for span in spans
    ]
