"""Agent pages: the deployed agents, one agent's versions with their rollout stages, a version's spec, a diff, and
what a deployer does: deploy a version, put one in a stage, promote it through its gates, roll production back."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from cadre.agents.promotion import promote as run_promotion
from cadre.agents.rollout import STAGES, Rollout, StageEvent, StagePlan, fold, parse_stage
from cadre.agents.specs import DeployedAgent, SpecInvalid, validate_text
from cadre.agents.stage_figures import stage_figures
from cadre.console._pages import ConsoleRoute, Refused, back_to, flash, page, render
from cadre.errors import CadreError
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


@dataclass(frozen=True)
class VersionRow:
    """One version on the agent's page: its deployment, the stage it holds now, and its last gate result."""

    deployed: DeployedAgent
    stage: str  # "production", "pilot 10%", "shadow" or "" (none)
    gate: StageEvent | None  # its last promotion, passed or refused

    @property
    def failing(self) -> list[str]:
        return failing_gates(self.gate) if self.gate else []


@router.get("/agents/{name}")
def agent_versions(
    request: Request, name: str, caller: Annotated[Caller, Depends(page("agents:read"))]
) -> HTMLResponse:
    versions = _versions(request, name)
    history = _rollout(request).history(name)
    plan = fold(name, history) if history else StagePlan(agent=name)
    rows = [
        VersionRow(v, _stage_of(v.version, plan, versions[0].version), _last_gate(history, v.version)) for v in versions
    ]
    return render(
        request,
        "agents/versions.html",
        caller,
        name=name,
        versions=rows,
        recorded=bool(history),
        figures=stage_figures(services_of(request).db, plan, latest=versions[0].version),
        history=list(reversed(history)),
        stages=STAGES,
    )


@router.get("/agents/{name}/stages/{event_id}")
def stage_event(
    request: Request, name: str, event_id: int, caller: Annotated[Caller, Depends(page("agents:read"))]
) -> HTMLResponse:
    """One stage change; for a promotion, passed or refused, its gate table and the runs it compared."""
    found = [e for e in _rollout(request).history(name) if e.id == event_id]
    if not found:
        raise Refused(404, f"agent {name!r} must have a stage change {event_id}, got none with that id")
    return render(request, "agents/stage_event.html", caller, name=name, event=found[0])


@router.post("/agents/{name}/rollback")
def rollback(request: Request, name: str, caller: Annotated[Caller, Depends(page("agents:deploy"))]) -> Response:
    try:
        event = _rollout(request).rollback(name, by=f"console:{caller.name}")
    except CadreError as exc:
        flash(request, exc.one_line(), kind="error")
    else:
        flash(request, f"Rolled production back to v{event.version} (from v{(event.gates or {}).get('from')}).")
    return back_to(f"/agents/{name}")


@router.post("/agents/{name}/rollout")
def rollout(
    request: Request,
    name: str,
    caller: Annotated[Caller, Depends(page("agents:deploy"))],
    version: Annotated[int, Form(ge=1)],
    stage: Annotated[str, Form()],
    share: Annotated[str, Form()] = "",
) -> Response:
    """Put a version in a stage without gates, as `cadre agents rollout` does; the share goes with a pilot only."""
    try:
        stage_name, pilot_share = parse_stage(f"pilot:{share.strip().rstrip('%')}%" if stage == "pilot" else stage)
        _rollout(request).record(name, version, stage_name, share=pilot_share, by=f"console:{caller.name}")
    except CadreError as exc:
        flash(request, exc.one_line(), kind="error")
    else:
        where = f"a pilot on {pilot_share:.0%} of new conversations" if pilot_share else stage_name
        flash(request, f"v{version} is now {where}.")
    return back_to(f"/agents/{name}")


@router.post("/agents/{name}/promote")
def promote(
    request: Request,
    name: str,
    caller: Annotated[Caller, Depends(page("agents:deploy"))],
    version: Annotated[int, Form(ge=1)],
) -> Response:
    """Run the version's gate suite as a background job when the server has a queue (the result appears in the
    stage history); an app without one (tests, embedding) runs it here and shows the gate table."""
    services = services_of(request)
    jobs = getattr(request.app.state, "jobs", None)
    if jobs is not None:
        queued = jobs.enqueue(
            "cadre.promote", key=f"{name}@{version}", agent=name, version=version, by=f"console:{caller.name}"
        )
        flash(request, f"v{version}'s gate suite is running (job {queued.job_id}); the result appears in the history.")
        return back_to(f"/agents/{name}")
    try:
        done = run_promotion(
            services.runtime, _rollout(request), services.db, name, version, by=f"console:{caller.name}"
        )
    except CadreError as exc:
        flash(request, exc.one_line(), kind="error")
        return back_to(f"/agents/{name}")
    if done.promoted:
        flash(request, f"v{version} passed its gates and is now production.")
    else:
        failing = ", ".join(check.metric for check in done.failing)
        flash(request, f"v{version} was refused: failing gates {failing}.", kind="error")
    return back_to(f"/agents/{name}/stages/{done.event.id}")


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


def failing_gates(event: StageEvent) -> list[str]:
    """The gates a promotion failed, from its recorded checks."""
    checks: list[dict[str, Any]] = (event.gates or {}).get("checks", [])
    return [check["metric"] for check in checks if not check["passed"]]


def _rollout(request: Request) -> Rollout:
    services = services_of(request)
    return Rollout(services.db, services.versions)


def _stage_of(version: int, plan: StagePlan, latest: int) -> str:
    # Without a recorded production version the latest deployed one serves, as the runtime does.
    if version == (plan.production or latest):
        return "production"
    if version == plan.pilot:
        return f"pilot {plan.pilot_share:.0%}"
    return "shadow" if version == plan.shadow else ""


def _last_gate(history: list[StageEvent], version: int) -> StageEvent | None:
    gated = [e for e in history if e.version == version and e.action in ("promote", "refused")]
    return gated[-1] if gated else None
