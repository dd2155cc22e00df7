"""Agent pages: the deployed agents, one agent's versions, a version's spec, a diff, and deploying a new version."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from cadre.agents.specs import DeployedAgent, SpecInvalid, validate_text
from cadre.console._pages import ConsoleRoute, back_to, flash, page, render
from cadre.server.auth import Caller, services_of

router = APIRouter(route_class=ConsoleRoute)
PASTED = "pasted spec"  # how errors name the text from the form, instead of a temporary file's path


@router.get("/agents")
def agent_list(request: Request, caller: Annotated[Caller, Depends(page("agents:read"))]) -> HTMLResponse:
    return render(request, "agents/list.html", caller, agents=services_of(request).versions.list())


@router.get("/agents/deploy")
def deploy_form(request: Request, caller: Annotated[Caller, Depends(page("agents:deploy"))]) -> HTMLResponse:
    return render(request, "agents/deploy.html", caller, source="", problems=[])


@router.post("/agents/deploy")
def deploy(
    request: Request,
    caller: Annotated[Caller, Depends(page("agents:deploy"))],
    source: Annotated[str, Form()] = "",
) -> Response:
    services = services_of(request)
    try:
        validate_text(source, services.actions, origin=PASTED)
        # The versions store keeps the YAML as deployed, comments included; it reads it from a file.
        with tempfile.TemporaryDirectory(prefix="cadre-deploy-") as folder:
            path = Path(folder) / "agent.yaml"
            path.write_text(source, encoding="utf-8")
            try:
                deployment = services.versions.deploy(path, deployed_by=f"console:{caller.name}")
            except SpecInvalid as exc:
                raise SpecInvalid(
                    str(exc).replace(str(path), PASTED), [p.replace(str(path), PASTED) for p in exc.problems]
                ) from exc
    except SpecInvalid as exc:
        return render(request, "agents/deploy.html", caller, status_code=422, source=source, problems=exc.problems)
    if deployment.created:
        flash(request, f"Deployed {deployment.agent} version {deployment.version}.")
    else:
        flash(request, f"{deployment.agent} version {deployment.version} already has this spec; nothing deployed.")
    return back_to(f"/agents/{deployment.agent}")


@router.get("/agents/{name}")
def agent_versions(
    request: Request, name: str, caller: Annotated[Caller, Depends(page("agents:read"))]
) -> HTMLResponse:
    return render(request, "agents/versions.html", caller, name=name, versions=_versions(request, name))


@router.get("/agents/{name}/versions/{version}")
def agent_spec(
    request: Request, name: str, version: int, caller: Annotated[Caller, Depends(page("agents:read"))]
) -> HTMLResponse:
    deployed = services_of(request).versions.get(name, version)
    return render(request, "agents/spec.html", caller, name=name, deployed=deployed)


@router.get("/agents/{name}/diff")
def agent_diff(
    request: Request,
    name: str,
    caller: Annotated[Caller, Depends(page("agents:read"))],
    a: Annotated[int | None, Query(alias="from", ge=1)] = None,
    b: Annotated[int | None, Query(alias="to", ge=1)] = None,
) -> HTMLResponse:
    versions = services_of(request).versions
    latest = versions.get(name).version
    to = b or latest
    since = a or max(to - 1, 1)
    return render(request, "agents/diff.html", caller, name=name, latest=latest, diff=versions.diff(name, since, to))


def _versions(request: Request, name: str) -> list[DeployedAgent]:
    """Every version of the agent, newest first."""
    versions = services_of(request).versions
    latest = versions.get(name)
    return [latest, *(versions.get(name, number) for number in range(latest.version - 1, 0, -1))]
