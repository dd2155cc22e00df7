"""The hand-off inbox: queues, hand-offs by status, one hand-off with its transcript, and what a human does with it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Annotated, get_args

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from cadre.agents.inbox import HandoffError, HandoffStatus
from cadre.console._pages import ConsoleRoute, Refused, back_to, flash, page, render
from cadre.errors import CadreError
from cadre.server.auth import Caller, services_of

router = APIRouter(route_class=ConsoleRoute)
STATUSES: tuple[HandoffStatus, ...] = get_args(HandoffStatus)


@router.get("/inbox")
def inbox_list(
    request: Request, caller: Annotated[Caller, Depends(page("inbox"))], queue: str = "", status: str = "open"
) -> HTMLResponse:
    if status not in STATUSES:
        raise Refused(422, f"status must be one of {', '.join(STATUSES)}, got {status!r}")
    inbox = services_of(request).inbox
    every = inbox.list(status=None)
    queues = Counter(h.queue for h in every if h.status in ("open", "claimed"))
    by_status = Counter(h.status for h in every if not queue or h.queue == queue)
    listed = [h for h in every if h.status == status and (not queue or h.queue == queue)]
    return render(
        request,
        "inbox/list.html",
        caller,
        handoffs=listed,
        queues=sorted(queues.items()),
        by_status=by_status,
        statuses=STATUSES,
        queue=queue,
        status=status,
        latest_id=max((h.id for h in every), default=0),
    )


@router.get("/inbox/{handoff_id}")
def handoff_page(request: Request, handoff_id: int, caller: Annotated[Caller, Depends(page("inbox"))]) -> HTMLResponse:
    services = services_of(request)
    try:
        handoff = services.inbox.get(handoff_id)
    except HandoffError as exc:  # the only way `get` fails: there is no such hand-off
        raise Refused(404, exc.one_line()) from exc
    messages = services.conversations.messages(handoff.conversation_id)
    return render(request, "inbox/show.html", caller, handoff=handoff, messages=messages)


@router.post("/inbox/{handoff_id}/claim")
def claim(request: Request, handoff_id: int, caller: Annotated[Caller, Depends(page("inbox"))]) -> Response:
    return _act(request, handoff_id, "Claimed", lambda: services_of(request).inbox.claim(handoff_id, by=caller.name))


@router.post("/inbox/{handoff_id}/reply")
def reply(
    request: Request,
    handoff_id: int,
    caller: Annotated[Caller, Depends(page("inbox"))],
    text: Annotated[str, Form()] = "",
) -> Response:
    def send() -> object:
        delivered = services_of(request).delivery.human_reply(handoff_id, text, by=caller.name)
        return delivered.sent_via

    return _act(request, handoff_id, "Reply sent", send)


@router.post("/inbox/{handoff_id}/return")
def return_to_agent(request: Request, handoff_id: int, caller: Annotated[Caller, Depends(page("inbox"))]) -> Response:
    inbox = services_of(request).inbox
    return _act(request, handoff_id, "Returned to the agent", lambda: inbox.return_to_agent(handoff_id, by=caller.name))


@router.post("/inbox/{handoff_id}/resolve")
def resolve(request: Request, handoff_id: int, caller: Annotated[Caller, Depends(page("inbox"))]) -> Response:
    return _act(request, handoff_id, "Resolved", lambda: services_of(request).inbox.resolve(handoff_id, by=caller.name))


def _act(request: Request, handoff_id: int, done: str, action: Callable[[], object]) -> Response:
    """Run `action`; a hand-off in the wrong state (or a channel that could not send) is a note on the page."""
    try:
        result = action()
    except CadreError as exc:
        flash(request, exc.one_line(), kind="error")
    else:
        via = f" (via {result})" if isinstance(result, str) and result != "transcript" else ""
        flash(request, f"{done}{via}.")
    return back_to(f"/inbox/{handoff_id}")
