"""`cadre sample create`: a fictional company's data, scattered over separate systems."""

from __future__ import annotations

import typer

from cadre.cli import _context
from cadre.cli._output import console, print_json, status
from cadre.sample.install import install_sample
from cadre.sample.models import SampleSize

app = typer.Typer(help="The sample enterprise used by the demo and the tests.", no_args_is_help=True)


@app.command("create")
def create(
    size: SampleSize = typer.Option("default", "--size", help="small (tests), default, or large."),
    seed: int = typer.Option(7, "--seed", help="Same seed, same company."),
    force: bool = typer.Option(False, "--force", help="Replace an existing sample company's data."),
    reset_config: bool = typer.Option(
        False, "--reset-config", help="Also replace an edited catalog and policy file (the old ones are kept as .bak)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Write the sample company into CADRE_HOME/sources and register its sources, catalog and policies."""
    with status(f"Creating the {size} sample company (seed {seed})…", quiet=json_out):
        installed = install_sample(
            _context.data_service(), size=size, seed=seed, force=force, reset_config=reset_config
        )
    if json_out:
        print_json(installed)
        return
    console.print(f"Sample company written to [bold]{installed.directory}[/] in {installed.seconds:.1f}s")
    for name, count in installed.counts.items():
        console.print(f"  {name:<28} {count:>8,}")
    console.print(f"Sources registered: {', '.join(installed.sources)}")
    for note in installed.notes:
        console.print(f"[yellow]{note}[/]")
