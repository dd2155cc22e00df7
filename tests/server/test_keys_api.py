"""API keys over the API, for administrators: create (the secret once), list, revoke."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.conftest import KeyFor


def test_create_use_list_and_revoke_a_key(client: TestClient, key: KeyFor) -> None:
    admin = key("admin")
    created = client.post("/api/keys", json={"role": "channel", "agent": "concierge", "name": "site"}, headers=admin)
    assert created.status_code == 201
    body = created.json()
    assert body["key"].startswith(f"cadre_{body['prefix']}_") and body["role"] == "channel" and not body["revoked"]
    new_key = {"Authorization": f"Bearer {body['key']}"}
    assert client.post("/api/conversations", json={"agent": "concierge"}, headers=new_key).status_code == 201

    listed = client.get("/api/keys", headers=admin).json()["keys"]
    assert {k: v for k, v in body.items() if k != "key"} in listed
    assert all("key" not in k for k in listed)  # secrets are never shown again

    revoked = client.post(f"/api/keys/{body['prefix']}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    refused = client.post("/api/conversations", json={"agent": "concierge"}, headers=new_key)
    assert refused.status_code == 401 and refused.json() == {"error": "the API key is unknown or revoked"}


def test_key_requests_are_checked(client: TestClient, key: KeyFor) -> None:
    admin = key("admin")
    no_agent = client.post("/api/keys", json={"role": "channel"}, headers=admin)
    assert no_agent.status_code == 400 and "a channel key must name its agent" in no_agent.json()["error"]
    assert client.post("/api/keys", json={"role": "owner"}, headers=admin).status_code == 422
    assert client.post("/api/keys/nope/revoke", headers=admin).json() == {"error": "no API key with prefix 'nope'"}
    assert client.get("/api/keys", headers=key("builder")).status_code == 403
