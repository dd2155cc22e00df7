"""`cadre agents kill` and `cadre agents revive`: the kill switch from the command line."""

from __future__ import annotations

import typer

from cadre.cli import _context
from cadre.cli._output import console, print_json

JSON = typer.Option(False, "--json", help="Print JSON.")
BY = typer.Option("role:admin", "--by", help="Who flips the switch (recorded, and written to the audit log).")


def register(app: typer.Typer) -> None:
    """Add the kill switch's commands to the `agents` app."""
    app.command("kill")(kill)
    app.command("revive")(revive)


def kill(
    name: str = typer.Argument(..., help="Agent name."),
    reason: str = typer.Option(..., "--reason", help="Why (recorded, and written to the audit log)."),
    by: str = BY,
    json_out: bool = JSON,
) -> None:
    """Take the agent off every conversation at once: each new message goes to a person until it is revived."""
    from cadre.agents.killswitch import KillSwitch

    _context.agent_versions().get(name)  # a typo must not "kill" an agent that does not exist
    switch = KillSwitch(_context.database())
    already = switch.is_killed(name)
    state = switch.kill(name, by, reason)
    if json_out:
        print_json(state.to_json())
    elif already:
        console.print(f"[bold]{name}[/] was already killed by {state.by} ({state.reason}); nothing changed")
    else:
        console.print(f"[bold red]killed[/] [bold]{name}[/]: every new message goes to a person ({state.reason})")


def revive(
    name: str = typer.Argument(..., help="Agent name."),
    reason: str = typer.Option("", "--reason", help="Why (optional; recorded)."),
    by: str = BY,
    json_out: bool = JSON,
) -> None:
    """Let a killed agent answer again."""
    from cadre.agents.killswitch import KillSwitch

    _context.agent_versions().get(name)
    switch = KillSwitch(_context.database())
    was_killed = switch.is_killed(name)
    state = switch.revive(name, by, reason)
    if json_out:
        print_json(state.to_json())
    elif was_killed:
        console.print(f"[green]revived[/] [bold]{name}[/]: it answers new messages again")
    else:
        console.print(f"[bold]{name}[/] was not killed; nothing changed")
