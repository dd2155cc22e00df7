"""Knowledge: collections, their documents, the curation report, and curators' decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from cadre.errors import NotFound
from cadre.knowledge.curate import CurationSettings, curate, latest_report
from cadre.knowledge.listing import collection_documents
from cadre.knowledge.models import DecisionKind
from cadre.knowledge.store import DecisionRow
from cadre.server.api.models import Offset, RowId, Strict
from cadre.server.auth import Caller, require, services_of
from cadre.store.base import aware

router = APIRouter(tags=["knowledge"])


class Collection(BaseModel):
    collection: str
    documents: int
    chunks: int
    languages: dict[str, int] = Field(description="Documents per language.")


class CollectionList(BaseModel):
    collections: list[Collection]


class DocumentPage(BaseModel):
    collection: str
    documents: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


class CurationRun(Strict):
    stale_days: int = Field(365, ge=1, description="Age past which a superseded document is stale.")


class DecisionIn(Strict):
    kind: DecisionKind = Field(description="prefer (the first wins), deprecate, or merge (into the first).")
    doc_ids: list[str] = Field(min_length=1)
    note: str | None = Field(None, max_length=2000, description="Why, for whoever reads the decision later.")


class Decision(BaseModel):
    id: int
    collection: str
    kind: str
    doc_ids: list[str]
    note: str | None
    decided_by: str
    created_at: str
    revoked: bool


class DecisionList(BaseModel):
    decisions: list[Decision]


@router.get("/knowledge/collections", response_model=CollectionList)
def collections(request: Request, _caller: Caller = Depends(require("knowledge:read"))) -> dict[str, Any]:
    return {"collections": services_of(request).knowledge.collections()}


@router.get("/knowledge/collections/{collection}/documents", response_model=DocumentPage)
def documents(
    collection: str,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
    _caller: Caller = Depends(require("knowledge:read")),
) -> dict[str, Any]:
    """The collection's documents by id, each with the languages it is written in."""
    listed, total = collection_documents(services_of(request).db, collection, limit=limit, offset=offset)
    return {"collection": collection, "documents": listed, "total": total, "limit": limit, "offset": offset}


@router.get("/knowledge/collections/{collection}/curation")
def curation_report(
    collection: str, request: Request, _caller: Caller = Depends(require("knowledge:read"))
) -> dict[str, Any]:
    """The latest curation report: near-duplicates, conflicting facts, stale documents, overlapping sources and
    passages written as instructions to a model."""
    report = latest_report(services_of(request).db, collection)
    if report is None:
        raise NotFound(
            f"collection {collection!r} has no curation report yet",
            hint=f"POST /api/knowledge/collections/{collection}/curation runs one",
        )
    return report


@router.post("/knowledge/collections/{collection}/curation", status_code=201)
def run_curation(
    collection: str,
    request: Request,
    body: CurationRun | None = None,
    _caller: Caller = Depends(require("knowledge:curate")),
) -> dict[str, Any]:
    """Curate the collection now; the report is stored and becomes the latest."""
    settings = CurationSettings(stale_days=(body or CurationRun()).stale_days)
    return curate(services_of(request).db, collection, settings)


@router.get("/knowledge/collections/{collection}/decisions", response_model=DecisionList)
def decisions(
    collection: str, request: Request, _caller: Caller = Depends(require("knowledge:read"))
) -> dict[str, Any]:
    """Curators' decisions on the collection, oldest first (revoked ones marked)."""
    return {"decisions": [_decision(row) for row in services_of(request).knowledge.decisions(collection)]}


@router.post("/knowledge/collections/{collection}/decisions", response_model=Decision, status_code=201)
def decide(
    collection: str, body: DecisionIn, request: Request, caller: Caller = Depends(require("knowledge:curate"))
) -> dict[str, Any]:
    """Record a decision; retrieval honours it from the next query on."""
    row = services_of(request).knowledge.decide(
        body.kind, body.doc_ids, collection=collection, note=body.note, decided_by=caller.name
    )
    return _decision(row)


@router.post("/knowledge/decisions/{decision_id}/revoke", status_code=204)
def revoke_decision(
    decision_id: RowId, request: Request, _caller: Caller = Depends(require("knowledge:curate"))
) -> None:
    """Withdraw a decision; retrieval stops honouring it from the next query on."""
    services_of(request).knowledge.revoke(decision_id)


def _decision(row: DecisionRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "collection": row.collection,
        "kind": row.kind,
        "doc_ids": list(row.doc_ids),
        "note": row.note,
        "decided_by": row.decided_by,
        "created_at": aware(row.created_at).isoformat(),
        "revoked": row.revoked_at is not None,
    }
