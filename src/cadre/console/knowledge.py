"""Knowledge pages: collections, a collection's documents, the curation report, and curators' decisions."""

from __future__ import annotations

import re
from typing import Annotated, get_args

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from cadre.console._pages import ConsoleRoute, Refused, back_to, flash, page, render
from cadre.errors import CadreError
from cadre.knowledge.curate import curate, latest_report
from cadre.knowledge.listing import documents
from cadre.knowledge.models import DecisionKind
from cadre.server.auth import Caller, services_of

router = APIRouter(route_class=ConsoleRoute)
PAGE_SIZE = 50
KINDS: tuple[DecisionKind, ...] = get_args(DecisionKind)


@router.get("/knowledge")
def collections(request: Request, caller: Annotated[Caller, Depends(page("knowledge:read"))]) -> HTMLResponse:
    return render(
        request, "knowledge/collections.html", caller, collections=services_of(request).knowledge.collections()
    )


@router.get("/knowledge/{collection}")
def collection_documents(
    request: Request,
    collection: str,
    caller: Annotated[Caller, Depends(page("knowledge:read"))],
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    listed, total = documents(services_of(request).db, collection, limit=PAGE_SIZE, offset=offset)
    if total == 0:
        raise Refused(404, f"collection {collection!r} has no documents")
    return render(
        request,
        "knowledge/documents.html",
        caller,
        collection=collection,
        documents=listed,
        total=total,
        offset=offset,
        limit=PAGE_SIZE,
    )


@router.get("/knowledge/{collection}/curation")
def curation(
    request: Request, collection: str, caller: Annotated[Caller, Depends(page("knowledge:read"))]
) -> HTMLResponse:
    services = services_of(request)
    return render(
        request,
        "knowledge/curation.html",
        caller,
        collection=collection,
        report=latest_report(services.db, collection),
        decisions=services.knowledge.decisions(collection),
        kinds=KINDS,
    )


@router.post("/knowledge/{collection}/curation")
def run_curation(
    request: Request, collection: str, caller: Annotated[Caller, Depends(page("knowledge:curate"))]
) -> Response:
    report = curate(services_of(request).db, collection)
    found = sum(len(report[k]) for k in ("near_duplicates", "conflicts", "stale"))
    flash(request, f"Curation report made by {caller.name}: {found} finding(s).")
    return back_to(f"/knowledge/{collection}/curation")


@router.post("/knowledge/{collection}/decisions")
def record_decision(
    request: Request,
    collection: str,
    caller: Annotated[Caller, Depends(page("knowledge:curate"))],
    kind: Annotated[str, Form()],
    doc_ids: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    ids = [d for d in re.split(r"[\s,]+", doc_ids) if d]
    try:
        if kind not in KINDS:
            raise CadreError(f"a decision must be one of {', '.join(KINDS)}, got {kind!r}")
        decision = services_of(request).knowledge.decide(
            kind,  # checked against KINDS just above
            ids,
            collection=collection,
            note=note.strip() or None,
            decided_by=f"console:{caller.name}",
        )
    except CadreError as exc:
        flash(request, exc.one_line(), kind="error")
    else:
        flash(request, f"Decision {decision.id} recorded: {decision.kind} {', '.join(decision.doc_ids)}.")
    return back_to(f"/knowledge/{collection}/curation")


@router.post("/knowledge/{collection}/decisions/{decision_id}/revoke")
def revoke_decision(
    request: Request,
    collection: str,
    decision_id: int,
    caller: Annotated[Caller, Depends(page("knowledge:curate"))],
) -> Response:
    services_of(request).knowledge.revoke(decision_id)
    flash(request, f"Decision {decision_id} revoked by {caller.name}; retrieval no longer applies it.")
    return back_to(f"/knowledge/{collection}/curation")
