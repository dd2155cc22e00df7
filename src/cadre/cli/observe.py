"""`cadre observe …`: the dashboard's figures in the terminal: one window's summary, and a breakdown of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from cadre.cli import _context
from cadre.cli._output import console, print_json, rows_table
from cadre.observability.window import BadWindow, Window, parse_moment, parse_period

if TYPE_CHECKING:
    from cadre.observability.figures import Source

app = typer.Typer(
    help="Watch the agents: ROI, speed, relevancy, CSAT, adoption, deflection, score.", no_args_is_help=True
)
JSON = typer.Option(False, "--json", help="Print JSON.")
AGENT = typer.Option(None, "--agent", help="Only this agent.")
SINCE = typer.Option("24h", "--since", help="A period back from the window's end (24h, 7d) or an ISO time.")
UNTIL = typer.Option(
    None, "--until", help="ISO time the window ends (default: the minute after the latest live event, or now)."
)
TOPIC = typer.Option(None, "--topic", help="Only this topic.")
LANGUAGE = typer.Option(None, "--language", help="Only this language (e.g. en).")
CHANNEL = typer.Option(None, "--channel", help="Only this channel (web, email, slack, api, …).")
SOURCE = typer.Option(
    "auto",
    "--source",
    help="Count from the events table (events), the packed past days (chunks), or the faster for the window (auto).",
)


def _window(
    since: str, until: str | None, agent: str | None, topic: str | None, language: str | None, channel: str | None
) -> Window:
    from cadre.observability.figures import default_end

    filters = {"agent": agent, "topic": topic, "language": language, "channel": channel}
    end = parse_moment(until) if until else default_end(_context.database(), **filters)
    try:
        start = end - parse_period(since)
    except BadWindow:
        try:
            start = parse_moment(since)
        except BadWindow:
            example = "a period such as 24h or 7d, or an ISO time such as 2026-11-24T09:00:00Z"
            raise BadWindow(f"--since must be {example}, got {since!r}") from None
    return Window(since=start, until=end, **filters)


def _source(text: str) -> Source:
    from cadre.observability.figures import SOURCES

    if text not in SOURCES:
        raise BadWindow(f"--source must be one of {', '.join(SOURCES)}, got {text!r}")
    return text


def _shown(value: Any, *, percent: bool = False) -> str:
    if value is None:
        return "—"
    if percent:
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _described(window: dict[str, Any]) -> str:
    filters = ", ".join(f"{k} {window[k]}" for k in ("agent", "topic", "language", "channel") if window[k])
    return f"{window['since']} → {window['until']}" + (f" ({filters})" if filters else "")


@app.command("summary")
def summary(
    agent: str | None = AGENT,
    since: str = SINCE,
    until: str | None = UNTIL,
    topic: str | None = TOPIC,
    language: str | None = LANGUAGE,
    channel: str | None = CHANNEL,
    source: str = SOURCE,
    json_out: bool = JSON,
) -> None:
    """Every figure of the dashboard over one window: ROI, speed, errors, relevancy, CSAT, adoption, rates, score."""
    from cadre.observability import figures
    from cadre.observability.config import load_config

    window = _window(since, until, agent, topic, language, channel)
    body = figures.summary(_context.database(), window, load_config(_context.settings()), source=_source(source))
    if json_out:
        print_json(body)
        return
    console.print(f"[bold]Window[/] {_described(body['window'])}", highlight=False)
    adoption, latency, errors, quality, csat = (body[k] for k in ("adoption", "latency", "errors", "relevancy", "csat"))
    rows = [
        ["conversations", _shown(adoption["conversations"])],
        ["turns", _shown(adoption["turns"])],
        ["unique users (returning)", f"{_shown(adoption['unique_users'])} ({_shown(adoption['returning_users'])})"],
        ["handled by the agent", _shown(adoption["agent_share"], percent=True)],
        ["deflection", _shown(body["deflection"]["rate"], percent=True)],
        ["escalation", _shown(body["escalation"]["rate"], percent=True)],
        ["abandonment", _shown(body["abandonment"]["rate"], percent=True)],
        ["latency p50 / p95 ms", f"{_shown(latency['p50_ms'])} / {_shown(latency['p95_ms'])}"],
        ["time to resolution s", _shown(latency["time_to_resolution_s"])],
        ["error rate (failovers)", f"{_shown(errors['error_rate'], percent=True)} ({_shown(errors['failovers'])})"],
        ["groundedness / relevancy", f"{_shown(quality['groundedness'])} / {_shown(quality['relevancy'])}"],
        ["citation rate", _shown(quality["citation_rate"], percent=True)],
        ["CSAT (responses)", f"{_shown(csat['average'])} ({_shown(csat['responses'])})"],
    ]
    if body["sdr"]:
        rows += [[name.replace("_", " "), _shown(value)] for name, value in body["sdr"].items()]
    console.print(rows_table("Figures", ["figure", "value"], rows))
    roi = body["roi"]
    console.print(
        f"[bold]ROI[/] net {_shown(roi['net_usd'])} USD, annualised {_shown(roi['annualised_usd'])} USD",
        highlight=False,
    )
    console.print(f"  {roi['formula']}", highlight=False, markup=False)
    console.print("  " + ", ".join(f"{k} = {v}" for k, v in roi["inputs"].items()), highlight=False, markup=False)
    score = body["score"]
    parts = [
        [c["name"], _shown(c["raw"]), _shown(c["normalised"]), f"{c['effective_weight']:.2f}"]
        for c in score["components"]
    ]
    console.print(
        rows_table(f"Score {_shown(score['value'])} / 100", ["component", "raw", "normalised", "weight"], parts)
    )
    console.print(score["note"], highlight=False)


@app.command("breakdown")
def breakdown(
    by: str = typer.Option("agent", "--by", help="agent, topic, language or channel."),
    agent: str | None = AGENT,
    since: str = SINCE,
    until: str | None = UNTIL,
    topic: str | None = TOPIC,
    language: str | None = LANGUAGE,
    channel: str | None = CHANNEL,
    source: str = SOURCE,
    json_out: bool = JSON,
) -> None:
    """The main figures per agent, topic, language or channel over one window, the busiest first."""
    from cadre.observability import figures
    from cadre.observability.config import load_config

    window = _window(since, until, agent, topic, language, channel)
    rows = figures.breakdown(_context.database(), window, by, load_config(_context.settings()), source=_source(source))
    if json_out:
        print_json({"window": window.to_json(), "by": by, "rows": rows})
        return
    console.print(f"[bold]Window[/] {_described(window.to_json())}", highlight=False)
    columns = [
        by,
        "conversations",
        "turns",
        "deflection",
        "escalation",
        "csat",
        "p50 ms",
        "p95 ms",
        "cost usd",
        "score",
    ]
    cells = [
        [
            row[by] if row[by] is not None else "(none)",
            _shown(row["conversations"]),
            _shown(row["turns"]),
            _shown(row["deflection_rate"], percent=True),
            _shown(row["escalation_rate"], percent=True),
            _shown(row["csat"]),
            _shown(row["p50_ms"]),
            _shown(row["p95_ms"]),
            _shown(row["cost_usd"]),
            _shown(row["score"]),
        ]
        for row in rows
    ]
    console.print(rows_table(f"By {by}", columns, cells))


@app.command("pack")
def pack(json_out: bool = JSON) -> None:
    """Pack the past days' new live events into chunks now (the worker does it every hour): windows longer than
    two days are then counted from a few bytes per event instead of the events table."""
    from cadre.observability.chunks import EventChunks

    report = EventChunks(_context.database()).pack()
    if json_out:
        print_json(report.to_json())
        return
    if report.deferred:
        console.print("Nothing packed: events are being written in a long transaction; run it again later.")
        return
    console.print(
        f"Packed {report.days:,} days: {report.events:,} events in {report.chunks:,} chunks "
        f"(events up to id {report.through_id:,}).",
        highlight=False,
    )
