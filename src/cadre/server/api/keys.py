"""API keys, for administrators: create one (its secret is shown once), list them, revoke one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from cadre.access.roles import Role
from cadre.server.api.models import Strict
from cadre.server.auth import Caller, require, services_of

router = APIRouter(tags=["keys"])


class NewKey(Strict):
    role: Role
    agent: str | None = Field(None, min_length=1, description="The one agent a channel key talks to.")
    name: str | None = Field(None, max_length=200, description="What the key is for, e.g. `help-portal widget`.")


class KeyOut(BaseModel):
    id: int
    prefix: str
    role: str
    agent: str | None
    name: str | None
    created_at: str
    revoked: bool


class CreatedKey(KeyOut):
    key: str = Field(description="The secret: shown this once, never stored in clear.")


class KeyList(BaseModel):
    keys: list[KeyOut]


@router.post("/keys", response_model=CreatedKey, status_code=201)
def create_key(body: NewKey, request: Request, _caller: Caller = Depends(require("keys"))) -> dict[str, Any]:
    secret, key = services_of(request).keys.create(body.role, agent=body.agent, name=body.name)
    return {"key": secret, **key.to_json()}


@router.get("/keys", response_model=KeyList)
def list_keys(request: Request, _caller: Caller = Depends(require("keys"))) -> dict[str, Any]:
    return {"keys": [key.to_json() for key in services_of(request).keys.list()]}


@router.post("/keys/{prefix}/revoke", response_model=KeyOut)
def revoke_key(prefix: str, request: Request, _caller: Caller = Depends(require("keys"))) -> dict[str, Any]:
    """Revoke a key by its prefix; it stops working at once."""
    return services_of(request).keys.revoke(prefix).to_json()
