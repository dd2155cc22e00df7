"""The server core: who is calling (key or session), what they may do, CSRF, error bodies, health."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from cadre.agents.conversations import UnknownConversation
from cadre.server.app import create_app
from cadre.server.auth import SESSION_USER, Caller, csrf_token, require
from cadre.server.errors import status_of
from cadre.server.secret import SECRET_FILE
from cadre.server.services import Services
from cadre.settings import Settings
from cadre.store import Database, open_database


class Note(BaseModel):
    text: str
    stars: int


def _routes(app: FastAPI) -> None:
    @app.get("/api/inbox-only")
    def inbox_only(caller: Caller = Depends(require("inbox"))) -> dict[str, str]:
        return {"name": caller.name, "role": caller.role}

    @app.post("/api/agents/{agent}/talk")
    def talk(agent: str, caller: Caller = Depends(require("converse"))) -> dict[str, str]:
        caller.check_agent(agent)
        return {"agent": agent}

    @app.post("/api/notes")
    def notes(note: Note, caller: Caller = Depends(require("converse"))) -> dict[str, int]:
        return {"stars": note.stars}

    @app.get("/api/missing")
    def missing(caller: Caller = Depends(require("converse"))) -> None:
        raise UnknownConversation("no conversation 'x' with agent 'service'")

    @app.post("/test/sign-in/{username}")
    def sign_in(username: str, request: Request) -> dict[str, str]:  # what the console's login form does
        request.session[SESSION_USER] = username
        return {"csrf": csrf_token(request)}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[TestClient, Services]]:
    settings = Settings(home=tmp_path / "home")
    services = Services(settings, open_database(settings))
    with TestClient(create_app(services, mounts=[_routes])) as client:
        yield client, services
    services.db.close()


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_no_key_is_401_and_an_unknown_key_too(served: tuple[TestClient, Services]) -> None:
    client, _ = served
    response = client.get("/api/inbox-only")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "API key" in response.json()["error"]
    assert client.get("/api/inbox-only", headers=_bearer("cadre_deadbeef_nope")).status_code == 401


def test_a_role_without_the_capability_is_403(served: tuple[TestClient, Services]) -> None:
    client, services = served
    analyst, _ = services.keys.create("analyst")
    human, key = services.keys.create("human_agent")
    refused = client.get("/api/inbox-only", headers=_bearer(analyst))
    assert refused.status_code == 403
    assert refused.json() == {"error": "the analyst role may not do this (needs 'inbox')"}
    allowed = client.get("/api/inbox-only", headers={"X-API-Key": human})
    assert allowed.json() == {"name": f"key:{key.prefix}", "role": "human_agent"}


def test_a_channel_key_talks_to_its_own_agent_only(served: tuple[TestClient, Services]) -> None:
    client, services = served
    secret, _ = services.keys.create("channel", agent="service")
    assert client.post("/api/agents/service/talk", headers=_bearer(secret)).json() == {"agent": "service"}
    other = client.post("/api/agents/concierge/talk", headers=_bearer(secret))
    assert other.status_code == 403
    assert "only talk to agent 'service'" in other.json()["error"]


def test_a_revoked_key_is_refused_from_the_next_request(served: tuple[TestClient, Services]) -> None:
    client, services = served
    secret, key = services.keys.create("admin")
    assert client.get("/api/inbox-only", headers=_bearer(secret)).status_code == 200
    services.keys.revoke(key.prefix)
    assert client.get("/api/inbox-only", headers=_bearer(secret)).status_code == 401


def test_a_session_must_send_its_csrf_token_on_unsafe_requests(served: tuple[TestClient, Services]) -> None:
    client, services = served
    services.users.create("ana", "correct horse", "admin")
    token = client.post("/test/sign-in/ana").json()["csrf"]
    assert client.get("/api/inbox-only").json()["name"] == "ana"  # reads need no token
    refused = client.post("/api/agents/service/talk")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]
    assert client.post("/api/agents/service/talk", headers={"X-CSRF-Token": "wrong"}).status_code == 403
    assert client.post("/api/agents/service/talk", headers={"X-CSRF-Token": token}).status_code == 200
    form = client.post("/api/agents/service/talk", data={"csrf_token": token})
    assert form.status_code == 200


def test_a_session_of_a_removed_user_is_signed_out(served: tuple[TestClient, Services]) -> None:
    client, _ = served
    client.post("/test/sign-in/ghost")
    assert client.get("/api/inbox-only").status_code == 401


def test_validation_errors_are_422_with_a_message_naming_the_field(served: tuple[TestClient, Services]) -> None:
    client, services = served
    secret, _ = services.keys.create("builder")
    response = client.post("/api/notes", json={"text": "hi", "stars": "many"}, headers=_bearer(secret))
    assert response.status_code == 422
    body = response.json()
    assert body["problems"] == ["stars: Input should be a valid integer, unable to parse string as an integer"]
    assert body["error"] == body["problems"][0]


def test_cadre_errors_map_to_statuses_with_their_message(served: tuple[TestClient, Services]) -> None:
    client, services = served
    secret, _ = services.keys.create("builder")
    response = client.get("/api/missing", headers=_bearer(secret))
    assert response.status_code == 404
    assert response.json() == {"error": "no conversation 'x' with agent 'service'"}
    assert status_of(UnknownConversation("x")) == 404


def test_health_reports_the_database(served: tuple[TestClient, Services]) -> None:
    client, _ = served
    health = client.get("/healthz").json()
    assert (health["status"], health["database"]) == ("ok", "sqlite")


def test_health_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    # A PostgreSQL that is not there: nothing listens on port 1.
    engine = create_engine("postgresql+psycopg://cadre@127.0.0.1:1/cadre", connect_args={"connect_timeout": 2})
    services = Services(Settings(home=tmp_path / "home"), Database(engine=engine, sessions=sessionmaker(engine)))
    response = TestClient(create_app(services, mounts=[])).get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "OperationalError"}


def test_the_session_secret_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    services = Services(settings, open_database(settings))
    create_app(services, mounts=[])
    path = tmp_path / "home" / SECRET_FILE
    first = path.read_text()
    create_app(services, mounts=[])
    assert path.read_text() == first
    assert path.stat().st_mode & 0o777 == 0o600
