"""`cadre agents …`: validate, deploy, list, show and compare agent specs; promote, stage and roll back versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.syntax import Syntax
from rich.table import Table

from cadre.agents.models import json_schema
from cadre.agents.specs import SpecInvalid, validate_file
from cadre.cli import _context, _kill
from cadre.cli._output import console, exit_invalid, print_json, rows_table

if TYPE_CHECKING:
    from cadre.agents.rollout import Rollout

app = typer.Typer(
    help="Agent specs: validate, deploy immutable versions, list, show, diff; promote, roll out, roll back.",
    no_args_is_help=True,
)
JSON = typer.Option(False, "--json", help="Print JSON.")


@app.command("validate")
def validate(file: Path = typer.Argument(..., help="Agent spec YAML."), json_out: bool = JSON) -> None:
    """Check a spec against the schema and the registered actions; every problem with its line (exit 2)."""
    try:
        spec = validate_file(file, _context.actions())
    except SpecInvalid as exc:
        exit_invalid(file, exc.problems or [str(exc)], json_out=json_out)
    if json_out:
        print_json({"valid": True, "file": str(file), "agent": spec.name, "topics": [t.name for t in spec.topics]})
    else:
        console.print(f"[green]valid[/]: agent [bold]{spec.name}[/] with {len(spec.topics)} topic(s)")


@app.command("deploy")
def deploy(file: Path = typer.Argument(..., help="Agent spec YAML."), json_out: bool = JSON) -> None:
    """Store the spec as the agent's next immutable version (nothing new if it equals the latest)."""
    done = _context.agent_versions().deploy(file)
    if json_out:
        print_json({"agent": done.agent, "version": done.version, "created": done.created})
    elif done.created:
        console.print(f"Deployed [bold]{done.agent}[/] version {done.version}")
    else:
        console.print(f"[bold]{done.agent}[/] version {done.version} already has this spec; nothing deployed")


@app.command("list")
def list_agents(json_out: bool = JSON) -> None:
    """Deployed agents with their latest version."""
    agents = _context.agent_versions().list()
    if json_out:
        print_json({"agents": agents})
        return
    table = Table(title="Agents")
    for column in ("agent", "version", "engine", "languages", "topics", "deployed"):
        table.add_column(column, overflow="fold")
    for agent in agents:
        table.add_row(
            agent["name"],
            str(agent["version"]),
            agent["engine"],
            ", ".join(agent["languages"]),
            ", ".join(agent["topics"]),
            agent["deployed_at"][:19],
        )
    console.print(table)


@app.command("show")
def show(
    name: str = typer.Argument(..., help="Agent name."),
    version: int | None = typer.Option(None, "--version", min=1, help="A version (default: the latest)."),
    json_out: bool = JSON,
) -> None:
    """A deployed version's spec."""
    deployed = _context.agent_versions().get(name, version)
    if json_out:
        print_json(
            {
                "name": deployed.spec.name,
                "version": deployed.version,
                "deployed_at": deployed.created_at.isoformat(),
                "deployed_by": deployed.deployed_by,
                "digest": deployed.digest,
                "spec": deployed.spec.model_dump(mode="json"),
            }
        )
        return
    console.print(f"[bold]{name}[/] version {deployed.version}, deployed {deployed.created_at:%Y-%m-%d %H:%M}")
    console.print(Syntax(deployed.source, "yaml"))


