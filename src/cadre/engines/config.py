"""Build the configured chat model from settings: an OpenAI-compatible model with failover, or none."""

from __future__ import annotations

from pydantic import SecretStr

from cadre.engines.model import ChatModel
from cadre.engines.openai_model import Endpoint, OpenAIChatModel
from cadre.engines.pricing import PriceTable
from cadre.errors import ConfigError
from cadre.settings import Settings


def endpoints_from_settings(settings: Settings) -> list[Endpoint]:
    """The primary endpoint, then the fallback if one is set; empty when no LLM is configured."""
    if not settings.llm_base_url:
        if settings.llm_fallback_base_url:
            raise ConfigError(
                "`CADRE_LLM_BASE_URL` must be set when `CADRE_LLM_FALLBACK_BASE_URL` is, got only the fallback"
            )
        return []
    if not settings.llm_model:
        raise ConfigError(
            f"`CADRE_LLM_MODEL` must name a model when `CADRE_LLM_BASE_URL` is set, got {settings.llm_model!r}"
        )
    endpoints = [_endpoint(settings, settings.llm_base_url, settings.llm_model, settings.llm_api_key)]
    if settings.llm_fallback_base_url:
        model = settings.llm_fallback_model or settings.llm_model
        endpoints.append(_endpoint(settings, settings.llm_fallback_base_url, model, settings.llm_fallback_api_key))
    return endpoints


def chat_model_from_settings(settings: Settings) -> ChatModel | None:
    """The configured LLM, or None when `CADRE_LLM_BASE_URL` is unset (the runtime then uses the offline engine)."""
    endpoints = endpoints_from_settings(settings)
    if not endpoints:
        return None
    return OpenAIChatModel(endpoints, prices=PriceTable.load(settings.llm_prices_path))


def _endpoint(settings: Settings, base_url: str, model: str, key: SecretStr | None) -> Endpoint:
    return Endpoint(
        base_url=base_url,
        model=model,
        api_key=key.get_secret_value() if key is not None else None,
        timeout_s=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )
