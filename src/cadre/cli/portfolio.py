"""`cadre portfolio …`: the registry of agents and proposals, intake scoring, overlaps and the adoption review."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from cadre.cli import _context
from cadre.cli._output import console, print_json, rows_table, status
from cadre.portfolio.review import MIN_CONVERSATIONS, MIN_SCORE

if TYPE_CHECKING:
    from cadre.portfolio.service import Portfolio

app = typer.Typer(
    help="The agent portfolio: owners, problems, KPIs and stages; intake scoring, overlaps, retirement review.",
    no_args_is_help=True,
)
JSON = typer.Option(False, "--json", help="Print JSON.")
BY = typer.Option("role:admin", "--by", help="Who makes the change (recorded in the stage history).")


def _portfolio() -> Portfolio:
    from cadre.portfolio.service import Portfolio

    return Portfolio(
        _context.database(), _context.agent_versions(), actions=_context.actions(), data=_context.data_service()
    )


@app.command("list")
def list_entries(
    all_: bool = typer.Option(False, "--all", help="Also list retired agents."),
    json_out: bool = JSON,
) -> None:
    """Every deployed agent and proposed use case with owner, stage, KPIs and intake scores, ranked."""
    from cadre.portfolio.intake import positions

    entries = _portfolio().entries(include_retired=all_)
    ranks = positions({e.name: e.overall for e in entries if e.overall is not None})
    if json_out:
        print_json({"entries": [{**e.to_json(), "rank": ranks.get(e.name)} for e in entries]})
        return
    rows = [
        [
            e.name,
            e.stage + ("" if e.recorded else " (unregistered)"),
            e.owner,
            e.overall,
            ranks.get(e.name),
            ", ".join(f"{k.name} {k.current if k.current is not None else '?'}/{k.target:g}" for k in e.kpis),
            e.problem,
        ]
        for e in entries
    ]
    console.print(rows_table("Portfolio", ["name", "stage", "owner", "score", "rank", "KPIs", "problem"], rows))


@app.command("show")
def show(name: str = typer.Argument(..., help="Agent or proposal name."), json_out: bool = JSON) -> None:
    """One entry with its intake assessment and its stage history."""
    portfolio = _portfolio()
    entry = portfolio.get(name)
    history = [change.to_json() for change in portfolio.history(name)]
    if json_out:
        print_json({**entry.to_json(), "assessment": entry.assessment, "history": history})
        return
    console.print(f"[bold]{name}[/]: {entry.stage}, owner {entry.owner or '—'}; {entry.problem or 'no problem stated'}")
    rows = [[h["at"][:19], h["from"], h["to"], h["by"], h["why"]] for h in history]
    console.print(rows_table("Stage history", ["at", "from", "to", "by", "why"], rows))


@app.command("set")
def set_entry(
    name: str = typer.Argument(..., help="A deployed agent or a proposal."),
    owner: str | None = typer.Option(None, "--owner", help="Who answers for it."),
    problem: str | None = typer.Option(None, "--problem", help="The business problem it solves."),
    kpi: list[str] = typer.Option([], "--kpi", help="name=target or name=target@current (repeatable)."),
    drop_kpi: list[str] = typer.Option([], "--drop-kpi", help="A KPI name to remove (repeatable)."),
    stage: str | None = typer.Option(None, "--stage", help="proposed, building, pilot, hero or retired."),
    why: str = typer.Option("", "--why", help="Why the stage changes (required to retire)."),
    by: str = BY,
    json_out: bool = JSON,
) -> None:
    """Change an entry's owner, problem or KPIs, or move it to another stage through the stage's gate (a hero
    needs a production version that passed its promotion gates)."""
    from cadre.portfolio.models import parse_kpi, parse_stage

    entry = _portfolio().update(
        name,
        owner=owner,
        problem=problem,
        kpis=[parse_kpi(text) for text in kpi],
        drop_kpis=drop_kpi,
        stage=parse_stage(stage) if stage else None,
        why=why,
        by=by,
    )
    if json_out:
        print_json(entry.to_json())
    else:
        console.print(f"[bold]{name}[/]: {entry.stage}, owner {entry.owner or '—'}")


@app.command("propose")
def propose(
    file: Path = typer.Argument(..., help="Proposal YAML (see the examples in cadre/portfolio/examples/)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Score and rank it without storing it."),
    by: str = BY,
    json_out: bool = JSON,
) -> None:
    """Score a use case on impact, feasibility (data readiness) and ROI, rank it, flag the agents it overlaps,
    and store it as `proposed`."""
    from cadre.portfolio.intake import load_proposal

    proposal = load_proposal(file)
    with status("Scoring the proposal…", quiet=json_out):
        intake = _portfolio().propose(proposal, by=by, dry_run=dry_run)
    if json_out:
        print_json(intake.to_json())
        return
    a = intake.assessment
    console.print(
        f"[bold]{proposal.name}[/]: overall [bold]{a.overall}[/] (impact {a.impact}, feasibility {a.feasibility}, "
        f"ROI {a.roi}); rank {intake.rank.position} of {intake.rank.of}"
    )
    console.print(
        f"annual value ${a.annual_value:,.0f} - cost ${a.annual_cost:,.0f} = net ${a.net:,.0f}; "
        f"data ready {a.readiness.share:.0%}; actions to build: {', '.join(a.new_actions) or 'none'}"
    )
    for check in a.readiness.checks:
        if not check.ready:
            console.print(f"  [yellow]{check.entity}.{check.field or '*'}[/]: {check.status} ({check.detail})")
    for overlap in intake.overlaps:
        if overlap.flagged:
            console.print(f"[red]overlap[/] (score {overlap.score:.2f}): {overlap.suggestion}")
    console.print("stored as " + intake.stage if intake.stored else "not stored (--dry-run)")


@app.command("overlaps")
def overlaps(
    all_pairs: bool = typer.Option(False, "--all", help="List every pair, not only the flagged ones."),
    json_out: bool = JSON,
) -> None:
    """Pairs of agents and proposals whose topics or actions overlap, with the overlapping items and which one
    to extend instead."""
    from cadre.portfolio.overlap import FLAG, TOPIC_MATCH

    with status("Comparing topics…", quiet=json_out):
        found = _portfolio().overlaps()
    if json_out:
        print_json(
            {
                "thresholds": {"topic_match": TOPIC_MATCH, "flag": FLAG},
                "flagged": [o.to_json() for o in found if o.flagged],
                "pairs": [o.to_json() for o in found],
            }
        )
        return
    shown = found if all_pairs else [o for o in found if o.flagged or o.topics or o.actions]
    rows = [
        [
            f"{o.first} / {o.second}",
            round(o.score, 2),
            "; ".join(f"{m.topic}~{m.other} {m.similarity:.2f}" for m in o.topics),
            ", ".join(o.actions),
            ", ".join(o.writes),
            o.suggestion or "",
        ]
        for o in shown
    ]
    columns = ["pair", "overlap", "topics", "actions", "both write", "suggestion"]
    console.print(rows_table("Overlaps", columns, rows))


@app.command("review")
def review(
    since: str = typer.Option("30d", "--since", help="The period reviewed, ending now: 7d, 30d, 12w …"),
    until: str | None = typer.Option(None, "--until", help="End of the period (ISO time); default: now."),
    min_conversations: int = typer.Option(
        MIN_CONVERSATIONS, "--min-conversations", min=0, help="Fewer conversations in the period: a candidate."
    ),
    min_score: float = typer.Option(
        MIN_SCORE, "--min-score", min=0, max=100, help="A lower overall score in the period: a candidate."
    ),
    json_out: bool = JSON,
) -> None:
    """Live agents (pilot, hero) with low adoption or a low score over the period: candidates for retirement."""
    from cadre.observability.window import Window, parse_moment, parse_period
    from cadre.portfolio.review import Thresholds

    end = parse_moment(until) if until else datetime.now(UTC)
    window = Window.ending(end, parse_period(since))
    done = _portfolio().review(window, Thresholds(min_conversations=min_conversations, min_score=min_score))
    if json_out:
        print_json(done.to_json())
        return
    rows = [
        [a.name, a.stage, a.conversations, a.previous_conversations, a.score, "; ".join(a.reasons) or "keep"]
        for a in done.agents
    ]
    columns = ["agent", "stage", "conversations", "period before", "score", "verdict"]
    console.print(rows_table(f"Review of the last {since}", columns, rows))
