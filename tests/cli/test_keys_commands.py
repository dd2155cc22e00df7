"""`cadre keys …` and `cadre users …`: keys printed once, listed without secrets, revoked; console logins."""

from __future__ import annotations

from typing import Any

from cadre.access.keys import ApiKeys
from cadre.cli import _context


def test_create_list_and_revoke_a_key(cadre: Any) -> None:
    created = cadre("keys", "create", "--role", "analyst", "--name", "weekly report", "--json")
    assert created.exit_code == 0, created.stderr
    body = created.json()
    assert body["key"].startswith(f"cadre_{body['prefix']}_")
    assert (body["role"], body["name"], body["revoked"]) == ("analyst", "weekly report", False)

    listed = cadre("keys", "list", "--json").json()
    assert [(k["prefix"], k["role"]) for k in listed] == [(body["prefix"], "analyst")]
    assert "key" not in listed[0] and body["key"] not in cadre("keys", "list").stdout

    assert cadre("keys", "revoke", body["prefix"], "--json").json()["revoked"] is True
    _context.reset()
    assert ApiKeys(_context.database()).verify(body["key"]) is None


def test_a_key_for_an_unknown_agent_or_role_is_refused_with_a_reason(cadre: Any) -> None:
    unknown_agent = cadre("keys", "create", "--role", "channel", "--agent", "nobody", "--json")
    assert unknown_agent.exit_code == 2
    assert "nobody" in unknown_agent.stderr
    bad_role = cadre("keys", "create", "--role", "root", "--json")
    assert bad_role.exit_code == 2
    assert "role must be one of admin, builder, analyst, human_agent, channel, got 'root'" in bad_role.stderr
    no_agent = cadre("keys", "create", "--role", "channel")
    assert no_agent.exit_code == 2
    assert "must name its agent" in no_agent.stderr
    assert cadre("keys", "list", "--json").json() == []


def test_create_a_console_user(cadre: Any) -> None:
    made = cadre("users", "create", "ana", "--role", "human-agent", "--password", "correct horse", "--json")
    assert made.exit_code == 0, made.stderr
    assert made.json() == {"username": "ana", "role": "human_agent", "display_name": "ana"}
    again = cadre("users", "create", "ana", "--role", "admin", "--password", "correct horse")
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert [u["username"] for u in cadre("users", "list", "--json").json()] == ["ana"]
