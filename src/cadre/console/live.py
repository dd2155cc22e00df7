"""What the inbox pages poll for: new hand-offs and new messages, as small JSON answers under `/console/`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from cadre.server.auth import Caller, require, services_of

router = APIRouter(prefix="/console")


@router.get("/inbox/updates")
def inbox_updates(
    request: Request,
    _caller: Annotated[Caller, Depends(require("inbox"))],
    after: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Open hand-offs newer than hand-off `after`, and how many are open in all."""
    open_now = services_of(request).inbox.list(status="open")
    return {
        "open": len(open_now),
        "handoffs": [
            {
                "id": h.id,
                "queue": h.queue,
                "reason": h.reason,
                "summary": h.summary,
                "language": h.language,
                "created_at": h.created_at.isoformat(),
                "url": f"/inbox/{h.id}",
            }
            for h in open_now
            if h.id > after
        ],
    }


@router.get("/conversations/{conversation_id}/messages")
def conversation_messages(
    request: Request,
    conversation_id: str,
    _caller: Annotated[Caller, Depends(require("conversations:read"))],
    after: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """The conversation's messages after sequence number `after` (a customer's new message, another human's reply)."""
    messages = services_of(request).conversations.messages(conversation_id)
    return {"messages": [m for m in messages if m["seq"] > after]}
