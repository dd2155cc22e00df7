"""A short simulated day on the shared sample company, with its Person identity resolved and its agents deployed."""

from __future__ import annotations

import pytest

from cadre.data.identity import IdentityService
from cadre.server.services import Services
from cadre.simulation import Cast, TrafficSummary, load_cast, simulate_day
from tests.hero_company import Hero

SEED = 11
CONVERSATIONS = 40  # enough for every agent's first visits, which walk through each language, channel and kind


@pytest.fixture(scope="module")
def services(hero: Hero) -> Services:
    # Resolution gives the same Person links every time, so resolving the shared company changes nothing another
    # test sees; it lets the day's e-mails and signed-in visitors carry their unified profile.
    IdentityService(hero.data).resolve("Person")
    runtime = hero.runtime()
    return Services(hero.settings, hero.db, injected={"runtime": runtime, "data": hero.data, "knowledge": hero.kb})


@pytest.fixture(scope="module")
def cast(services: Services) -> Cast:
    return load_cast(services.data)


@pytest.fixture(scope="module")
def day(services: Services, cast: Cast) -> tuple[TrafficSummary, list[tuple[int, int]]]:
    """The day's summary, and the progress reports it gave on the way."""
    reports: list[tuple[int, int]] = []
    summary = simulate_day(
        services.runtime,
        services,
        conversations=CONVERSATIONS,
        seed=SEED,
        cast=cast,
        progress=lambda done, total: reports.append((done, total)),
    )
    return summary, reports
