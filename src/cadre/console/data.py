"""Data pages: sources, the semantic catalog, one unified profile, the policies, and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from cadre.console._pages import ConsoleRoute, page, render
from cadre.console._profile_lookup import console_principal, profiles_with_email, read_profile
from cadre.errors import NotFound
from cadre.server.auth import Caller, services_of

router = APIRouter(route_class=ConsoleRoute)
AUDIT_PAGE = 50


@router.get("/data/sources")
def sources(request: Request, caller: Annotated[Caller, Depends(page("data:read"))]) -> HTMLResponse:
    listed = services_of(request).data.source_status()
    return render(request, "data/sources.html", caller, sources=listed)


@router.get("/data/entities")
def entities(request: Request, caller: Annotated[Caller, Depends(page("data:read"))]) -> HTMLResponse:
    catalog = services_of(request).data.catalog
    return render(request, "data/entities.html", caller, entities=catalog.entities, identities=catalog.identities)


@router.get("/data/policies")
def policies(request: Request, caller: Annotated[Caller, Depends(page("data:read"))]) -> HTMLResponse:
    return render(request, "data/policies.html", caller, policies=services_of(request).data.policies)


@router.get("/data/audit")
def audit(
    request: Request,
    caller: Annotated[Caller, Depends(page("data:read"))],
    offset: Annotated[int, Query(ge=0)] = 0,
    principal: str = "",
) -> HTMLResponse:
    data = services_of(request).data
    entries = data.audit.page(limit=AUDIT_PAGE, offset=offset, principal=principal.strip() or None)
    return render(
        request,
        "data/audit.html",
        caller,
        entries=entries,
        total=data.audit.count(),
        offset=offset,
        limit=AUDIT_PAGE,
        principal=principal.strip(),
    )


@router.get("/data/profiles")
def profiles(request: Request, caller: Annotated[Caller, Depends(page("profiles:read"))], q: str = "") -> HTMLResponse:
    """Look a profile up by its id, or by an e-mail address its records carry."""
    data = services_of(request).data
    who = console_principal(caller.name, caller.role)
    query = q.strip()
    matches: list[str] = []
    withheld: list[str] = []
    profile = None
    problem = None
    if "@" in query:
        matches, withheld = profiles_with_email(data, query, who)
        if not matches:
            problem = f"no unified profile has a record with e-mail {query!r}"
    elif query:
        matches = [query]
    if len(matches) == 1:
        try:
            profile = read_profile(data, matches[0], who)
        except NotFound as exc:
            problem = exc.one_line()
    return render(
        request,
        "data/profile.html",
        caller,
        q=query,
        matches=matches,
        withheld=withheld,
        profile=profile,
        problem=problem,
    )
