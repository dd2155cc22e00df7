"""The API and the OpenAI-compatible face over the sample company, with keys of every role."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cadre.server import api, openai_face
from cadre.server.app import create_app
from cadre.server.services import Services
from tests.hero_company import Hero

Headers = dict[str, str]
KeyFor = Callable[..., Headers]


@pytest.fixture(scope="module")
def services(hero: Hero) -> Services:
    """The sample company with its four agents deployed; shared by a module's tests (conversations accumulate, so
    each test opens its own)."""
    runtime = hero.runtime()
    return Services(hero.settings, hero.db, injected={"runtime": runtime, "data": hero.data, "knowledge": hero.kb})


@pytest.fixture(scope="module")
def app(services: Services) -> FastAPI:
    return create_app(services, mounts=[api.mount, openai_face.mount])


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def key(services: Services) -> KeyFor:
    """`key("admin")`, `key("channel", agent="service")`: request headers carrying a new key of that role."""

    def create(role: str, *, agent: str | None = None) -> Headers:
        secret, _record = services.keys.create(role, agent=agent, name=f"test {role}")
        return {"Authorization": f"Bearer {secret}"}

    return create


def open_conversation(client: TestClient, headers: Headers, agent: str = "service", **body: object) -> str:
    response = client.post("/api/conversations", json={"agent": agent, **body}, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["conversation_id"])
