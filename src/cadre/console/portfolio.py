"""The portfolio page: every agent and proposal with owner, stage, KPIs and intake scores, the overlaps that call for
extending an agent instead of adding one, and the live agents up for retirement; deployers change stages and owners."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from cadre.console._pages import ConsoleRoute, back_to, flash, page, render
from cadre.errors import CadreError
from cadre.observability.window import Window, parse_period
from cadre.portfolio.intake import positions
from cadre.portfolio.models import STAGES, Entry, parse_stage
from cadre.portfolio.overlap import FLAG, TOPIC_MATCH
from cadre.portfolio.review import Thresholds
from cadre.portfolio.service import Portfolio
from cadre.server.auth import Caller, services_of

router = APIRouter(route_class=ConsoleRoute)


@router.get("/portfolio")
def portfolio_page(
    request: Request, caller: Annotated[Caller, Depends(page("agents:read"))], since: str = "30d"
) -> HTMLResponse:
    portfolio = _portfolio(request)
    entries = portfolio.entries(include_retired=True)
    active = [e for e in entries if e.stage != "retired"]
    ranks = positions({e.name: e.overall for e in active if e.overall is not None})
    overlaps = [o for o in portfolio.overlaps() if o.flagged]
    warnings: dict[str, list[str]] = {}
    for o in overlaps:
        for name in (o.first, o.second):
            warnings.setdefault(name, []).append(o.second if name == o.first else o.first)
    window = Window.ending(datetime.now(UTC), parse_period(since))
    review = portfolio.review(window, Thresholds())
    return render(
        request,
        "portfolio/index.html",
        caller,
        entries=active,
        retired=[e for e in entries if e.stage == "retired"],
        ranks=ranks,
        overlaps=overlaps,
        warnings=warnings,
        review=review,
        adoption={a.name: a for a in review.agents},
        since=since,
        stages=STAGES,
        thresholds={"topic_match": TOPIC_MATCH, "flag": FLAG},
        chart=_matrix_chart(active),
    )


@router.post("/portfolio/{name}")
def change_entry(
    request: Request,
    name: str,
    caller: Annotated[Caller, Depends(page("agents:deploy"))],
    owner: Annotated[str, Form()] = "",
    stage: Annotated[str, Form()] = "",
    why: Annotated[str, Form()] = "",
) -> Response:
    """A new owner and/or stage; the stage's gate decides, and a refusal comes back as a note on the page."""
    try:
        entry = _portfolio(request).update(
            name,
            owner=owner.strip() or None,
            stage=parse_stage(stage) if stage else None,
            why=why.strip(),
            by=f"console:{caller.name}",
        )
    except CadreError as exc:
        flash(request, exc.one_line(), kind="error")
    else:
        flash(request, f"{name} is {entry.stage}, owned by {entry.owner or 'nobody yet'}.")
    return back_to("/portfolio")


def _portfolio(request: Request) -> Portfolio:
    services = services_of(request)
    return Portfolio(
        services.db,
        services.versions,
        actions=services.actions,
        data=services.data,
        embedder=services.knowledge.embedder,
    )


def _matrix_chart(entries: list[Entry]) -> dict[str, Any]:
    """Impact against feasibility of every scored entry, the bubble's size its ROI score (plotly figure JSON)."""
    scored = [(e, e.assessment) for e in entries if e.assessment is not None]
    traces = [
        {
            "type": "scatter",
            "mode": "markers+text",
            "x": [scores["impact"] for _, scores in scored],
            "y": [scores["feasibility"] for _, scores in scored],
            "text": [e.name for e, _ in scored],
            "textposition": "middle right",
            "marker": {"size": [10 + scores["roi"] / 4 for _, scores in scored], "opacity": 0.7},
            "hovertext": [f"{e.name}: overall {scores['overall']}, {e.stage}" for e, scores in scored],
        }
    ]
    layout = {
        "height": 320,
        "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
        "xaxis": {"title": {"text": "impact"}, "range": [-5, 120]},
        "yaxis": {"title": {"text": "feasibility"}, "range": [-5, 110]},
        "showlegend": False,
    }
    return {"data": traces if scored else [], "layout": layout}
