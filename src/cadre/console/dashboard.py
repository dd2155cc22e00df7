"""The dashboard: each agent's figures over a chosen period, compared side by side, with drill-down from an agent to
its topics, their conversations and each conversation's page."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from cadre.console._pages import ConsoleRoute, page, render
from cadre.observability import figures
from cadre.observability.config import ObservabilityConfig, load_config
from cadre.observability.window import BadWindow, Window, parse_moment, parse_period
from cadre.server.auth import Caller, services_of
from cadre.store import Database

router = APIRouter(route_class=ConsoleRoute)
PERIODS = ("1h", "24h", "7d", "30d")  # the picker's choices; any `parse_period` text works in a link
DEFAULT_PERIOD = "24h"
FILTERS = ("agent", "topic", "language", "channel")
BREAKDOWNS = ("topic", "language", "channel")
PAGE_SIZE = 25  # conversations per page of the drill-down
BUCKETS = 24  # points of each time series, whatever the period
_LAYOUT: dict[str, Any] = {
    "height": 280,
    "margin": {"l": 55, "r": 10, "t": 30, "b": 40},
    "legend": {"orientation": "h", "y": 1.15},  # above the plot: below, it runs into the time axis
}


@dataclass(frozen=True)
class Asked:
    """What the query string asked for, kept as given so every link keeps it and changes one thing."""

    period: str = ""
    since: str = ""
    until: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    offset: int = 0

    @classmethod
    def of(cls, period: str, since: str, until: str, offset: int, **filters: str) -> Asked:
        chosen = {name: filters[name].strip() for name in FILTERS if filters.get(name, "").strip()}
        return cls(period.strip(), since.strip(), until.strip(), chosen, offset)

    def href(self, **changes: str | int | None) -> str:
        """This dashboard with some parameters changed (None or "" drops one); a narrower one starts on page 1."""
        params: dict[str, Any] = {"period": self.period, "since": self.since, "until": self.until, **self.filters}
        params["offset"] = self.offset if not changes else 0
        params.update(changes)
        kept = {name: value for name, value in params.items() if value not in (None, "", 0)}
        return "/dashboard" + (f"?{urlencode(kept)}" if kept else "")


@router.get("/dashboard")
def dashboard(
    request: Request,
    caller: Annotated[Caller, Depends(page("agents:read"))],
    period: str = "",
    since: str = "",
    until: str = "",
    agent: str = "",
    topic: str = "",
    language: str = "",
    channel: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    asked = Asked.of(period, since, until, offset, agent=agent, topic=topic, language=language, channel=channel)
    return _dashboard(request, caller, asked)


@router.get("/dashboard/agents/{name}")
def agent_dashboard(
    request: Request,
    name: str,
    caller: Annotated[Caller, Depends(page("agents:read"))],
    period: str = "",
    since: str = "",
    until: str = "",
    topic: str = "",
    language: str = "",
    channel: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    asked = Asked.of(period, since, until, offset, agent=name, topic=topic, language=language, channel=channel)
    return _dashboard(request, caller, asked)


def _dashboard(request: Request, caller: Caller, asked: Asked) -> HTMLResponse:
    services = services_of(request)
    context: dict[str, Any] = {"asked": asked, "periods": PERIODS, "default_period": DEFAULT_PERIOD}
    try:
        window = resolve_window(services.db, asked)
    except BadWindow as exc:
        # The picker stays on the page, so the period can be corrected where it was chosen.
        return render(request, "dashboard/page.html", caller, status_code=400, problem=exc.one_line(), **context)
    config = load_config(services.settings)
    since, until = window.since.astimezone(UTC), window.until.astimezone(UTC)
    context.update(
        window=window,
        shown=f"{since:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} UTC",
        exact=asked.href(period="", since=_iso(since), until=_iso(until)),
    )
    db = services.db
    if window.agent is None:
        cards = agent_cards(db, window, config)
        if not any(_active(card) for card in cards):
            return render(request, "dashboard/page.html", caller, empty=True, **context)
        return render(request, "dashboard/overview.html", caller, cards=cards, chart=comparison_chart(cards), **context)
    summary = figures.summary(db, window, config)
    if not _active(summary):
        return render(request, "dashboard/page.html", caller, empty=True, **context)
    context.update(_agent(db, window, config, asked.offset), summary=summary)
    return render(
        request, "dashboard/agent.html", caller, csat_chart=csat_chart(summary["csat"]["distribution"]), **context
    )


def agent_cards(db: Database, window: Window, config: ObservabilityConfig) -> list[dict[str, Any]]:
    """Each agent with live events in the window and its whole summary (the score's components too), busiest first."""
    agents = [row["agent"] for row in figures.breakdown(db, window, "agent", config)]
    return [{"agent": name, **figures.summary(db, window.narrowed(agent=name), config)} for name in agents]


def _active(summary: dict[str, Any]) -> bool:
    """Whether a summary has anything to show: a conversation, or the SDR agent's outreach (which has no turns)."""
    return bool(summary["adoption"]["conversations"] or summary["sdr"])


def _agent(db: Database, window: Window, config: ObservabilityConfig, offset: int) -> dict[str, Any]:
    """The breakdowns not already fixed by a filter, a page of conversations and the time series."""
    found = figures.conversations(db, window, limit=PAGE_SIZE + 1, offset=offset)  # one more: is there a next page?
    return {
        "breakdowns": {
            by: figures.breakdown(db, window, by, config) for by in BREAKDOWNS if getattr(window, by) is None
        },
        "conversations": found[:PAGE_SIZE],
        "more": len(found) > PAGE_SIZE,
        "page_size": PAGE_SIZE,
        "latency_chart": latency_chart(
            figures.series(db, window, "latency_p50_ms", BUCKETS, config=config),
            figures.series(db, window, "latency_p95_ms", BUCKETS, config=config),
        ),
        "traffic_chart": traffic_chart(figures.series(db, window, "conversations", BUCKETS, config=config)),
    }


def resolve_window(db: Database, asked: Asked) -> Window:
    """The window the query string names: `since`/`until` when given, else the period ending at the latest live
    event (a simulated or replayed day shows its own hours), narrowed by the filters. The end is the same for every
    filter, so an agent's page shows the figures its card showed."""
    period = parse_period(asked.period or DEFAULT_PERIOD)
    if asked.since:
        start = parse_moment(asked.since)
        end = parse_moment(asked.until) if asked.until else figures.default_end(db)
        window = Window(since=start, until=end)
    elif asked.until:
        window = Window.ending(parse_moment(asked.until), period)
    else:
        window = figures.default_window(db, period)
    chosen = asked.filters
    return replace(
        window,
        agent=chosen.get("agent"),
        topic=chosen.get("topic"),
        language=chosen.get("language"),
        channel=chosen.get("channel"),
    )


def comparison_chart(cards: list[dict[str, Any]]) -> dict[str, Any]:
    """Each agent's normalised score components side by side (grouped bars; plotly figure JSON)."""
    traces = []
    for card in cards:
        components = card["score"]["components"]
        traces.append(
            {
                "type": "bar",
                "name": card["agent"],
                "x": [c["name"] for c in components],
                "y": [c["normalised"] for c in components],
                "customdata": [_raw_text(c) for c in components],
                "hovertemplate": "%{x}: %{y:.2f} (raw %{customdata})<extra>%{fullData.name}</extra>",
            }
        )
    layout = {**_LAYOUT, "barmode": "group", "yaxis": {"title": {"text": "normalised (0..1)"}, "range": [0, 1.05]}}
    return {"data": traces, "layout": layout}


def latency_chart(p50: list[tuple[datetime, float | None]], p95: list[tuple[datetime, float | None]]) -> dict[str, Any]:
    """Latency p50 and p95 per slice of the window (lines; a gap where a slice had no turn)."""
    traces = [_line(name, points) for name, points in (("p50", p50), ("p95", p95)) if _has_data(points)]
    return {"data": traces, "layout": {**_LAYOUT, "yaxis": {"title": {"text": "ms"}, "rangemode": "tozero"}}}


def traffic_chart(points: list[tuple[datetime, float | None]]) -> dict[str, Any]:
    """Conversations active per slice of the window (bars)."""
    trace = {**_line("conversations", points), "type": "bar"}
    trace.pop("mode")
    layout = {**_LAYOUT, "yaxis": {"title": {"text": "conversations"}, "rangemode": "tozero"}}
    return {"data": [trace] if _has_data(points) else [], "layout": layout}


def csat_chart(distribution: dict[str, int]) -> dict[str, Any]:
    """How many answers gave each CSAT score, 1 to 5 (bars)."""
    scores = [str(n) for n in range(1, 6)]
    counts = [distribution.get(score, 0) for score in scores]
    trace = {"type": "bar", "name": "answers", "x": scores, "y": counts}
    layout = {
        **_LAYOUT,
        "xaxis": {"title": {"text": "CSAT"}, "type": "category"},
        "yaxis": {"title": {"text": "answers"}},
    }
    return {"data": [trace] if any(counts) else [], "layout": layout}


def _line(name: str, points: list[tuple[datetime, float | None]]) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        # plotly reads a time without its zone; every time on the page is UTC.
        "x": [f"{at.astimezone(UTC):%Y-%m-%d %H:%M:%S}" for at, _ in points],
        "y": [value for _, value in points],
    }


def _has_data(points: list[tuple[datetime, float | None]]) -> bool:
    return any(value for _, value in points)


def _raw_text(component: dict[str, Any]) -> str:
    raw = component["raw"]
    return "no data" if raw is None else f"{raw:.4g}"


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
