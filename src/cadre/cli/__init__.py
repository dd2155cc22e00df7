"""The `cadre` command line."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from cadre import __version__
from cadre.cli import _context
from cadre.cli._output import err_console
from cadre.errors import CadreError


class CadreGroup(TyperGroup):
    """Turns a `CadreError` anywhere below into one line on stderr and exit code 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CadreError as exc:
            err_console.print(f"[bold red]error:[/] {exc.one_line()}", highlight=False, soft_wrap=True)
            for problem in getattr(exc, "problems", [])[1:]:
                err_console.print(f"  {problem}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from exc
        finally:
            if ctx.parent is None:
                _context.reset()


app = typer.Typer(
    name="cadre",
    cls=CadreGroup,
    help="Run a small cadre of hero AI agents on your own unified data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cadre {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Cadre: hero agents on unified, governed data."""


def _register() -> None:
    from cadre.cli import agents, bench, brief, chat, data, demo, evaluation, guard, kb, keys, sales, sample, serve
    from cadre.cli import incidents as incidents_commands
    from cadre.cli import observe as observe_commands
    from cadre.cli import portfolio as portfolio_commands

    app.add_typer(agents.app, name="agents")
    app.add_typer(bench.app, name="bench")
    app.command("brief")(brief.brief)
    app.command("chat")(chat.chat)
    app.add_typer(data.app, name="data")
    app.add_typer(evaluation.app, name="eval")
    app.add_typer(guard.app, name="guard")
    app.add_typer(kb.app, name="kb")
    app.add_typer(keys.keys_app, name="keys")
    app.add_typer(keys.users_app, name="users")
    app.add_typer(incidents_commands.app, name="incidents")
    app.add_typer(observe_commands.app, name="observe")
    app.add_typer(portfolio_commands.app, name="portfolio")
    app.add_typer(sales.app, name="sales")
    app.add_typer(sample.app, name="sample")
    app.command("demo")(demo.demo)
    app.command("serve")(serve.serve)

    from cadre.cli import worker as worker_command

    app.command("worker")(worker_command.worker)


_register()


def main() -> None:
    app(prog_name="cadre")
