"""The services a job needs, opened once per worker process (or once per inline runner) and shared by its jobs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

from cadre.settings import Settings
from cadre.store import Database, open_database

if TYPE_CHECKING:  # the runtime pulls in engines and guardrails: only jobs that talk to agents pay for it
    from cadre.agents.actions import ActionRegistry
    from cadre.agents.rollout import Rollout
    from cadre.agents.runtime import Runtime
    from cadre.data.service import DataService
    from cadre.knowledge.service import KnowledgeBase


class JobServices:
    """Settings and lazily opened services. Jobs run on threads at once, so each service opens under one lock."""

    def __init__(self, settings: Settings, db: Database | None = None) -> None:
        self.settings = settings
        self._given_db = db
        self._opening = threading.RLock()

    @cached_property
    def db(self) -> Database:
        with self._opening:
            return self._given_db or open_database(self.settings)

    def open(self) -> Database:
        """The store, connected and migrated."""
        return self.db

    @cached_property
    def knowledge(self) -> KnowledgeBase:
        from cadre.knowledge.service import KnowledgeBase

        with self._opening:
            return KnowledgeBase(self.db)

    @cached_property
    def data(self) -> DataService:
        from cadre.data.service import DataService

        with self._opening:
            return DataService(self.settings, self.db)

    @cached_property
    def actions(self) -> ActionRegistry:
        from cadre.agents.registry import load_actions

        with self._opening:
            return load_actions(self.settings.action_modules)

    @contextmanager
    def runtime(self) -> Iterator[Runtime]:
        """A fresh runtime for one job: its data service's DuckDB connection must not be shared between jobs that
        run at the same time, and is closed when the job ends."""
        from cadre.agents.setup import build_runtime
        from cadre.data.service import DataService

        data = DataService(self.settings, self.db)
        try:
            yield build_runtime(self.settings, self.db, self.knowledge, data=data, actions=self.actions)
        finally:
            data.close()

    def rollout(self) -> Rollout:
        from cadre.agents.rollout import Rollout
        from cadre.agents.specs import AgentVersions

        return Rollout(self.db, AgentVersions(self.db, self.actions))

    def close(self) -> None:
        if "data" in self.__dict__:
            self.data.close()
        if "db" in self.__dict__ and self._given_db is None:
            self.db.close()
