"""The data layer, read-only: sources, the catalog's entities, a unified profile, the policies, the audit log."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from cadre.data.audit import entry_json
from cadre.data.profiles import assemble_profile
from cadre.server.api.models import Offset
from cadre.server.auth import Caller, require, services_of

router = APIRouter(tags=["data"])
PROFILE_PRINCIPAL = "role:admin"  # the data layer's principal a profile is read as, unless the caller names one


class Source(BaseModel):
    name: str
    kind: str
    uri: str
    status: str
    error: str | None
    tables: list[str]


class SourceList(BaseModel):
    sources: list[Source]


class AuditPage(BaseModel):
    entries: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


@router.get("/data/sources", response_model=SourceList)
def sources(request: Request, _caller: Caller = Depends(require("data:read"))) -> dict[str, Any]:
    """Registered sources with their tables, read from the sources now (passwords in URIs redacted)."""
    listed = services_of(request).data.source_status()
    return {"sources": listed}


@router.get("/data/entities")
def entities(
    request: Request,
    check: Annotated[bool, Query(description="Check each entity against its source now.")] = False,
    _caller: Caller = Depends(require("data:read")),
) -> dict[str, Any]:
    """The semantic catalog: entities, where they live, their fields; identities; problems when checked."""
    return services_of(request).data.catalog_status(check=check)


@router.get("/data/profiles/{profile_id}")
def profile(
    profile_id: str,
    request: Request,
    principal: Annotated[str, Query(description="Whom the data layer reads as.")] = PROFILE_PRINCIPAL,
    purpose: Annotated[str, Query(min_length=1)] = "profile_review",
    _caller: Caller = Depends(require("profiles:read")),
) -> dict[str, Any]:
    """One person's unified profile, assembled from their linked records read in place now (governed and audited;
    entities the principal may not read are named in `withheld`)."""
    unified = assemble_profile(
        services_of(request).data, profile_id, principal=principal, purpose=purpose, partial=True
    )
    return dataclasses.asdict(unified)


@router.get("/data/policies")
def policies(request: Request, _caller: Caller = Depends(require("data:read"))) -> dict[str, Any]:
    """The governance policies in force: roles, principals and who may read what, for which purposes."""
    return services_of(request).data.policies.model_dump(mode="json")


@router.get("/data/audit", response_model=AuditPage)
def audit(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
    principal: str | None = None,
    _caller: Caller = Depends(require("data:read")),
) -> dict[str, Any]:
    """The audit log of reads and writes through the data layer, newest first."""
    log = services_of(request).data.audit
    newest = log.page(limit=limit, offset=offset, principal=principal)
    entries = [entry_json(r) for r in newest]
    return {"entries": entries, "total": log.count(), "limit": limit, "offset": offset}
