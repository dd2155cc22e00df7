"""`cadre agents …`: validate, deploy, list, show and compare agent specs."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.syntax import Syntax
from rich.table import Table

from cadre.agents.models import json_schema
from cadre.agents.specs import SpecInvalid, validate_file
from cadre.cli import _context
from cadre.cli._output import console, err_console, print_json

app = typer.Typer(help="Agent specs: validate, deploy immutable versions, list, show, diff.", no_args_is_help=True)
JSON = typer.Option(False, "--json", help="Print JSON.")


@app.command("validate")
def validate(file: Path = typer.Argument(..., help="Agent spec YAML."), json_out: bool = JSON) -> None:
    """Check a spec against the schema and the registered actions; every problem with its line (exit 2)."""
    try:
        spec = validate_file(file, _context.actions())
    except SpecInvalid as exc:
        problems = exc.problems or [str(exc)]
        if json_out:
            print_json({"valid": False, "file": str(file), "problems": problems})
        else:
            err_console.print(f"[bold red]{file}[/]: {len(problems)} problem(s)", highlight=False)
            for problem in problems:
                err_console.print(f"  {problem}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc
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
