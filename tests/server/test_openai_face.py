"""The OpenAI-compatible face, driven by the `openai` client against a real server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import openai
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cadre.server.openai_face import CONVERSATION_HEADER
from cadre.server.services import Services
from tests.server.conftest import KeyFor

QUESTION = "How do I build a dashboard in Pulse?"


@pytest.fixture
def openai_client(app: FastAPI, serve: Callable[[FastAPI], str], services: Services) -> Iterator[openai.OpenAI]:
    secret, _key = services.keys.create("channel", agent="service", name="openai client")
    with openai.OpenAI(base_url=f"{serve(app)}/v1", api_key=secret, max_retries=0, timeout=60) as client:
        yield client


def test_a_completion_names_its_conversation_and_continues_it(openai_client: openai.OpenAI, services: Services) -> None:
    raw = openai_client.chat.completions.with_raw_response.create(
        model="service", messages=[{"role": "system", "content": "ignored"}, {"role": "user", "content": QUESTION}]
    )
    completion = raw.parse()
    conversation_id = raw.headers[CONVERSATION_HEADER]
    reply = completion.choices[0].message.content
    assert completion.object == "chat.completion" and completion.model == "service"
    assert reply and completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None and completion.usage.total_tokens == (
        completion.usage.prompt_tokens + completion.usage.completion_tokens
    )
    assert completion.model_extra is not None and completion.model_extra["cadre"]["citations"]

    again = openai_client.chat.completions.with_raw_response.create(
        model="service",
        messages=[{"role": "user", "content": [{"type": "text", "text": "Thanks!"}]}],
        extra_headers={CONVERSATION_HEADER: conversation_id},
    )
    assert again.headers[CONVERSATION_HEADER] == conversation_id
    transcript = [(m["role"], m["text"]) for m in services.conversations.messages(conversation_id)]
    assert transcript[:3] == [("customer", QUESTION), ("agent", reply), ("customer", "Thanks!")]


def test_a_streamed_completion_arrives_in_chunks(openai_client: openai.OpenAI, services: Services) -> None:
    raw = openai_client.chat.completions.with_raw_response.create(
        model="service", messages=[{"role": "user", "content": QUESTION}], stream=True,
        stream_options={"include_usage": True},
    )  # fmt: skip
    chunks = list(raw.parse())
    assert all(chunk.object == "chat.completion.chunk" for chunk in chunks)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [chunk.choices[0].finish_reason for chunk in chunks if chunk.choices][-1] == "stop"
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    messages = services.conversations.messages(raw.headers[CONVERSATION_HEADER])
    assert [(m["role"], m["text"]) for m in messages] == [("customer", QUESTION), ("agent", text)]


def test_the_face_keeps_a_channel_key_to_its_agent(openai_client: openai.OpenAI) -> None:
    assert [model.id for model in openai_client.models.list()] == ["service"]
    with pytest.raises(openai.PermissionDeniedError, match="may only talk to agent 'service', not 'concierge'"):
        openai_client.chat.completions.create(model="concierge", messages=[{"role": "user", "content": "Hi"}])


def test_bad_completions_are_refused(client: TestClient, key: KeyFor) -> None:
    admin = key("admin")
    url = "/v1/chat/completions"
    no_user = client.post(
        url, json={"model": "service", "messages": [{"role": "system", "content": "x"}]}, headers=admin
    )
    assert no_user.status_code == 422 and "must end with a `user` message" in no_user.json()["error"]["message"]
    empty = client.post(url, json={"model": "service", "messages": []}, headers=admin)
    assert empty.status_code == 422 and empty.json()["error"]["message"].startswith("messages: List should have")
    unknown = client.post(url, json={"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}, headers=admin)
    assert unknown.status_code == 404 and unknown.json()["error"]["type"] == "invalid_request_error"
    assert "agent 'gpt-4o' is not deployed" in unknown.json()["error"]["message"]
    elsewhere = client.post(
        url, json={"model": "service", "messages": [{"role": "user", "content": "Hi"}]},
        headers={**admin, CONVERSATION_HEADER: "nope"},
    )  # fmt: skip
    assert elsewhere.status_code == 404
    models = client.get("/v1/models", headers=admin).json()
    assert {"service", "concierge", "sdr", "seller_assistant"} <= {m["id"] for m in models["data"]}
