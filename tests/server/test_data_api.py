"""The data layer over the API: sources, entities, a unified profile, policies and the audit log, read-only."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from cadre.data.identity import IdentityService
from cadre.data.profiles import assemble_profile
from cadre.server import api
from cadre.server.app import create_app
from cadre.server.services import Services
from tests.hero_company import Hero
from tests.server.conftest import KeyFor

WIDGET_SECRET = "widget-secret-for-api-tests"


@pytest.fixture(scope="module")
def person(hero: Hero) -> str:
    """A unified profile linking several records. Resolution gives the same links every time, so resolving the
    shared company again changes nothing another test sees."""
    links = IdentityService(hero.data)
    links.resolve("Person")
    profile_id, size = links.largest_profiles("Person", limit=1)[0]
    assert size > 1
    return profile_id


def test_sources_entities_and_policies(client: TestClient, key: KeyFor) -> None:
    analyst = key("analyst")
    sources = client.get("/api/data/sources", headers=analyst).json()["sources"]
    assert {"crm", "billing"} <= {s["name"] for s in sources}
    assert all(s["status"] == "ok" and s["tables"] for s in sources)

    catalog = client.get("/api/data/entities?check=true", headers=analyst).json()
    assert catalog["problems"] == []
    contact = next(e for e in catalog["entities"] if e["name"] == "Contact")
    assert contact["source"] == "crm" and "email" in contact["fields"]
    assert "Contact" in catalog["identities"]["Person"]["members"]

    policies = client.get("/api/data/policies", headers=analyst).json()
    assert "admin" in policies["roles"] and any(p["name"] == "admin-everything" for p in policies["policies"])
    assert client.get("/api/data/sources", headers=key("human_agent")).status_code == 403


def test_a_unified_profile_is_read_under_governance(client: TestClient, key: KeyFor, person: str) -> None:
    human = key("human_agent")
    unified = client.get(f"/api/data/profiles/{person}", headers=human).json()
    assert unified["profile_id"] == person and unified["identity"] == "Person" and len(unified["records"]) > 1
    assert unified["fields"]["email"]["value"]
    narrowed = client.get(
        f"/api/data/profiles/{person}?principal=agent:concierge&purpose=marketing", headers=human
    ).json()
    assert narrowed["withheld"], narrowed  # the concierge may not read every member entity of a person
    missing = client.get("/api/data/profiles/nope", headers=human)
    assert missing.status_code == 404 and missing.json()["error"].startswith("no unified profile 'nope'")
    assert client.get(f"/api/data/profiles/{person}", headers=key("analyst")).status_code == 403


def test_the_audit_log_pages_newest_first(client: TestClient, key: KeyFor, person: str) -> None:
    admin = key("admin")
    client.get(f"/api/data/profiles/{person}", headers=admin)  # reads are audited
    first = client.get("/api/data/audit?limit=3", headers=admin).json()
    seqs = [e["seq"] for e in first["entries"]]
    assert len(seqs) == 3 and seqs == sorted(seqs, reverse=True) and first["total"] >= 3
    assert first["entries"][0]["purpose"] == "profile_review"
    second = client.get("/api/data/audit?limit=3&offset=3", headers=admin).json()
    assert [e["seq"] for e in second["entries"]] == [s - 3 for s in seqs]
    only = client.get("/api/data/audit?principal=agent:concierge&limit=5", headers=admin).json()["entries"]
    assert only and {e["principal"] for e in only} == {"agent:concierge"}
    assert client.get("/api/data/audit?limit=501", headers=admin).status_code == 422


def test_a_signed_web_visitor_is_their_unified_profile(services: Services, key: KeyFor, person: str) -> None:
    signed = Services(
        services.settings.model_copy(update={"widget_secret": SecretStr(WIDGET_SECRET)}),
        services.db,
        injected=services.injected,
    )
    email = str(assemble_profile(signed.data, person, principal="role:admin", purpose="tests").fields["email"].value)
    signature = hmac.new(WIDGET_SECRET.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()
    app: FastAPI = create_app(signed, mounts=[api.mount])
    with TestClient(app) as client:
        web = key("channel", agent="service")
        body = {"agent": "service", "channel": "web", "user": {"email": email, "hash": signature}}
        opened = client.post("/api/conversations", json=body, headers=web)
        # 200 when another test of the session left this person an open conversation with the service agent
        assert opened.status_code in (200, 201) and opened.json()["person_id"] == person
        forged = {**body, "user": {"email": email, "hash": "0" * 64}}
        refused = client.post("/api/conversations", json=forged, headers=web)
        assert refused.status_code == 400 and "does not match" in refused.json()["error"]
