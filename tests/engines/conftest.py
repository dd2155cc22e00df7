"""Fake OpenAI-compatible servers on 127.0.0.1 and endpoints with short timeouts, so failure tests stay fast."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cadre.engines.openai_model import Endpoint
from cadre.testing.fake_openai import FakeOpenAIServer

KEY = "sk-test-primary-5f2a9c"
FALLBACK_KEY = "sk-test-fallback-81d3e0"


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(api_key=KEY) as fake:
        yield fake


@pytest.fixture
def fallback() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(api_key=FALLBACK_KEY) as fake:
        yield fake


def endpoint(base_url: str, *, key: str = KEY, model: str = "gpt-4o-mini", **options: float) -> Endpoint:
    """An endpoint with a short timeout and no retries unless a test asks for them."""
    timeout_s = options.get("timeout_s", 5.0)
    return Endpoint(base_url, model, api_key=key, timeout_s=timeout_s, max_retries=int(options.get("max_retries", 0)))
