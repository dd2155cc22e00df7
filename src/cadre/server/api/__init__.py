"""The HTTP API under `/api`: conversations, feedback, the hand-off inbox, agents, knowledge, data and keys."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from cadre.server.api import agents, conversations, data, feedback, handoffs, keys, knowledge, messages

PREFIX = "/api"


def mount(app: FastAPI) -> None:
    router = APIRouter(prefix=PREFIX)
    for part in (conversations, messages, feedback, handoffs, agents, knowledge, data, keys):
        router.include_router(part.router)
    app.include_router(router)


__all__ = ["PREFIX", "mount"]
