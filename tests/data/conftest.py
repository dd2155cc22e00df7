"""Fixtures for data-layer tests: the tiny company behind a `DataService`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cadre.data.service import DataService
from cadre.settings import Settings
from cadre.store import open_database
from tests.company import CATALOG, POLICIES, write_company


@pytest.fixture
def tiny_company(cadre_home: Path) -> dict[str, Any]:
    """The tiny company's files, catalog and policies installed in a fresh `CADRE_HOME`."""
    paths = write_company(cadre_home / "sources")
    (cadre_home / "catalog.yaml").write_text(CATALOG)
    (cadre_home / "policies.yaml").write_text(POLICIES)
    return {"home": cadre_home, "paths": paths}


@pytest.fixture
def data(tiny_company: dict[str, Any]) -> Any:
    """A `DataService` over the tiny company with its three sources registered."""
    settings = Settings(home=tiny_company["home"])
    database = open_database(settings)
    service = DataService(settings, database)
    paths = tiny_company["paths"]
    service.sources.add("crm", f"sqlite://{paths['crm']}")
    service.sources.add("billing", f"parquet://{paths['billing']}")
    service.sources.add("marketing", f"csv://{paths['marketing']}")
    yield service
    service.close()
    database.close()
