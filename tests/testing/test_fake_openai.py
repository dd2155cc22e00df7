"""The fake OpenAI-compatible server speaks HTTP the way the `openai` client expects, and fails on cue."""

from __future__ import annotations

import httpx
import pytest

from cadre.testing.fake_openai import Fail, FakeOpenAIServer, Reply, rate_limited


def post(server: FakeOpenAIServer, path: str = "/chat/completions", **headers: str) -> httpx.Response:
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    return httpx.post(server.base_url + path, json=body, headers=headers, timeout=5)


def test_behaviours_are_served_in_order_then_the_default() -> None:
    with FakeOpenAIServer(Reply("one"), default=Reply("again")) as server:
        answers = [post(server).json()["choices"][0]["message"]["content"] for _ in range(3)]

    assert answers == ["one", "again", "again"]
    assert len(server.requests) == 3 and server.requests[0].body["model"] == "m"


def test_an_exhausted_script_answers_400_so_it_is_not_retried() -> None:
    with FakeOpenAIServer() as server:
        response = post(server)

    assert response.status_code == 400
    assert "script is exhausted" in response.json()["error"]["message"]


def test_a_rate_limit_carries_retry_after() -> None:
    with FakeOpenAIServer(rate_limited(retry_after=1.5)) as server:
        response = post(server)

    assert response.status_code == 429 and response.headers["retry-after"] == "1.5"


def test_a_wrong_key_is_refused_and_an_unknown_path_is_404() -> None:
    with FakeOpenAIServer(default=Reply("ok"), api_key="sk-right") as server:
        assert post(server, authorization="Bearer sk-wrong").status_code == 401
        assert post(server, "/embeddings", authorization="Bearer sk-right").status_code == 404
        assert post(server, authorization="Bearer sk-right").status_code == 200


def test_a_closed_server_refuses_connections() -> None:
    server = FakeOpenAIServer(Fail(500))
    server.close()

    with pytest.raises(httpx.ConnectError):
        post(server)
