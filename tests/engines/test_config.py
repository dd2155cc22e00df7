"""Building the chat model from `CADRE_LLM_*` settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadre.engines.config import chat_model_from_settings, endpoints_from_settings
from cadre.engines.messages import ChatMessage
from cadre.engines.openai_model import Endpoint, OpenAIChatModel
from cadre.errors import ConfigError
from cadre.settings import Settings
from cadre.testing.fake_openai import FakeOpenAIServer, Reply


def test_no_base_url_means_no_model() -> None:
    assert chat_model_from_settings(Settings(llm_model="gpt-4o")) is None


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRE_LLM_BASE_URL", "http://127.0.0.1:8000/v1")
    monkeypatch.setenv("CADRE_LLM_MODEL", "qwen2.5-7b-instruct")
    monkeypatch.setenv("CADRE_LLM_API_KEY", "sk-env-key")
    monkeypatch.setenv("CADRE_LLM_TIMEOUT_S", "12.5")
    monkeypatch.setenv("CADRE_LLM_ON_FAILURE", "handoff")

    settings = Settings()
    [primary] = endpoints_from_settings(settings)

    assert primary == Endpoint("http://127.0.0.1:8000/v1", "qwen2.5-7b-instruct", "sk-env-key", 12.5, 2)
    assert settings.llm_on_failure == "handoff"
    assert "sk-env-key" not in repr(settings) and "sk-env-key" not in repr(primary)


def test_the_fallback_uses_its_own_key_and_defaults_to_the_primary_model() -> None:
    settings = Settings(
        llm_base_url="http://127.0.0.1:8000/v1",
        llm_model="gpt-4o-mini",
        llm_api_key="sk-primary",
        llm_max_retries=1,
        llm_fallback_base_url="http://127.0.0.1:8001/v1",
    )
    primary, fallback = endpoints_from_settings(settings)

    assert (fallback.model, fallback.api_key, fallback.max_retries) == ("gpt-4o-mini", None, 1)
    assert primary.api_key == "sk-primary"


def test_a_base_url_without_a_model_is_refused() -> None:
    with pytest.raises(ConfigError, match="`CADRE_LLM_MODEL` must name a model when `CADRE_LLM_BASE_URL` is set"):
        chat_model_from_settings(Settings(llm_base_url="http://127.0.0.1:8000/v1"))


def test_a_fallback_without_a_primary_is_refused() -> None:
    with pytest.raises(ConfigError, match="`CADRE_LLM_BASE_URL` must be set when `CADRE_LLM_FALLBACK_BASE_URL` is"):
        chat_model_from_settings(Settings(llm_fallback_base_url="http://127.0.0.1:8001/v1", llm_model="m"))


def test_a_base_url_without_a_scheme_is_refused() -> None:
    with pytest.raises(ConfigError, match="base URL must start with http:// or https://, got 'localhost:8000/v1'"):
        chat_model_from_settings(Settings(llm_base_url="localhost:8000/v1", llm_model="m"))


def test_the_configured_model_answers_and_prices_with_the_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-meant-for-another-host")
    prices = tmp_path / "prices.yaml"
    prices.write_text("models:\n  house-model: {input: 1.0, output: 2.0}\n")
    with FakeOpenAIServer(Reply("Hello.", input_tokens=1_000_000, output_tokens=500_000)) as server:
        settings = Settings(llm_base_url=server.base_url, llm_model="house-model", llm_prices_path=prices)
        model = chat_model_from_settings(settings)
        assert isinstance(model, OpenAIChatModel)
        with model:
            response = model.complete([ChatMessage.user("Hi")])

    assert (response.content, response.cost_usd, response.priced) == ("Hello.", 2.0, True)
    assert model.name == "openai:house-model"
    # No key configured: the client must not pick one up from OPENAI_API_KEY and send it elsewhere.
    assert "sk-meant-for-another-host" not in server.requests[0].headers["authorization"]
