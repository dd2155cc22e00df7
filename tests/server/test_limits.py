"""Rate limits per API key and per conversation, and the request size limit: 429 / 413 with a message, and the
callers within their limits are not affected."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cadre.server import api, openai_face
from cadre.server.app import create_app
from cadre.server.limits import RateLimiter
from cadre.server.services import Services
from tests.hero_company import Hero
from tests.server.conftest import open_conversation


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_rate_with_bursts_and_says_how_long_to_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(3, clock=clock)
    assert [limiter.allow("k") for _ in range(3)] == [None, None, None]
    wait = limiter.allow("k")
    assert wait == pytest.approx(20.0)  # one token every 20 s at 3 a minute
    assert limiter.allow("other") is None  # each name has its own bucket
    clock.now += 20.0
    assert limiter.allow("k") is None and limiter.allow("k") is not None
    with pytest.raises(ValueError, match="at least 1 request a minute"):
        RateLimiter(0)


@pytest.fixture(scope="module")
def limited(hero: Hero) -> Iterator[tuple[TestClient, Services]]:
    settings = hero.settings.model_copy(
        update={"rate_limit_key_per_minute": 5, "rate_limit_conversation_per_minute": 2, "max_request_bytes": 4096}
    )
    services = Services(
        settings, hero.db, injected={"runtime": hero.runtime(), "data": hero.data, "knowledge": hero.kb}
    )
    with TestClient(create_app(services, mounts=[api.mount, openai_face.mount])) as client:
        yield client, services


def _key(services: Services, role: str = "admin") -> dict[str, str]:
    secret, _ = services.keys.create(role, name=f"limits {role}")
    return {"Authorization": f"Bearer {secret}"}


def test_a_key_past_its_rate_gets_429_with_retry_after_and_others_carry_on(
    limited: tuple[TestClient, Services],
) -> None:
    client, services = limited
    busy, calm = _key(services), _key(services)
    statuses = [client.get("/api/agents", headers=busy).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    refused = client.get("/api/agents", headers=busy)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "5 requests a minute" in refused.json()["error"]
    assert client.get("/api/agents", headers=calm).status_code == 200


def test_a_conversation_past_its_rate_gets_429(limited: tuple[TestClient, Services]) -> None:
    client, services = limited
    conversation = open_conversation(client, _key(services))
    answers = []
    for _ in range(3):
        # A fresh key each time: the conversation's own limit is what is measured, not the key's.
        path = f"/api/conversations/{conversation}/messages"
        answers.append(client.post(path, json={"message": "How do I reset my password?"}, headers=_key(services)))
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "this conversation may make 2 requests a minute" in answers[-1].json()["error"]


def test_a_body_over_the_size_limit_is_refused_before_it_is_read(limited: tuple[TestClient, Services]) -> None:
    client, services = limited
    headers = _key(services)
    big = {"agent": "service", "padding": "x" * 5000}
    declared = client.post("/api/conversations", json=big, headers=headers)
    assert declared.status_code == 413 and declared.json() == {"error": "the request body must be at most 4096 bytes"}

    def chunks() -> Iterator[bytes]:  # no Content-Length: the size is only known while reading
        yield b'{"agent": "service", "padding": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    streamed = client.post(
        "/api/conversations", content=chunks(), headers={**headers, "Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert client.post("/api/conversations", json={"agent": "service"}, headers=headers).status_code == 201
