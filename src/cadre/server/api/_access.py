"""Who may see or talk to a conversation, and whom a turn acts for, beyond the capability a route requires."""

from __future__ import annotations

from fastapi import HTTPException, Request

from cadre.agents.transcripts import ConversationRecord, conversation_record
from cadre.server.auth import Caller, current_caller, services_of

# Roles that may name whom a turn acts for (trying an agent as a given customer); everyone else acts as themselves.
PRINCIPAL_SETTERS = frozenset({"admin", "builder"})


async def conversation_reader(request: Request) -> Caller:
    """A dependency: a caller who may read transcripts, or who converses (then only with their own agent)."""
    caller = await current_caller(request)
    if not (caller.can("conversations:read") or caller.can("converse")):
        raise HTTPException(403, f"the {caller.role} role may not do this (needs 'conversations:read' or 'converse')")
    return caller


def readable_conversation(request: Request, caller: Caller, conversation_id: str) -> ConversationRecord:
    record = conversation_record(services_of(request).db, conversation_id)
    if not caller.can("conversations:read"):
        caller.check_agent(record.agent)
    return record


def own_principal(caller: Caller) -> str:
    """Whom a caller's turns act for when they name no one: their key, or their console account."""
    return caller.name if caller.kind == "key" else f"console:{caller.name}"


def principal_for(caller: Caller, *, principal: str | None, person_id: str | None) -> str:
    """The principal a new conversation acts for; only builders and administrators may name another one."""
    if (principal is not None or person_id is not None) and caller.role not in PRINCIPAL_SETTERS:
        raise HTTPException(
            403, f"the {caller.role} role may not set `principal` or `person_id`; it acts as {own_principal(caller)!r}"
        )
    return principal or own_principal(caller)
