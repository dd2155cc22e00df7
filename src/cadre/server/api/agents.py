"""Agents: the deployed ones, a version's spec, deploying a new version from YAML, comparing two versions."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from cadre.agents.specs import SpecInvalid, validate_text
from cadre.server.api.models import LARGEST_ID, Strict
from cadre.server.auth import Caller, require, services_of
from cadre.store.base import aware

router = APIRouter(tags=["agents"])
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")
SPEC_MAX_BYTES = 1_000_000


class AgentSummary(BaseModel):
    name: str
    version: int
    description: str
    engine: str
    languages: list[str]
    channels: list[str]
    topics: list[str]
    deployed_at: str


class AgentList(BaseModel):
    agents: list[AgentSummary]


class AgentVersion(BaseModel):
    name: str
    version: int
    deployed_at: str
    deployed_by: str
    digest: str
    source: str = Field(description="The YAML as deployed, comments included.")
    spec: dict[str, Any]


class SpecSource(Strict):
    source: str = Field(min_length=1, description="The agent spec as YAML.")


class Deployed(BaseModel):
    agent: str
    version: int
    created: bool = Field(description="False: the spec equals the latest version, nothing new was deployed.")


class VersionDiff(BaseModel):
    agent: str
    from_: int = Field(alias="from")
    to: int
    changed: list[str] = Field(description="Dotted paths of the spec that differ.")
    diff: str = Field(description="The YAML as a unified diff.")


@router.get("/agents", response_model=AgentList)
def list_agents(request: Request, _caller: Caller = Depends(require("agents:read"))) -> dict[str, Any]:
    """Deployed agents with their latest version."""
    return {"agents": services_of(request).versions.list()}


@router.get("/agents/{name}", response_model=AgentVersion)
def show_agent(
    name: str,
    request: Request,
    version: Annotated[int | None, Query(ge=1, le=LARGEST_ID, description="A version (default: the latest).")] = None,
    _caller: Caller = Depends(require("agents:read")),
) -> dict[str, Any]:
    deployed = services_of(request).versions.get(name, version)
    return {
        "name": deployed.spec.name,
        "version": deployed.version,
        "deployed_at": aware(deployed.created_at).isoformat(),
        "deployed_by": deployed.deployed_by,
        "digest": deployed.digest,
        "source": deployed.source,
        "spec": deployed.spec.model_dump(mode="json"),
    }


@router.post(
    "/agents",
    response_model=Deployed,
    status_code=201,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/yaml": {"schema": {"type": "string"}},
                "application/json": {"schema": SpecSource.model_json_schema()},
            },
        }
    },
    responses={200: {"description": "The spec equals the latest version; nothing was deployed."}},
)
async def deploy_agent(
    request: Request, response: Response, caller: Caller = Depends(require("agents:deploy"))
) -> JSONResponse | dict[str, Any]:
    """Deploy a spec (YAML as the body, or `{"source": yaml}`) as the agent's next immutable version."""
    source = await _spec_source(request)
    services = services_of(request)
    try:
        validate_text(source, services.actions, origin="request")
    except SpecInvalid as exc:
        problems = exc.problems or [str(exc)]
        return JSONResponse({"error": f"the agent spec is invalid: {problems[0]}", "problems": problems}, 422)
    # The versions store deploys from a file, so the YAML is kept exactly as sent (comments included).
    with tempfile.TemporaryDirectory(prefix="cadre-deploy-") as folder:
        path = Path(folder) / "spec.yaml"
        path.write_text(source, encoding="utf-8")
        done = services.versions.deploy(path, deployed_by=caller.name)
    if not done.created:
        response.status_code = 200
    return {"agent": done.agent, "version": done.version, "created": done.created}


@router.get("/agents/{name}/diff", response_model=VersionDiff, response_model_by_alias=True)
def diff_versions(
    name: str,
    request: Request,
    a: Annotated[int, Query(ge=1, le=LARGEST_ID, description="From version.")],
    b: Annotated[int, Query(ge=1, le=LARGEST_ID, description="To version.")],
    _caller: Caller = Depends(require("agents:read")),
) -> dict[str, Any]:
    """What changed from version `a` to `b`."""
    return services_of(request).versions.diff(name, a, b)


async def _spec_source(request: Request) -> str:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if len(body) > SPEC_MAX_BYTES:
        raise HTTPException(413, f"an agent spec must be at most {SPEC_MAX_BYTES} bytes, got {len(body)}")
    if content_type in YAML_TYPES:
        text = body.decode("utf-8", errors="replace")
    elif content_type == "application/json":
        try:
            text = SpecSource.model_validate(json.loads(body)).source
        except (json.JSONDecodeError, ValidationError) as exc:
            raise HTTPException(422, 'the body must be `{"source": "<the spec as YAML>"}`') from exc
    else:
        raise HTTPException(
            415, f'send the spec as application/yaml or as JSON {{"source": …}}, got {content_type or "no type"!r}'
        )
    if not text.strip():
        raise HTTPException(422, "the agent spec is empty")
    return text
