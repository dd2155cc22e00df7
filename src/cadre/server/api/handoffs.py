"""The hand-off inbox: conversations waiting for a human; claim, reply (on the customer's channel), return, resolve."""

from __future__ import annotations

from typing import Annotated, Any, get_args

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from cadre.agents.inbox import HandoffStatus
from cadre.server.api.models import RowId, Strict
from cadre.server.auth import Caller, require, services_of

router = APIRouter(tags=["hand-offs"])
STATUSES: tuple[HandoffStatus, ...] = get_args(HandoffStatus)
WAITING = "open,claimed"  # what a human still has to act on


class HandoffOut(BaseModel):
    id: int
    conversation_id: str
    queue: str
    reason: str
    summary: str
    language: str | None
    profile: dict[str, Any] | None
    tried: list[str]
    status: str
    assignee: str | None
    created_at: str


class HandoffList(BaseModel):
    handoffs: list[HandoffOut]


class ReplyIn(Strict):
    text: str = Field(min_length=1, description="The human's answer, sent to the customer on their channel.")


class Delivered(BaseModel):
    seq: int = Field(description="The reply's place in the transcript.")
    channel: str
    sent_via: str = Field(description="transcript (web, api), email or slack")
    detail: str | None


@router.get("/handoffs", response_model=HandoffList)
def list_handoffs(
    request: Request,
    queue: str | None = None,
    status: Annotated[str, Query(description=f"Comma-separated among {', '.join(STATUSES)}, or `all`.")] = WAITING,
    _caller: Caller = Depends(require("inbox")),
) -> dict[str, Any]:
    """Hand-offs in a queue (or all queues), oldest first."""
    inbox = services_of(request).inbox
    wanted = _statuses(status)
    found = (
        inbox.list(queue=queue, status=None)
        if wanted is None
        else [handoff for one in wanted for handoff in inbox.list(queue=queue, status=one)]
    )
    return {"handoffs": [h.to_json() for h in sorted(found, key=lambda h: (h.created_at, h.id))]}


@router.get("/handoffs/{handoff_id}", response_model=HandoffOut)
def show_handoff(handoff_id: RowId, request: Request, _caller: Caller = Depends(require("inbox"))) -> dict[str, Any]:
    return services_of(request).inbox.get(handoff_id).to_json()


@router.post("/handoffs/{handoff_id}/claim", response_model=HandoffOut)
def claim(handoff_id: RowId, request: Request, caller: Caller = Depends(require("inbox"))) -> dict[str, Any]:
    """Take an open hand-off: the caller is now the one answering."""
    return services_of(request).inbox.claim(handoff_id, by=caller.name).to_json()


@router.post("/handoffs/{handoff_id}/reply", response_model=Delivered, status_code=201)
def reply(
    handoff_id: RowId, body: ReplyIn, request: Request, caller: Caller = Depends(require("inbox"))
) -> dict[str, Any]:
    """Answer as a human: the reply joins the transcript and goes out on the conversation's channel (an open
    hand-off is claimed by the reply)."""
    return services_of(request).delivery.human_reply(handoff_id, body.text, by=caller.name).to_json()


@router.post("/handoffs/{handoff_id}/return", response_model=HandoffOut)
def return_to_agent(handoff_id: RowId, request: Request, caller: Caller = Depends(require("inbox"))) -> dict[str, Any]:
    """The agent answers the conversation's next messages again."""
    return services_of(request).inbox.return_to_agent(handoff_id, by=caller.name).to_json()


@router.post("/handoffs/{handoff_id}/resolve", response_model=HandoffOut)
def resolve(handoff_id: RowId, request: Request, caller: Caller = Depends(require("inbox"))) -> dict[str, Any]:
    """Close the hand-off and its conversation."""
    return services_of(request).inbox.resolve(handoff_id, by=caller.name).to_json()


def _statuses(value: str) -> list[HandoffStatus] | None:
    """The statuses named, or None for all of them."""
    names = [part.strip() for part in value.split(",") if part.strip()]
    if names == ["all"]:
        return None
    wrong = [name for name in names if name not in STATUSES]
    if wrong or not names:
        raise HTTPException(
            422, f"status must be `all` or among {', '.join(STATUSES)} (comma-separated), got {value!r}"
        )
    return [name for name in STATUSES if name in names]
