"""Fixtures: the help-desk agent deployed over an ingested help centre, and a runtime per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cadre.agents.runtime import Runtime
from cadre.agents.setup import build_runtime
from cadre.agents.specs import AgentVersions
from cadre.knowledge.service import KnowledgeBase
from cadre.settings import Settings
from cadre.store import Database, open_database
from tests.agents.help_desk import SPEC, help_desk_actions
from tests.knowledge.conftest import write_help_centre


@pytest.fixture(scope="module")
def _shared_kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Database, KnowledgeBase]]:
    """One ingested help centre per test module (embedding is the slow part). Conversations accumulate within a
    module, so each test starts its own."""
    home = tmp_path_factory.mktemp("agents-home")
    settings = Settings(home=home)
    db = open_database(settings)
    kb = KnowledgeBase(db)
    kb.ingest([write_help_centre(home / "help")], collection="help")
    kb.scan("help")  # as `cadre demo` and the ingest job do: turns read the stored injection scores
    yield settings, db, kb
    db.close()


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "help-desk.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


@pytest.fixture
def runtime(_shared_kb: tuple[Settings, Database, KnowledgeBase], spec_file: Path) -> Runtime:
    settings, db, kb = _shared_kb
    actions = help_desk_actions()
    AgentVersions(db, actions).deploy(spec_file)
    return build_runtime(settings, db, kb, actions=actions)
