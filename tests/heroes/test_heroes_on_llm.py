"""The hero agents on an LLM: the same specs and actions, the model reached over HTTP (a fake server on 127.0.0.1)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from cadre.agents.registry import load_actions
from cadre.agents.runtime import Runtime, TurnRequest
from cadre.agents.setup import build_runtime
from cadre.engines.llm import LLMEngine
from cadre.engines.messages import ToolCall
from cadre.engines.openai_model import Endpoint, OpenAIChatModel
from cadre.testing.fake_openai import CallTools, FakeOpenAIServer, Reply
from tests.hero_company import Hero


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture
def runtime(hero: Hero, server: FakeOpenAIServer) -> Runtime:
    hero.runtime(agents=["service"])  # deploys the service agent with the built-in actions
    model = OpenAIChatModel([Endpoint(server.base_url, "gpt-4o-mini", max_retries=0)])
    engines = {"openai": LLMEngine(model, name="openai")}
    return build_runtime(hero.settings, hero.db, hero.kb, data=hero.data, actions=load_actions(), engines=engines)


def test_the_service_agent_verifies_and_looks_up_an_invoice_through_a_models_tool_call(
    runtime: Runtime, server: FakeOpenAIServer
) -> None:
    server.script(
        CallTools(
            (
                ToolCall(
                    "call_1",
                    "find_invoice",
                    json.dumps({"invoice_id": "INV-0000405", "email": "[EMAIL_ADDRESS_1]"}),
                ),
            )
        ),
        Reply("I found invoice INV-0000405 for you."),
    )
    result = runtime.run_turn(
        TurnRequest(
            agent="service",
            engine="openai",
            message="What is the status of my invoice INV-0000405? My email is joel.day@sunspark.example",
        )
    )
    assert result.topic == "billing"
    assert [(a["name"], a["ok"]) for a in result.actions] == [("find_invoice", True)]
    assert result.actions[0]["arguments"]["email"] == "joel.day@sunspark.example"  # unmasked for the action
    sent = json.dumps([r.body for r in server.requests])
    assert "joel.day@sunspark.example" not in sent  # the model saw a placeholder, never the address
    assert "INV-0000405" in sent.split('"role": "tool"')[-1]  # the action's answer reached the model
    tools = {t["function"]["name"] for t in server.requests[0].body["tools"]}
    assert tools == {"find_invoice"}  # the routed topic's actions only
    assert "INV-0000405" in result.reply and result.handoff is None
    assert result.tokens["input"] > 0
