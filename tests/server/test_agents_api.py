"""Agents over the API: list, show a version, deploy a spec (YAML or JSON), compare two versions."""

from __future__ import annotations

import uuid
from importlib.resources import files

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import KeyFor

CONCIERGE = (files("cadre.sample") / "agents" / "concierge.yaml").read_text(encoding="utf-8")


@pytest.fixture
def spec() -> tuple[str, str]:
    """A copy of the concierge under a name of its own (the sample company is shared by the whole session)."""
    name = f"probe_{uuid.uuid4().hex[:8]}"
    return name, CONCIERGE.replace("name: concierge", f"name: {name}", 1)


def test_list_and_show_the_deployed_agents(client: TestClient, key: KeyFor) -> None:
    analyst = key("analyst")
    listed = client.get("/api/agents", headers=analyst).json()["agents"]
    assert {"service", "sdr", "seller_assistant", "concierge"} <= {a["name"] for a in listed}
    service = client.get("/api/agents/service", headers=analyst).json()
    assert service["name"] == "service" and "name: service" in service["source"]
    assert service["spec"]["channels"] == ["web", "api", "email"]
    missing = client.get("/api/agents/service?version=999", headers=analyst)
    assert missing.status_code == 404 and "agent 'service' version 999 is not deployed" in missing.json()["error"]


def test_deploy_yaml_then_json_then_compare(client: TestClient, key: KeyFor, spec: tuple[str, str]) -> None:
    name, source = spec
    builder = key("builder")
    first = client.post("/api/agents", content=source, headers={**builder, "Content-Type": "application/yaml"})
    assert first.status_code == 201 and first.json() == {"agent": name, "version": 1, "created": True}
    same = client.post("/api/agents", json={"source": source}, headers=builder)
    assert same.status_code == 200 and same.json() == {"agent": name, "version": 1, "created": False}

    changed = source.replace("default_language: en", "default_language: fr")
    second = client.post("/api/agents", json={"source": changed}, headers=builder)
    assert second.status_code == 201 and second.json()["version"] == 2
    latest = client.get(f"/api/agents/{name}", headers=builder).json()
    assert latest["version"] == 2 and latest["deployed_by"].startswith("key:")
    assert client.get(f"/api/agents/{name}?version=1", headers=builder).json()["spec"]["default_language"] == "en"

    diff = client.get(f"/api/agents/{name}/diff?a=1&b=2", headers=builder).json()
    assert diff["from"] == 1 and diff["to"] == 2 and diff["changed"] == ["default_language"]
    assert "-default_language: en\n+default_language: fr" in diff["diff"]
    assert client.get(f"/api/agents/{name}/diff?a=1", headers=builder).status_code == 422


def test_an_invalid_spec_is_refused_with_its_problems(client: TestClient, key: KeyFor, spec: tuple[str, str]) -> None:
    name, source = spec
    builder = key("builder")
    broken = source.replace("engine: offline", "engine: offline\nmood: cheerful")
    response = client.post("/api/agents", json={"source": broken}, headers=builder)
    assert response.status_code == 422
    assert any("mood" in problem for problem in response.json()["problems"]), response.json()
    assert client.get(f"/api/agents/{name}", headers=builder).status_code == 404

    assert client.post("/api/agents", json={"yaml": source}, headers=builder).status_code == 422
    assert client.post("/api/agents", json={"source": "  "}, headers=builder).status_code == 422
    wrong_type = client.post("/api/agents", content=source, headers={**builder, "Content-Type": "image/png"})
    assert wrong_type.status_code == 415 and "application/yaml" in wrong_type.json()["error"]
    assert client.post("/api/agents", json={"source": source}, headers=key("analyst")).status_code == 403
