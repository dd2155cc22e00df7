"""`cadre incidents …`: check alert rules, evaluate them now, and list, show, acknowledge, annotate and resolve the
incidents they open."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast, get_args

import typer

from cadre.cli import _context
from cadre.cli._output import console, exit_invalid, print_json, rows_table
from cadre.errors import ConfigError
from cadre.observability.alerts import AlertRulesInvalid, load_rules, rules_file

if TYPE_CHECKING:
    from cadre.observability.incidents import Incident, Incidents

app = typer.Typer(
    help="Alert rules and the incidents they open: evaluate, list, show, acknowledge, annotate, resolve.",
    no_args_is_help=True,
)
rules_app = typer.Typer(help="Alert rules: validate a file, show the rules in force.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
JSON = typer.Option(False, "--json", help="Print JSON.")
BY = typer.Option("role:admin", "--by", help="Who acts (recorded on the incident's timeline).")
ID = typer.Argument(..., min=1, help="Incident id.")
StatusFilter = Literal["open", "acknowledged", "resolved", "unresolved", "all"]


@rules_app.command("validate")
def validate(file: Path = typer.Argument(..., help="Alert rules YAML."), json_out: bool = JSON) -> None:
    """Check a rules file; every problem with its YAML path and line (exit 2)."""
    try:
        rules = load_rules(file)
    except AlertRulesInvalid as exc:
        exit_invalid(file, exc.problems or [str(exc)], json_out=json_out)
    if json_out:
        print_json({"valid": True, "file": str(file), "rules": [rule.name for rule in rules]})
    else:
        console.print(f"[green]valid[/]: {len(rules)} rule(s) in {file}")


@rules_app.command("show")
def show_rules(json_out: bool = JSON) -> None:
    """The rules in force: `CADRE_ALERTS_PATH`, else `CADRE_HOME/alerts.yaml`, else the shipped ones."""
    path = rules_file(_context.settings())
    rules = load_rules(path)
    if json_out:
        print_json({"file": str(path), "rules": [rule.model_dump(mode="json") for rule in rules]})
        return
    rows = [[r.name, r.agent or "every agent", r.condition(), r.severity, ", ".join(r.notify)] for r in rules]
    console.print(rows_table(f"Alert rules ({path})", ["rule", "agent", "condition", "severity", "notify"], rows))


@app.command("evaluate")
def evaluate(
    now: str = typer.Option("", "--now", help="Evaluate as of this ISO time (default: now)."),
    json_out: bool = JSON,
) -> None:
    """Evaluate every rule once: open incidents for new firings, update open ones, mark recovered ones cleared."""
    from cadre.observability.incidents import AlertWorker
    from cadre.observability.window import parse_moment

    worker = AlertWorker.from_settings(_context.settings(), _context.database())
    done = worker.run_once(parse_moment(now) if now else None)
    if json_out:
        print_json(done.to_json())
        return
    rows = [[v.rule.name, v.agent, v.state, v.reason] for v in done.verdicts]
    console.print(rows_table(f"Alert rules at {done.at:%Y-%m-%d %H:%M} UTC", ["rule", "agent", "state", "why"], rows))
    for incident in done.opened:
        console.print(f"[bold red]opened[/] incident {incident.id}: {incident.agent} · {incident.rule}")
    if not done.opened:
        console.print("No new incident.")


@app.command("list")
def list_incidents(
    status: str = typer.Option("unresolved", "--status", help="open, acknowledged, resolved, unresolved or all."),
    agent: str = typer.Option("", "--agent", help="Only this agent's incidents."),
    limit: int = typer.Option(100, "--limit", min=1, max=10000, help="At most this many, newest first."),
    json_out: bool = JSON,
) -> None:
    """Incidents, newest first (default: those not resolved yet)."""
    if status not in get_args(StatusFilter):
        raise ConfigError(f"--status must be one of {', '.join(get_args(StatusFilter))}, got {status!r}")
    wanted = cast(StatusFilter, status)
    incidents = _incidents()
    found = incidents.list(status=None if wanted == "all" else wanted, agent=agent or None, limit=limit)
    if json_out:
        print_json({"incidents": [i.to_json() for i in found], "unread": incidents.unread_count()})
        return
    if not found:
        console.print(f"No {'' if wanted == 'all' else wanted + ' '}incident ({incidents.unread_count()} unread).")
        return
    rows = [[i.id, i.severity, i.agent, i.rule, i.status, _value(i), f"{i.opened_at:%Y-%m-%d %H:%M}"] for i in found]
    columns = ["id", "severity", "agent", "rule", "status", "value", "opened"]
    console.print(rows_table(f"Incidents ({status}; {incidents.unread_count()} unread)", columns, rows))


@app.command("show")
def show(incident_id: int = ID, json_out: bool = JSON) -> None:
    """One incident: its condition, evidence, notifications and timeline."""
    _print(_incidents().get(incident_id), json_out)


@app.command("ack")
def acknowledge(incident_id: int = ID, by: str = BY, json_out: bool = JSON) -> None:
    """Acknowledge an incident: someone is on it."""
    _print(_incidents().acknowledge(incident_id, by=by), json_out)


@app.command("note")
def note(
    incident_id: int = ID,
    text: str = typer.Argument(..., help="The note."),
    by: str = BY,
    json_out: bool = JSON,
) -> None:
    """Add a note to an incident's timeline."""
    _print(_incidents().note(incident_id, text, by=by), json_out)


@app.command("resolve")
def resolve(
    incident_id: int = ID,
    note_text: str = typer.Option("", "--note", help="What was done (kept on the timeline)."),
    by: str = BY,
    json_out: bool = JSON,
) -> None:
    """Resolve an incident; the next firing of its rule opens a new one."""
    _print(_incidents().resolve(incident_id, by=by, note=note_text), json_out)


def _incidents() -> Incidents:
    from cadre.observability.incidents import Incidents

    return Incidents(_context.database())


def _value(incident: Incident) -> str:
    return f"{incident.value:.4g}" if incident.value is not None else ""


def _print(incident: Incident, json_out: bool) -> None:
    if json_out:
        print_json(incident.to_json())
        return
    console.print(
        f"[bold]Incident {incident.id}[/] [{incident.severity}] {incident.agent} · {incident.rule}: {incident.status}"
    )
    console.print(f"  {incident.condition}; last value {_value(incident)}; fired {incident.firings} time(s)")
    if incident.cleared_at:
        console.print(f"  the condition no longer holds since {incident.cleared_at:%Y-%m-%d %H:%M}")
    for example in incident.evidence.get("conversations", []):
        console.print(f"  conversation {example['id']} ({example['why']})")
    rows = [[f"{e.at:%Y-%m-%d %H:%M}", e.kind, e.by, e.text] for e in incident.entries]
    console.print(rows_table("Timeline", ["at", "what", "by", "text"], rows))
