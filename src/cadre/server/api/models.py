"""Payloads several API resources share: a turn as the runtime returns it, and a message of a transcript."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field

from cadre.agents.models import Channel

# Row ids, versions and offsets are 32-bit integers in PostgreSQL: a larger number is refused as a bad request
# rather than reaching the database and failing there.
LARGEST_ID = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=LARGEST_ID)]
Offset = Annotated[int, Query(ge=0, le=LARGEST_ID, description="How many results to skip.")]


class Strict(BaseModel):
    """A request body: unknown fields are an error, so a misspelt field is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class MessageIn(Strict):
    message: str = Field(min_length=1, description="What the customer writes.")
    channel: Channel | None = Field(None, description="Where it was written (default: the conversation's channel).")


class Turn(BaseModel):
    """One turn: the reply and everything that led to it (the turn contract)."""

    conversation_id: str
    turn_id: str
    reply: str
    language: str
    topic: str | None
    actions: list[dict[str, Any]]
    citations: list[dict[str, Any]]
    handoff: dict[str, Any] | None
    guardrails: list[dict[str, str]]
    latency_ms: float
    tokens: dict[str, int]
    cost_usd: float


class Message(BaseModel):
    seq: int
    role: str = Field(description="customer, agent, human or system")
    author: str | None
    channel: str
    text: str
    turn_id: str | None
    at: str


class ErrorBody(BaseModel):
    error: str
