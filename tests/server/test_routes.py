"""Every route: listed in the OpenAPI document, refusing callers without credentials (401) or the role (403)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cadre.access.roles import GRANTS, ROLES, Capability
from tests.server.conftest import KeyFor

# (method, path, the capability it needs); None: the route decides per conversation (converse or reading).
ROUTES: list[tuple[str, str, Capability | None]] = [
    ("POST", "/api/conversations", "converse"),
    ("GET", "/api/conversations", "conversations:read"),
    ("GET", "/api/conversations/{conversation_id}", None),
    ("POST", "/api/conversations/{conversation_id}/messages", "converse"),
    ("POST", "/api/conversations/{conversation_id}/messages/stream", "converse"),
    ("POST", "/api/conversations/{conversation_id}/feedback", "converse"),
    ("GET", "/api/handoffs", "inbox"),
    ("GET", "/api/handoffs/{handoff_id}", "inbox"),
    ("POST", "/api/handoffs/{handoff_id}/claim", "inbox"),
    ("POST", "/api/handoffs/{handoff_id}/reply", "inbox"),
    ("POST", "/api/handoffs/{handoff_id}/return", "inbox"),
    ("POST", "/api/handoffs/{handoff_id}/resolve", "inbox"),
    ("GET", "/api/agents", "agents:read"),
    ("POST", "/api/agents", "agents:deploy"),
    ("GET", "/api/agents/{name}", "agents:read"),
    ("GET", "/api/agents/{name}/diff", "agents:read"),
    ("GET", "/api/knowledge/collections", "knowledge:read"),
    ("GET", "/api/knowledge/collections/{collection}/documents", "knowledge:read"),
    ("GET", "/api/knowledge/collections/{collection}/curation", "knowledge:read"),
    ("POST", "/api/knowledge/collections/{collection}/curation", "knowledge:curate"),
    ("GET", "/api/knowledge/collections/{collection}/decisions", "knowledge:read"),
    ("POST", "/api/knowledge/collections/{collection}/decisions", "knowledge:curate"),
    ("POST", "/api/knowledge/decisions/{decision_id}/revoke", "knowledge:curate"),
    ("GET", "/api/data/sources", "data:read"),
    ("GET", "/api/data/entities", "data:read"),
    ("GET", "/api/data/profiles/{profile_id}", "profiles:read"),
    ("GET", "/api/data/policies", "data:read"),
    ("GET", "/api/data/audit", "data:read"),
    ("POST", "/api/keys", "keys"),
    ("GET", "/api/keys", "keys"),
    ("POST", "/api/keys/{prefix}/revoke", "keys"),
    ("POST", "/v1/chat/completions", "converse"),
    ("GET", "/v1/models", "converse"),
]
API_DOC = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
SAMPLE_PARAMS = {"conversation_id": "c-1", "handoff_id": "1", "name": "service", "collection": "help",
                 "decision_id": "1", "profile_id": "p-1", "prefix": "abcd"}  # fmt: skip


def _url(path: str) -> str:
    return path.format(**SAMPLE_PARAMS)


def _error(response: Any) -> str:
    """The message of an error body: `{"error": message}`, or OpenAI's `{"error": {"message": …}}` under `/v1`."""
    error = response.json()["error"]
    return str(error["message"] if isinstance(error, dict) else error)


def test_the_openapi_document_lists_exactly_the_routes_of_the_table(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    documented = {(method.upper(), path) for path, operations in paths.items() for method in operations}
    documented.discard(("GET", "/healthz"))  # the core's, not the API's
    assert documented == {(method, path) for method, path, _ in ROUTES}


def test_the_openapi_document_describes_the_bodies(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert {"NewConversation", "MessageIn", "FeedbackIn", "ReplyIn", "DecisionIn", "NewKey", "Turn"} <= set(schemas)
    assert schemas["FeedbackIn"]["properties"]["csat"]["anyOf"][0]["maximum"] == 5
    deploy = document["paths"]["/api/agents"]["post"]["requestBody"]["content"]
    assert {"application/yaml", "application/json"} <= set(deploy)
    assert "text/event-stream" in document["paths"]["/api/conversations/{conversation_id}/messages/stream"]["post"][
        "responses"]["200"]["content"]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "capability"), ROUTES)
def test_every_route_is_documented_with_its_capability(method: str, path: str, capability: Capability | None) -> None:
    heading = re.search(rf"^### `{method} {re.escape(path)}[`\[?].*$", API_DOC, re.MULTILINE)
    assert heading is not None, f"docs/api.md has no heading for {method} {path}"
    assert f"— {capability or 'conversations:read, or converse'}" in heading.group(0)


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in ROUTES])
def test_without_a_valid_key_every_route_is_401(client: TestClient, method: str, path: str) -> None:
    missing = client.request(method, _url(path))
    assert missing.status_code == 401 and _error(missing).startswith("sign in, or send an API key")
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = client.request(method, _url(path), headers={"Authorization": "Bearer cadre_0000_not-a-key"})
    assert wrong.status_code == 401 and _error(wrong) == "the API key is unknown or revoked"


@pytest.mark.parametrize(("method", "path", "capability"), [r for r in ROUTES if r[2] is not None])
def test_every_route_refuses_roles_without_its_capability(
    client: TestClient, key: KeyFor, method: str, path: str, capability: Capability
) -> None:
    lacking = [role for role in ROLES if capability not in GRANTS[role]]
    assert lacking, f"every role holds {capability!r}"
    for role in lacking:
        headers = key(role, agent="service" if role == "channel" else None)
        response = client.request(method, _url(path), headers=headers)
        assert response.status_code == 403, (role, response.text)
        assert _error(response) == f"the {role} role may not do this (needs {capability!r})"