@app.command("diff")
def diff(
    name: str = typer.Argument(..., help="Agent name."),
    a: int = typer.Argument(..., help="From version."),
    b: int = typer.Argument(..., help="To version."),
    json_out: bool = JSON,
) -> None:
    """What changed between two versions: the spec fields, and the YAML as a unified diff."""
    result = _context.agent_versions().diff(name, a, b)
    if json_out:
        print_json(result)
        return
    changed = ", ".join(result["changed"]) or "nothing"
    console.print(f"[bold]{name}[/] {a} → {b}: changed {changed}")
    if result["diff"]:
        console.print(Syntax(result["diff"], "diff"))


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of agent specs (for editors and CI)."""
    typer.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


def _rollout() -> Rollout:
    from cadre.agents.rollout import Rollout

    return Rollout(_context.database(), _context.agent_versions())


@app.command("promote")
def promote(
    name: str = typer.Argument(..., help="Agent name."),
    version: int = typer.Argument(..., min=1, help="The version to make production."),
    by: str = typer.Option("role:admin", "--by", help="Who promotes (recorded in the stage history)."),
    json_out: bool = JSON,
) -> None:
    """Run the version's gate suite and make it production if every gate passes; otherwise list the failing
    gates and exit 2."""
    from cadre.agents.promotion import promote as run_promotion

    done = run_promotion(_context.runtime(), _rollout(), _context.database(), name, version, by=by)
    if json_out:
        print_json(done.to_json())
    else:
        verdict = "[green]promoted[/] to production" if done.promoted else "[red]refused[/]"
        console.print(f"[bold]{name}[/] version {version}: {verdict} (gate run {done.run['run_id']})")
        rows = [[c.metric, c.value, c.rule, "pass" if c.passed else "FAIL"] for c in done.checks]
        console.print(rows_table("Gates", ["gate", "value", "bar", "verdict"], rows))
    if not done.promoted:
        raise typer.Exit(2)


@app.command("rollout")
def rollout(
    name: str = typer.Argument(..., help="Agent name."),
    version: int = typer.Argument(..., min=1, help="A deployed version."),
    stage: str = typer.Option(..., "--stage", help="shadow, pilot:N% (of new conversations), production or off."),
    by: str = typer.Option("role:admin", "--by", help="Who changes the stage (recorded in the stage history)."),
    json_out: bool = JSON,
) -> None:
    """Put a version in a stage without gates: shadow (replies stored, never sent), a pilot on a share of new
    conversations, production, or off (out of shadow and pilot)."""
    from cadre.agents.rollout import parse_stage

    stage_name, share = parse_stage(stage)
    service = _rollout()
    event = service.record(name, version, stage_name, share=share, by=by)
    _print_plan(service, name, event.to_json(), json_out)


@app.command("rollback")
def rollback(
    name: str = typer.Argument(..., help="Agent name."),
    by: str = typer.Option("role:admin", "--by", help="Who rolls back (recorded in the stage history)."),
    json_out: bool = JSON,
) -> None:
    """Production goes back to the version that served before the current one."""
    service = _rollout()
    event = service.rollback(name, by=by)
    _print_plan(service, name, event.to_json(), json_out)


@app.command("stages")
def stages(
    name: str = typer.Argument(..., help="Agent name."),
    history: bool = typer.Option(False, "--history", help="Also list every stage change."),
    json_out: bool = JSON,
) -> None:
    """Each stage's version with live figures from its stored turns, shadow and pilot beside production."""
    from cadre.agents.rollout import StagePlan
    from cadre.agents.stage_figures import stage_figures

    service = _rollout()
    latest = _context.agent_versions().get(name).version
    plan = service.plan(name) or StagePlan(agent=name)
    body = stage_figures(_context.database(), plan, latest=latest)
    events = [e.to_json() for e in service.history(name)]
    if json_out:
        print_json({**body, "history": events} if history else body)
        return
    rows = [
        [
            stage,
            figures["version"],
            f"{figures['share']:.0%}" if "share" in figures else "",
            figures["turns"],
            figures["task_success"],
            figures["handoff_rate"],
            figures["grounding_pass"],
            figures["latency_ms"]["p50"],
            figures["latency_ms"]["p95"],
        ]
        for stage, figures in body["stages"].items()
    ]
    columns = ["stage", "version", "share", "turns", "task success", "hand-offs", "grounded", "p50 ms", "p95 ms"]
    console.print(rows_table(f"{name}: stages", columns, rows))
    if history:
        console.print(rows_table("History", ["at", "action", "version", "stage", "share", "by"], _history_rows(events)))


def _print_plan(service: Rollout, name: str, event: dict[str, Any], json_out: bool) -> None:
    plan = service.plan(name)
    assert plan is not None  # an event was just recorded
    if json_out:
        print_json({"event": event, "plan": plan.to_json()})
        return
    pilot = f"v{plan.pilot} on {plan.pilot_share:.0%} of new conversations" if plan.pilot else "none"
    console.print(
        f"[bold]{name}[/]: production v{plan.production or 'latest'}, pilot {pilot}, "
        f"shadow {f'v{plan.shadow}' if plan.shadow else 'none'}"
    )


def _history_rows(events: list[dict[str, Any]]) -> list[list[Any]]:
    return [[e["at"][:19], e["action"], e["version"], e["stage"], e["share"], e["by"]] for e in events]


_kill.register(app)  # `kill` and `revive`: the kill switch
