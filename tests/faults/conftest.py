"""Fault injection: a help-desk home on the `openai` engine, and waiting on a condition with a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from cadre.agents.registry import load_actions
from cadre.agents.specs import AgentVersions
from cadre.knowledge.service import KnowledgeBase
from cadre.settings import Settings
from cadre.store import open_database
from tests.agents.help_desk import SPEC
from tests.knowledge.conftest import write_help_centre
from tests.sales.conftest import home, sales, sample_home, smtp  # noqa: F401  (the SDR's fixtures, for the SMTP faults)

T = TypeVar("T")
ACTION_MODULES = ["tests.agents.help_desk"]
OPENAI_SPEC = SPEC.replace("knowledge: [help]", "knowledge: [help]\nengine: openai")


def wait_for(check: Callable[[], T | None], *, within_s: float, what: str, every_s: float = 0.05) -> T:
    """The first truthy value `check` returns, polling until the deadline; fails the test naming `what`."""
    deadline = time.monotonic() + within_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {within_s} s")
        time.sleep(every_s)


@dataclass(frozen=True)
class DeskHome:
    """A Cadre home with the help centre ingested and the help-desk agent deployed on the `openai` engine."""

    home: Path
    kb: KnowledgeBase | None = None

    def settings(self, **llm: Any) -> Settings:
        return Settings(home=self.home, action_modules=ACTION_MODULES, **llm)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeskHome]:
    root = tmp_path_factory.mktemp("faults") / "home"
    settings = Settings(home=root, action_modules=ACTION_MODULES)
    db = open_database(settings)
    kb = KnowledgeBase(db)
    kb.ingest([write_help_centre(root / "help")], collection="help")
    spec = root / "help-desk.yaml"
    spec.write_text(OPENAI_SPEC, encoding="utf-8")
    AgentVersions(db, load_actions(ACTION_MODULES)).deploy(spec)
    yield DeskHome(root, kb)
    db.close()
