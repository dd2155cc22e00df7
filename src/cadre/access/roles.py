"""The roles a key or a console user holds, and what each role may do.

A route names the capability it needs; the table below is the one place that says which roles hold it, so the
console, the API and the docs agree.
"""

from __future__ import annotations

from typing import Literal, get_args

from cadre.access.errors import AccessError

Role = Literal["admin", "builder", "analyst", "human_agent", "channel"]
ROLES: tuple[Role, ...] = get_args(Role)

Capability = Literal[
    "converse",  # open conversations, post messages, give feedback (channels, and builders trying an agent)
    "conversations:read",  # transcripts, turns, verdicts
    "inbox",  # claim, answer, return and resolve hand-offs
    "agents:read",
    "agents:deploy",
    "knowledge:read",
    "knowledge:curate",  # record curation decisions
    "data:read",  # sources, entities, policies, the audit log
    "profiles:read",  # one person's unified profile
    "keys",  # create and revoke API keys and console users
]

GRANTS: dict[Role, frozenset[Capability]] = {
    "admin": frozenset(
        (
            "converse",
            "conversations:read",
            "inbox",
            "agents:read",
            "agents:deploy",
            "knowledge:read",
            "knowledge:curate",
            "data:read",
            "profiles:read",
            "keys",
        )
    ),
    "builder": frozenset(
        (
            "converse",
            "conversations:read",
            "agents:read",
            "agents:deploy",
            "knowledge:read",
            "knowledge:curate",
            "data:read",
        )
    ),
    "analyst": frozenset(("conversations:read", "agents:read", "knowledge:read", "data:read")),
    "human_agent": frozenset(("conversations:read", "inbox", "agents:read", "knowledge:read", "profiles:read")),
    "channel": frozenset(("converse",)),  # and only with the one agent its key names
}


def parse_role(value: str) -> Role:
    """`human-agent` and `human agent` are accepted spellings of `human_agent`."""
    role = value.strip().lower().replace("-", "_").replace(" ", "_")
    if role not in ROLES:
        raise AccessError(f"role must be one of {', '.join(ROLES)}, got {value!r}")
    return role


def allows(role: Role, capability: Capability) -> bool:
    return capability in GRANTS[role]
