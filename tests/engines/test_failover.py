"""Retries inside an endpoint (by the client), failover between endpoints, and errors that never show a key."""

from __future__ import annotations

import pytest

from cadre.engines.messages import ChatMessage
from cadre.engines.model import ModelUnavailable
from cadre.engines.openai_model import OpenAIChatModel
from cadre.testing.fake_openai import Disconnect, Fail, FakeOpenAIServer, Reply, Stall, closed_port_url, rate_limited
from tests.engines.conftest import FALLBACK_KEY, KEY, endpoint

QUESTION = [ChatMessage.user("Is the service up?")]


def test_a_rate_limit_is_retried_after_the_servers_retry_after(server: FakeOpenAIServer) -> None:
    server.script(rate_limited(retry_after=0.01), Reply("Yes."))
    with OpenAIChatModel([endpoint(server.base_url, max_retries=2)]) as model:
        response = model.complete(QUESTION)

    assert response.content == "Yes."
    assert (response.attempts, response.failed_over) == (2, False)
    assert [r.headers["x-stainless-retry-count"] for r in server.requests] == ["0", "1"]


def test_a_rate_limit_asking_for_minutes_fails_over_at_once(
    server: FakeOpenAIServer, fallback: FakeOpenAIServer
) -> None:
    # The client waits out a `Retry-After` of up to two minutes; beyond that it gives up, and a turn should not wait.
    server.script(rate_limited(retry_after=600))
    fallback.script(Reply("Yes."))
    endpoints = [endpoint(server.base_url, max_retries=2), endpoint(fallback.base_url, key=FALLBACK_KEY)]
    with OpenAIChatModel(endpoints) as model:
        response = model.complete(QUESTION)

    assert (response.failed_over, response.attempts, len(server.requests)) == (True, 2, 1)


def test_server_errors_fail_over_to_the_fallback_once_retries_are_spent(
    server: FakeOpenAIServer, fallback: FakeOpenAIServer
) -> None:
    server.script(*[Fail(500, retry_after=0.01)] * 2)
    fallback.script(Reply("Yes, from the fallback."))
    endpoints = [endpoint(server.base_url, max_retries=1), endpoint(fallback.base_url, key=FALLBACK_KEY)]
    with OpenAIChatModel(endpoints) as model:
        response = model.complete(QUESTION)

    assert response.content == "Yes, from the fallback."
    assert (response.attempts, response.failed_over, response.endpoint) == (3, True, fallback.base_url)
    assert len(server.requests) == 2
    # Each endpoint gets its own key: the primary's key is never sent to the fallback host.
    assert fallback.requests[0].headers["authorization"] == f"Bearer {FALLBACK_KEY}"


def test_a_request_that_outlasts_the_timeout_is_retried(server: FakeOpenAIServer) -> None:
    server.script(Stall(30), Reply("Yes, eventually."))
    with OpenAIChatModel([endpoint(server.base_url, timeout_s=0.5, max_retries=1)]) as model:
        response = model.complete(QUESTION)

    assert (response.content, response.attempts) == ("Yes, eventually.", 2)


def test_a_timeout_fails_over_when_there_are_no_retries_left(
    server: FakeOpenAIServer, fallback: FakeOpenAIServer
) -> None:
    server.script(Stall(30))
    fallback.script(Reply("Yes."))
    endpoints = [endpoint(server.base_url, timeout_s=0.2), endpoint(fallback.base_url, key=FALLBACK_KEY)]
    with OpenAIChatModel(endpoints) as model:
        response = model.complete(QUESTION)

    assert (response.content, response.failed_over, response.attempts) == ("Yes.", True, 2)


def test_a_primary_that_is_down_fails_over_to_the_fallback(fallback: FakeOpenAIServer) -> None:
    fallback.script(Reply("Yes."))
    endpoints = [endpoint(closed_port_url()), endpoint(fallback.base_url, key=FALLBACK_KEY)]
    with OpenAIChatModel(endpoints) as model:
        response = model.complete(QUESTION)

    assert (response.content, response.failed_over, response.endpoint) == ("Yes.", True, fallback.base_url)


def test_a_dropped_connection_fails_over_too(server: FakeOpenAIServer, fallback: FakeOpenAIServer) -> None:
    server.script(Disconnect())
    fallback.script(Reply("Yes."))
    endpoints = [endpoint(server.base_url), endpoint(fallback.base_url, key=FALLBACK_KEY)]
    with OpenAIChatModel(endpoints) as model:
        assert model.complete(QUESTION).failed_over


def test_when_every_endpoint_fails_the_error_names_each_one(server: FakeOpenAIServer) -> None:
    server.script(Fail(503, "upstream overloaded", retry_after=0.01), Fail(503, "upstream overloaded"))
    down = closed_port_url()
    with OpenAIChatModel([endpoint(server.base_url, max_retries=1), endpoint(down)]) as model:
        with pytest.raises(ModelUnavailable) as caught:
            model.complete(QUESTION)

    message = str(caught.value)
    assert f"'gpt-4o-mini' at {server.base_url}: HTTP 503: upstream overloaded" in message
    assert f"'gpt-4o-mini' at {down}: connection failed" in message
    assert caught.value.attempts == 3


def test_the_api_key_never_appears_in_errors_even_when_the_server_echoes_it(server: FakeOpenAIServer) -> None:
    # Some proxies echo the bearer token they were given; errors end up in logs, traces and the console.
    server.script(Fail(401, f"Incorrect API key provided: {KEY}"))
    model_endpoint = endpoint(server.base_url)
    with OpenAIChatModel([model_endpoint]) as model:
        with pytest.raises(ModelUnavailable) as caught:
            model.complete(QUESTION)

    assert KEY not in str(caught.value) and KEY not in caught.value.one_line()
    assert "HTTP 401: Incorrect API key provided: ***" in str(caught.value)
    assert KEY not in repr(model_endpoint)


def test_a_stream_that_breaks_after_text_was_shown_is_not_restarted_elsewhere(
    server: FakeOpenAIServer, fallback: FakeOpenAIServer
) -> None:
    server.script(Reply("The service is fully operational.", stall_mid_stream_s=30))
    fallback.script(Reply("Yes."))
    pieces: list[str] = []
    endpoints = [endpoint(server.base_url, timeout_s=0.5), endpoint(fallback.base_url, key=FALLBACK_KEY)]
    with OpenAIChatModel(endpoints) as model:
        with pytest.raises(ModelUnavailable, match="broke off after part of it was streamed"):
            model.complete(QUESTION, on_text=pieces.append)

    assert pieces and "".join(pieces) != "The service is fully operational."
    assert fallback.requests == []
