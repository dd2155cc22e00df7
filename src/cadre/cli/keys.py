"""`cadre keys …` and `cadre users …`: API keys for programs, logins for the console."""

from __future__ import annotations

import typer

from cadre.access.keys import ApiKeys
from cadre.access.roles import ROLES
from cadre.access.users import ConsoleUsers
from cadre.cli import _context
from cadre.cli._output import console, err_console, print_json, rows_table

keys_app = typer.Typer(help="API keys: each holds one role; a channel key talks to one agent.", no_args_is_help=True)
users_app = typer.Typer(help="Console users: a login and one role.", no_args_is_help=True)

ROLE_HELP = f"One of: {', '.join(ROLES)}."


@keys_app.command("create")
def create_key(
    role: str = typer.Option(..., "--role", help=ROLE_HELP),
    agent: str | None = typer.Option(None, "--agent", help="The one agent a channel key may talk to."),
    name: str | None = typer.Option(None, "--name", help="What the key is for, shown in listings."),
    json_out: bool = typer.Option(False, "--json", help="Print the key as JSON."),
) -> None:
    """Create a key. Its secret is printed once, now; store it, Cadre keeps only a hash."""
    if agent is not None:
        _context.agent_versions().get(agent)  # an unknown agent is an error now, not a key that never works
    secret, key = ApiKeys(_context.database()).create(role, agent=agent, name=name)
    if json_out:
        print_json({"key": secret, **key.to_json()})
        return
    console.print(secret, highlight=False, soft_wrap=True)
    err_console.print(f"[dim]{key.role} key {key.prefix}{f' for agent {agent}' if agent else ''}: shown once.[/]")


@keys_app.command("list")
def list_keys(json_out: bool = typer.Option(False, "--json", help="Print the keys as JSON.")) -> None:
    """Keys by prefix, role and agent (never their secrets)."""
    keys = ApiKeys(_context.database()).list()
    if json_out:
        print_json([key.to_json() for key in keys])
        return
    rows = [[k.prefix, k.role, k.agent, k.name, k.created_at.isoformat(timespec="seconds"), k.revoked] for k in keys]
    console.print(rows_table("API keys", ["prefix", "role", "agent", "name", "created", "revoked"], rows))


@keys_app.command("revoke")
def revoke_key(
    prefix: str = typer.Argument(..., help="The key's prefix, as `cadre keys list` shows it."),
    json_out: bool = typer.Option(False, "--json", help="Print the revoked key as JSON."),
) -> None:
    """Revoke a key: it is refused from the next request on."""
    key = ApiKeys(_context.database()).revoke(prefix)
    if json_out:
        print_json(key.to_json())
    else:
        console.print(f"revoked {key.prefix}")


@users_app.command("create")
def create_user(
    username: str = typer.Argument(..., help="The login name."),
    role: str = typer.Option(..., "--role", help=ROLE_HELP),
    password: str | None = typer.Option(
        None, "--password", help="The password (at least 8 characters); default: asked for without echo."
    ),
    display_name: str | None = typer.Option(None, "--name", help="The name the console shows."),
    replace: bool = typer.Option(False, "--replace", help="Reset the password and role of an existing user."),
    json_out: bool = typer.Option(False, "--json", help="Print the user as JSON."),
) -> None:
    """Create a console login."""
    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    user = ConsoleUsers(_context.database()).create(
        username, password, role, display_name=display_name, replace=replace
    )
    if json_out:
        print_json(user.to_json())
    else:
        console.print(f"console user {user.username} ({user.role})")


@users_app.command("list")
def list_users(json_out: bool = typer.Option(False, "--json", help="Print the users as JSON.")) -> None:
    """Console users and their roles."""
    users = ConsoleUsers(_context.database()).list()
    if json_out:
        print_json([user.to_json() for user in users])
        return
    rows = [[u.username, u.role, u.display_name] for u in users]
    console.print(rows_table("Console users", ["username", "role", "name"], rows))
