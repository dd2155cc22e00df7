"""Feedback on a conversation or one of its turns: CSAT 1 to 5, a thumb up or down, a comment."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, model_validator

from cadre.agents.transcripts import conversation_record
from cadre.channels.feedback import COMMENT_MAX_CHARS, FeedbackStore
from cadre.server.api.models import Strict
from cadre.server.auth import Caller, require, services_of

router = APIRouter(tags=["conversations"])


class FeedbackIn(Strict):
    turn_id: str | None = Field(None, description="The turn it is about; none: the whole conversation.")
    csat: int | None = Field(None, ge=1, le=5, strict=True)
    thumbs: Literal["up", "down"] | None = None
    comment: str | None = Field(None, max_length=COMMENT_MAX_CHARS)

    @model_validator(mode="after")
    def _says_something(self) -> FeedbackIn:
        if self.csat is None and self.thumbs is None and not (self.comment or "").strip():
            raise ValueError("feedback must carry `csat`, `thumbs` or a `comment`, got none of them")
        return self


class FeedbackOut(BaseModel):
    id: int
    conversation_id: str
    turn_id: str | None
    csat: int | None
    thumbs: str | None
    comment: str | None
    author: str
    channel: str
    created_at: str


@router.post("/conversations/{conversation_id}/feedback", status_code=201, response_model=FeedbackOut)
def give_feedback(
    conversation_id: str, body: FeedbackIn, request: Request, caller: Caller = Depends(require("converse"))
) -> dict[str, Any]:
    """Record feedback from whoever was served (a channel key: on its own agent's conversations only)."""
    services = services_of(request)
    record = conversation_record(services.db, conversation_id)
    caller.check_agent(record.agent)
    given = FeedbackStore(services.db).give(
        record.id,
        turn_id=body.turn_id,
        csat=body.csat,
        thumbs=body.thumbs,
        comment=body.comment,
        author=caller.name,
        channel=record.channel,
    )
    return given.to_json()
