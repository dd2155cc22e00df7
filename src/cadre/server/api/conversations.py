"""Conversations: open one with an agent, read its transcript, search them all."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from cadre.agents import transcripts
from cadre.agents.models import Channel
from cadre.agents.transcripts import ConversationFilters
from cadre.channels.identity import verified_web_person
from cadre.server.api._access import conversation_reader, principal_for, readable_conversation
from cadre.server.api.models import Message, Offset, Strict
from cadre.server.auth import Caller, require, services_of

router = APIRouter(tags=["conversations"])


class VisitorIdentity(Strict):
    """A web page's signed-in visitor: the page signs the e-mail with the widget secret (HMAC-SHA256, hex)."""

    email: str = Field(min_length=3, max_length=320)
    hash: str = Field(min_length=64, max_length=64, pattern="^[0-9a-fA-F]+$")


class NewConversation(Strict):
    agent: str = Field(min_length=1)
    channel: Channel = "api"
    principal: str | None = Field(None, min_length=1, description="Whom turns act for (builders and admins only).")
    person_id: str | None = Field(None, min_length=1, description="The unified profile (builders and admins only).")
    user: VisitorIdentity | None = None


class ConversationOpened(BaseModel):
    conversation_id: str
    agent: str
    channel: str
    status: str
    person_id: str | None
    created_at: datetime
    continued: bool = Field(description="True: the person's open conversation with this agent, on any channel.")


class ConversationHistory(BaseModel):
    conversation_id: str
    agent: str
    channel: str
    status: str
    language: str | None
    person_id: str | None
    created_at: datetime
    updated_at: datetime
    handoff: dict[str, Any] | None
    messages: list[Message]


class ConversationSummary(BaseModel):
    id: str
    agent: str
    agent_version: int
    channel: str
    person_id: str | None
    language: str | None
    status: str
    created_at: datetime
    updated_at: datetime
    topics: list[str]
    outcome: str | None
    messages: int
    preview: str | None


class ConversationPage(BaseModel):
    conversations: list[ConversationSummary]
    total: int
    limit: int
    offset: int


@router.post("/conversations", status_code=201, response_model=ConversationOpened)
def open_conversation(
    body: NewConversation, request: Request, response: Response, caller: Caller = Depends(require("converse"))
) -> dict[str, Any]:
    """Open a conversation with an agent; a signed-in visitor's open conversation (from any channel) continues."""
    caller.check_agent(body.agent)
    services = services_of(request)
    principal = principal_for(caller, principal=body.principal, person_id=body.person_id)
    deployed = services.versions.get(body.agent)
    if body.channel not in deployed.spec.channels:
        raise HTTPException(
            422,
            f"channel must be one of {', '.join(deployed.spec.channels)} for agent {body.agent!r}, "
            f"got {body.channel!r}",
        )
    person_id = body.person_id
    if body.user is not None:
        person_id = verified_web_person(services, body.user.email, body.user.hash) or person_id
    existing = services.conversations.latest_for_person(body.agent, person_id) if person_id else None
    conversation = services.conversations.open(
        existing,
        agent=body.agent,
        agent_version=deployed.version,
        channel=body.channel,
        principal=principal,
        person_id=person_id,
        history=0,
    )
    record = readable_conversation(request, caller, conversation.id)
    if existing is not None:
        response.status_code = 200
    return {
        "conversation_id": record.id,
        "agent": record.agent,
        "channel": record.channel,
        "status": record.status,
        "person_id": record.person_id,
        "created_at": record.created_at,
        "continued": existing is not None,
    }


@router.get("/conversations/{conversation_id}", response_model=ConversationHistory)
def conversation_history(
    conversation_id: str,
    request: Request,
    after: Annotated[int, Query(ge=0, description="Only messages after this sequence number.")] = 0,
    caller: Caller = Depends(conversation_reader),
) -> dict[str, Any]:
    """The conversation and its messages (those after `after`): what a client polls for a human's replies."""
    services = services_of(request)
    record = readable_conversation(request, caller, conversation_id)
    return {
        "conversation_id": record.id,
        "agent": record.agent,
        "channel": record.channel,
        "status": record.status,
        "language": record.language,
        "person_id": record.person_id,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "handoff": services.conversations.open_handoff_of(record.id),
        "messages": [m for m in services.conversations.messages(record.id) if m["seq"] > after],
    }


@router.get("/conversations", response_model=ConversationPage)
def search(
    request: Request,
    agent: str | None = None,
    language: str | None = None,
    topic: str | None = None,
    outcome: str | None = None,
    channel: Channel | None = None,
    status: str | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in any message, or an id.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
    _caller: Caller = Depends(require("conversations:read")),
) -> dict[str, Any]:
    """Conversations matching every filter given, most recently active first."""
    filters = ConversationFilters(
        q=q or "",
        agent=agent or "",
        language=language or "",
        topic=topic or "",
        outcome=outcome or "",
        channel=channel or "",
        status=status or "",
    )
    page = transcripts.search(services_of(request).db, filters, limit=limit, offset=offset)
    listed = [
        {**{k: v for k, v in summary.__dict__.items() if k != "opening"}, "preview": summary.opening or None}
        for summary in page.rows
    ]
    return {"conversations": listed, "total": page.total, "limit": limit, "offset": offset}
