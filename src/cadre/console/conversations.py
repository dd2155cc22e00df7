"""Conversation pages: search and filters with a chart of outcomes, and one conversation's full transcript."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from cadre.agents import transcripts as reads
from cadre.agents.conversations import UnknownConversation
from cadre.channels.feedback import FeedbackStore
from cadre.console._pages import ConsoleRoute, page, render
from cadre.server.auth import Caller, services_of

router = APIRouter(route_class=ConsoleRoute)
PAGE_SIZE = 25


@router.get("/conversations")
def conversation_list(
    request: Request,
    caller: Annotated[Caller, Depends(page("conversations:read"))],
    q: str = "",
    agent: str = "",
    language: str = "",
    topic: str = "",
    outcome: str = "",
    channel: str = "",
    status: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    db = services_of(request).db
    filters = reads.ConversationFilters(
        q=q, agent=agent, language=language, topic=topic, outcome=outcome, channel=channel, status=status
    )
    found = reads.search(db, filters, limit=PAGE_SIZE, offset=offset)
    return render(
        request,
        "conversations/list.html",
        caller,
        found=found,
        filters=filters,
        choices=reads.filter_choices(db),
        chart=_chart(reads.outcomes_by_language(db, filters)),
    )


@router.get("/conversations/{conversation_id}")
def conversation_page(
    request: Request, conversation_id: str, caller: Annotated[Caller, Depends(page("conversations:read"))]
) -> HTMLResponse:
    services = services_of(request)
    row = reads.conversation(services.db, conversation_id)
    if row is None:
        raise UnknownConversation(f"no conversation {conversation_id!r}")
    handoffs = [services.inbox.get(handoff_id) for handoff_id in reads.handoffs(services.db, conversation_id)]
    return render(
        request,
        "conversations/show.html",
        caller,
        conversation=row,
        messages=services.conversations.messages(conversation_id),
        turns=reads.turns(services.db, conversation_id),
        handoffs=handoffs,
        feedback=FeedbackStore(services.db).for_conversation(conversation_id),
    )


def _chart(counts: dict[str, dict[str, int]]) -> dict[str, Any]:
    """A stacked bar chart (plotly figure JSON): turns per language, one bar segment per outcome."""
    languages = sorted({language for by_language in counts.values() for language in by_language})
    traces = [
        {
            "type": "bar",
            "name": outcome,
            "x": languages,
            "y": [counts[outcome].get(language, 0) for language in languages],
        }
        for outcome in sorted(counts)
    ]
    layout = {
        "barmode": "stack",
        "height": 280,
        "margin": {"l": 40, "r": 10, "t": 10, "b": 40},
        "xaxis": {"title": {"text": "language"}},
        "yaxis": {"title": {"text": "turns"}},
        "legend": {"orientation": "h"},
    }
    return {"data": traces, "layout": layout}
