"""`cadre sales …`: the SDR agent's workflow - a pass over open leads, and a lead's e-mail reply."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.table import Table

from cadre.cli import _context
from cadre.cli._output import console, print_json, status
from cadre.errors import ConfigError
from cadre.sales.service import SalesService

app = typer.Typer(help="The SDR workflow: qualify and work open leads, handle their replies.", no_args_is_help=True)
JSON = typer.Option(False, "--json", help="Print JSON.")
NOW = typer.Option(None, "--now", help="The instant to act at (ISO 8601, e.g. 2026-11-24T15:00:00Z); default: now.")


def parse_now(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ConfigError(f"--now must be an ISO 8601 timestamp such as 2026-11-24T15:00:00Z, got {value!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _service() -> SalesService:
    return SalesService.from_settings(
        _context.settings(), _context.database(), _context.data_service(), knowledge=_context.knowledge()
    )


@app.command("run")
def run(now: str | None = NOW, json_out: bool = JSON) -> None:
    """Qualify every open lead and send the touches that are due (first touch, follow-ups), outside quiet hours."""
    moment = parse_now(now)
    with status("Working the open leads…", quiet=json_out):
        report = _service().run(now=moment)
    if json_out:
        print_json(report)
        return
    coverage = report["coverage"]
    share = "n/a" if coverage["share"] is None else f"{coverage['share']:.0%}"
    console.print(
        f"{report['open_leads']} open leads at {moment.isoformat()}: {report['leads_touched']} touched, "
        f"{report['emails_sent']} e-mails sent ({report['first_touches']} first, {report['follow_ups']} follow-ups), "
        f"{len(report['waiting'])} waiting, {report['skipped_count']} skipped, {len(report['failed'])} failed"
    )
    console.print(
        f"Replies so far: {report['replies']}; meetings booked: {report['meetings_booked']}; "
        f"coverage within {coverage['sla_hours']:g} h: {share} ({coverage['covered']} covered, "
        f"{len(coverage['missed'])} missed, {len(coverage['pending'])} still inside the window)"
    )
    if report["skipped"]:
        table = Table(title="Skipped")
        table.add_column("lead")
        table.add_column("reason")
        for item in report["skipped"]:
            table.add_row(item["lead_id"], item["reason"])
        console.print(table)


@app.command("inbound")
def inbound(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The reply as an .eml file."),
    now: str | None = NOW,
    json_out: bool = JSON,
) -> None:
    """Handle a lead's e-mail reply: classify it, then book, answer, snooze, unsubscribe or hand off."""
    outcome = _service().inbound(file.read_bytes(), now=parse_now(now))
    if json_out:
        print_json(outcome)
        return
    label = outcome.get("classification") or "unclassified"
    console.print(f"{outcome.get('lead_id') or 'no lead'}: {label} -> {outcome['outcome']}")
    if outcome.get("handoff"):
        console.print(f"Handed off to {outcome['handoff']['queue']} ({outcome['handoff']['reason']})")
    if outcome.get("message"):
        console.print(outcome["message"])
