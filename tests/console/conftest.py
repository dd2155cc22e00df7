"""The console on the sample company: an app with the console mounted, console users of each role, and a few
conversations run through the real runtime (one of them handed off to a person)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cadre.agents.runtime import Runtime, TurnRequest
from cadre.console import mount
from cadre.server.app import create_app
from cadre.server.services import Services
from tests.hero_company import Hero

PASSWORD = "console-pass-1"
ROLES = ("admin", "builder", "analyst", "human_agent", "channel")  # a channel role may sign in, and open nothing


def user_of(role: str) -> str:
    return f"console-{role.replace('_', '-')}"


@dataclass
class Console:
    services: Services
    runtime: Runtime
    app: FastAPI
    answered: str  # a conversation the service agent answered from the help centre
    spanish: str  # a conversation in Spanish with the concierge, who quotes prices through an action

    def handoff(self, message: str = "I want to talk to a human, please") -> int:
        """A fresh conversation the service agent hands to a person; returns the hand-off's id."""
        turn = self.runtime.run_turn(TurnRequest(agent="service", message=message, channel="web"))
        assert turn.handoff is not None, turn.to_json()
        found = [h for h in self.services.inbox.list(status="open") if h.conversation_id == turn.conversation_id]
        return found[0].id


@pytest.fixture(scope="module")
def console(hero: Hero) -> Iterator[Console]:
    runtime = hero.runtime()
    services = Services(hero.settings, hero.db, injected={"runtime": runtime, "data": hero.data, "knowledge": hero.kb})
    for role in ROLES:
        services.users.create(user_of(role), PASSWORD, role, replace=True)
    answered = runtime.run_turn(
        TurnRequest(agent="service", message="How do I enable two-factor authentication?", channel="web")
    ).conversation_id
    spanish = runtime.run_turn(
        TurnRequest(agent="concierge", message="¿Qué planes ofrecen y cuánto cuestan?", channel="web")
    ).conversation_id
    yield Console(services, runtime, create_app(services, mounts=[mount]), answered, spanish)


@pytest.fixture
def client(console: Console) -> Iterator[TestClient]:
    with TestClient(console.app, follow_redirects=False) as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, role: str) -> str:
    """Sign `client` in as the console user of `role` (a new session); returns the session's CSRF token."""
    client.cookies.clear()
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": user_of(role), "password": PASSWORD, "csrf_token": token, "next": "/"}
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/").text)


@pytest.fixture
def signed_in(client: TestClient) -> Callable[[str], str]:
    return lambda role: sign_in(client, role)
