"""Schemathesis drives every operation of `/api/openapi.json` with generated requests, a bounded number each, as an
admin: no request gets a 5xx, and every refusal is a 4xx whose body says what was wrong. (Found this way: ids past
PostgreSQL's integers and Starlette's own 404/405 answering in another shape.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from cadre.server import api, openai_face
from cadre.server.app import create_app
from cadre.server.services import Services

EXAMPLES_PER_OPERATION = 12
MOUNTS = [api.mount, openai_face.mount]


def _routes_only() -> FastAPI:
    # The schema is read when the module is imported, before any fixture exists; the routes alone give the same
    # document as the served app (checked below), without a store behind them.
    app = FastAPI(openapi_url="/api/openapi.json")
    for mount in MOUNTS:
        mount(app)
    return app


SCHEMA = _routes_only().openapi()
schema = schemathesis.openapi.from_dict(SCHEMA)


@pytest.fixture(scope="module")
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services, mounts=MOUNTS), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def admin(services: Services) -> dict[str, str]:
    secret, _ = services.keys.create("admin", name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


def test_the_fuzzed_schema_is_the_served_one(client: TestClient) -> None:
    served = client.get("/api/openapi.json").json()
    assert {path: served["paths"][path] for path in SCHEMA["paths"]} == SCHEMA["paths"]  # (and /healthz)
    assert served["components"] == SCHEMA["components"]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_server_error(case: Any, client: TestClient, admin: dict[str, str]) -> None:
    request = case.as_transport_kwargs(base_url=str(client.base_url), headers=admin)
    request.pop("cookies", None)  # none are generated (the API takes keys, not cookies); httpx wants them unset
    if isinstance(request.get("data"), str | bytes):
        request["content"] = request.pop("data")  # a raw body, as httpx names it
    response = client.request(**request)
    where = f"{case.method} {case.formatted_path}"
    assert response.status_code < 500, (
        f"{where} {request.get('params')} -> {response.status_code}: {response.text[:300]}"
    )
    if response.status_code >= 400:
        error = response.json().get("error")
        if case.path.startswith("/v1/") and isinstance(error, dict):
            error = error.get("message")  # the OpenAI-compatible face's own errors are shaped as OpenAI's are
        assert isinstance(error, str) and error, f"{where} -> {response.text[:300]}"
