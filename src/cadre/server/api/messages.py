"""A customer's message in, the agent's turn out: as one JSON answer, or streamed as server-sent events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from cadre.agents.runtime import Runtime, TurnRequest
from cadre.agents.transcripts import ConversationRecord, conversation_record
from cadre.server.api._turns import Delta, Failed, Finished, stream_turn
from cadre.server.api.models import MessageIn, Turn
from cadre.server.auth import Caller, require, services_of, within_limit

router = APIRouter(tags=["conversations"])


FAILED_ACTION = "error: the action could not be completed"


@dataclass(frozen=True)
class TurnTarget:
    conversation: ConversationRecord
    runtime: Runtime
    for_customer: bool = False  # a channel key answers customers: no server detail in what it gets back

    def shown(self, turn: dict[str, Any]) -> dict[str, Any]:
        return shown_to_customer(turn) if self.for_customer else turn

    def request(self, body: MessageIn) -> TurnRequest:
        return TurnRequest(
            agent=self.conversation.agent,
            message=body.message,
            conversation_id=self.conversation.id,
            principal=self.conversation.principal,
            person_id=self.conversation.person_id,
            channel=body.channel or self.conversation.channel,  # type: ignore[arg-type]
        )


def shown_to_customer(turn: dict[str, Any]) -> dict[str, Any]:
    """The turn as a channel key gets it. A failed action's error can name a server path or a database error: the
    turn record keeps it for operators, customers' channels get the fact only."""
    actions = [a if a["ok"] else {**a, "result_summary": FAILED_ACTION} for a in turn["actions"]]
    return {**turn, "actions": actions}


def turn_target(conversation_id: str, request: Request, caller: Caller = Depends(require("converse"))) -> TurnTarget:
    """The conversation a caller may talk in (a channel key: its own agent's only), found before any stream opens."""
    services = services_of(request)
    record = conversation_record(services.db, conversation_id)
    caller.check_agent(record.agent)
    within_limit(services.conversation_limits, record.id, what="this conversation")
    # Opening the runtime loads models: on this worker thread.
    return TurnTarget(record, services.runtime, for_customer=caller.agent is not None)


@router.post("/conversations/{conversation_id}/messages", response_model=Turn)
def post_message(body: MessageIn, target: TurnTarget = Depends(turn_target)) -> dict[str, Any]:
    """Run one turn and answer with it once it is finished."""
    return target.shown(target.runtime.run_turn(target.request(body)).to_json())


@router.post(
    "/conversations/{conversation_id}/messages/stream",
    response_class=EventSourceResponse,
    responses={200: {"description": '`delta` events (`{"text"}`), then `turn` (the turn) or `error` (`{"error"}`).'}},
)
async def stream_message(body: MessageIn, target: TurnTarget = Depends(turn_target)) -> AsyncIterator[ServerSentEvent]:
    """Run one turn, streaming its reply as it is written; the `turn` event carries the final reply (guardrails
    may have revised what streamed)."""
    async for event in stream_turn(target.runtime, target.request(body)):
        if isinstance(event, Delta):
            yield ServerSentEvent(event="delta", data={"text": event.text})
        elif isinstance(event, Finished):
            yield ServerSentEvent(event="turn", data=target.shown(event.result.to_json()))
        elif isinstance(event, Failed):
            yield ServerSentEvent(event="error", data={"error": event.error})
