"""`cadre eval …`: the shipped suites, and running a suite through an agent with its results stored."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cadre.cli import _context
from cadre.cli._output import console, err_console, print_json, rows_table
from cadre.errors import ConfigError

app = typer.Typer(help="Evaluate agents: suites of conversations with expectations.", no_args_is_help=True)
JSON = typer.Option(False, "--json", help="Print JSON.")


@app.command("suites")
def suites(json_out: bool = JSON) -> None:
    """The suites shipped with the sample company, one per hero agent."""
    from cadre.evaluation.suites import shipped_suites

    found = shipped_suites()
    if json_out:
        print_json(found)
    else:
        console.print(rows_table("Shipped suites", ["agent", "path"], [[s["agent"], s["path"]] for s in found]))


@app.command("run")
def run(
    suite: Path = typer.Argument(..., help="A suite file (YAML), e.g. one `cadre eval suites` lists."),
    agent: str | None = typer.Option(None, "--agent", help="NAME or NAME@VERSION (default: the suite's agent)."),
    engine: str | None = typer.Option(None, "--engine", help="Run on this engine instead of the spec's."),
    json_out: bool = JSON,
) -> None:
    """Run every case of SUITE through the agent, check each reply, store the run and print its results."""
    from cadre.evaluation.runner import CaseResult, run_suite, store_run
    from cadre.evaluation.suites import load_suite

    loaded = load_suite(suite)
    name, version = _agent_ref(agent) if agent else (loaded.agent, None)
    runtime = _context.runtime()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, disable=json_out, transient=True) as bar:
        task = bar.add_task(f"Running {suite.name} on {name}", total=len(loaded.cases))

        def advance(_: CaseResult) -> None:
            bar.advance(task)

        result = run_suite(
            runtime, loaded, suite_name=str(suite), agent=name, version=version, engine=engine, on_case=advance
        )
    store_run(_context.database(), result)
    body = result.to_json()
    if json_out:
        print_json(body)
        return
    failed = [r for r in result.results if not r.passed]
    console.print(
        f"[bold]{body['passed']}/{body['cases']}[/] cases passed ({body['pass_rate']:.0%}) on {name} "
        f"v{result.version} ({result.engine}) in {body['seconds']:.1f}s — run {result.run_id}"
    )
    for case in failed:
        console.print(f"[red]✗ {case.id}[/]", highlight=False)
        for failure in case.failures:
            console.print(f"    {failure}", highlight=False, markup=False)


def _agent_ref(ref: str) -> tuple[str, int | None]:
    name, sep, version = ref.partition("@")
    if not sep:
        return name, None
    if not version.isdigit() or int(version) < 1:
        raise ConfigError(f"--agent must be NAME or NAME@VERSION with a version ≥ 1, got {ref!r}")
    return name, int(version)
