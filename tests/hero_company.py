"""The sample company for every test that needs the hero agents: small sample (seed 7), both collections ingested.

Ingesting the seven-language help centre takes a minute and a half, so it happens once per test session. Set
`CADRE_TEST_HERO_HOME` to a home built the same way to copy it instead (it is never written to).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

import pytest

from cadre.agents.actions import ActionRegistry
from cadre.agents.registry import load_actions
from cadre.agents.runtime import Runtime
from cadre.agents.setup import build_runtime
from cadre.agents.specs import AgentVersions
from cadre.data.service import DataService
from cadre.evaluation.runner import SuiteRun, run_suite
from cadre.evaluation.suites import load_suite
from cadre.knowledge.service import KnowledgeBase
from cadre.sample.install import KNOWLEDGE_COLLECTIONS, deploy_sample_agents, install_sample
from cadre.settings import Settings
from cadre.store import Database, open_database

SUITES = Path(str(files("cadre.sample") / "suites"))


@dataclass
class Hero:
    """The sample company's services, shared by the session's hero tests."""

    settings: Settings
    db: Database
    data: DataService
    kb: KnowledgeBase

    def runtime(self, actions: ActionRegistry | None = None, agents: Iterable[str] | None = None) -> Runtime:
        """A runtime with `actions` (default: the built-in ones) and the sample's agents (or those named) deployed."""
        registry = actions if actions is not None else load_actions()
        deploy_sample_agents(AgentVersions(self.db, registry), agents)
        return build_runtime(self.settings, self.db, self.kb, data=self.data, actions=registry)

    def run_suite(self, name: str, runtime: Runtime | None = None) -> SuiteRun:
        """Run the shipped suite `name` (e.g. "service") through `runtime` (default: all built-in actions)."""
        suite = load_suite(SUITES / f"{name}.yaml")
        return run_suite(runtime or self.runtime(), suite, suite_name=name)


@pytest.fixture(scope="session")
def hero(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hero]:
    home = tmp_path_factory.mktemp("hero") / "home"
    template = os.environ.get("CADRE_TEST_HERO_HOME")
    if template:
        shutil.copytree(template, home)
    settings = Settings(home=home)
    db = open_database(settings)
    data = DataService(settings, db)
    kb = KnowledgeBase(db)
    # The company is regenerated even in a copied home (it takes a second), so that sources, catalog and
    # policies are always the ones this checkout ships; only the slow knowledge index is reused.
    install_sample(data, size="small", seed=7, force=True, reset_config=True)
    if not template:
        with as_file(files("cadre.sample") / "kb") as shipped:
            for collection in KNOWLEDGE_COLLECTIONS:
                kb.ingest([shipped / collection], collection=collection)
    yield Hero(settings=settings, db=db, data=data, kb=kb)
    data.close()
    db.close()
