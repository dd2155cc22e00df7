"""Incident pages: the incidents alerts opened (unread ones counted), one incident's evidence and timeline, and what
a deployer does about it: acknowledge, annotate, resolve, kill or revive the agent, roll production back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from cadre.agents.killswitch import KillSwitch
from cadre.console._pages import ConsoleRoute, Refused, back_to, flash, page, render
from cadre.errors import CadreError
from cadre.observability.incidents import Incident, Incidents
from cadre.server.auth import Caller, services_of

router = APIRouter(route_class=ConsoleRoute)
Tab = Literal["unresolved", "open", "acknowledged", "resolved", "all"]
TABS: tuple[Tab, ...] = get_args(Tab)
PAGE_SIZE = 200
# Reading incidents is reading about agents; acting on them (and on the agent) is a deployer's job.
READ = "agents:read"
ACT = "agents:deploy"


def unread_count(request: Request) -> int:
    """Incidents nobody acknowledged yet: the number the console shows beside its Incidents menu item."""
    return Incidents(services_of(request).db).unread_count()


@router.get("/incidents")
def incident_list(
    request: Request, caller: Annotated[Caller, Depends(page(READ))], status: str = "unresolved", agent: str = ""
) -> HTMLResponse:
    if status not in TABS:
        raise Refused(422, f"status must be one of {', '.join(TABS)}, got {status!r}")
    tab: Tab = status  # narrowed by the check above
    incidents = _incidents(request)
    found = incidents.list(status=None if tab == "all" else tab, agent=agent or None, limit=PAGE_SIZE)
    return render(
        request,
        "incidents/list.html",
        caller,
        incidents=found,
        tab=tab,
        tabs=TABS,
        agent=agent,
        unread=incidents.unread_count(),
        killed=KillSwitch(services_of(request).db).killed_agents(),
    )


@router.get("/incidents/{incident_id}")
def incident_page(request: Request, incident_id: int, caller: Annotated[Caller, Depends(page(READ))]) -> HTMLResponse:
    incident = _incidents(request).get(incident_id)
    return render(
        request,
        "incidents/show.html",
        caller,
        incident=incident,
        switch=KillSwitch(services_of(request).db).state(incident.agent),
        chart=evidence_chart(incident),
    )


@router.post("/incidents/{incident_id}/ack")
def acknowledge(request: Request, incident_id: int, caller: Annotated[Caller, Depends(page(ACT))]) -> Response:
    return _act(request, incident_id, "Acknowledged.", lambda i: i.acknowledge(incident_id, by=_by(caller)))


@router.post("/incidents/{incident_id}/note")
def note(
    request: Request, incident_id: int, caller: Annotated[Caller, Depends(page(ACT))], text: Annotated[str, Form()]
) -> Response:
    return _act(request, incident_id, "Note added.", lambda i: i.note(incident_id, text, by=_by(caller)))


@router.post("/incidents/{incident_id}/resolve")
def resolve(
    request: Request,
    incident_id: int,
    caller: Annotated[Caller, Depends(page(ACT))],
    text: Annotated[str, Form()] = "",
) -> Response:
    return _act(request, incident_id, "Resolved.", lambda i: i.resolve(incident_id, by=_by(caller), note=text))


@router.post("/agents/{name}/kill")
def kill(
    request: Request,
    name: str,
    caller: Annotated[Caller, Depends(page(ACT))],
    reason: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    switch = KillSwitch(services_of(request).db)
    try:
        if switch.is_killed(name):
            flash(request, f"{name} was already killed; nothing changed.")
        else:
            switch.kill(name, _by(caller), reason)
            flash(request, f"Killed {name}: every new message goes to a person until it is revived.")
    except CadreError as exc:
        flash(request, exc.one_line(), kind="error")
    return back_to(_local(back, name))


@router.post("/agents/{name}/revive")
def revive(
    request: Request,
    name: str,
    caller: Annotated[Caller, Depends(page(ACT))],
    back: Annotated[str, Form()] = "",
) -> Response:
    switch = KillSwitch(services_of(request).db)
    if switch.is_killed(name):
        switch.revive(name, _by(caller))
        flash(request, f"Revived {name}: it answers new messages again.")
    else:
        flash(request, f"{name} was not killed; nothing changed.")
    return back_to(_local(back, name))


def evidence_chart(incident: Incident) -> dict[str, Any]:
    """The metric over the incident's window and the one before it, with the rule's threshold (plotly JSON)."""
    series = incident.evidence.get("series", [])
    since = incident.evidence.get("window", {}).get("since")
    earlier = [p for p in series if since is None or p["until"] <= since]
    during = [p for p in series if p not in earlier]
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": [p["until"] for p in points],  # each slice's value is drawn where the slice ends
            "y": [p["value"] for p in points],
            "connectgaps": False,
        }
        for name, points in (("window before", earlier), ("alert window", during))
        if points
    ]
    layout: dict[str, Any] = {
        "height": 260,
        "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
        "yaxis": {"title": {"text": incident.metric}},
        "legend": {"orientation": "h"},
    }
    threshold = incident.evidence.get("threshold")
    if threshold is not None and series:
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "x",
                "yref": "y",
                "x0": series[0]["until"],
                "x1": series[-1]["until"],
                "y0": threshold,
                "y1": threshold,
                "line": {"dash": "dash", "color": "#cf222e"},
            }
        ]
    return {"data": traces, "layout": layout}


def _act(request: Request, incident_id: int, done: str, action: Callable[[Incidents], object]) -> Response:
    try:
        action(_incidents(request))
    except CadreError as exc:
        flash(request, exc.one_line(), kind="error")
    else:
        flash(request, done)
    return back_to(f"/incidents/{incident_id}")


def _incidents(request: Request) -> Incidents:
    return Incidents(services_of(request).db)


def _by(caller: Caller) -> str:
    return f"console:{caller.name}"


def _local(path: str, agent: str) -> str:
    """Where a form asked to go back to, if it is a page of this console (never another site)."""
    if path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return f"/agents/{agent}"
