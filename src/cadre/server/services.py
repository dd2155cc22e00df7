"""What the app's routes work with, opened once per app from the settings (or handed in by tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from cadre.access.keys import ApiKeys
from cadre.access.users import ConsoleUsers
from cadre.agents.conversations import ConversationStore
from cadre.agents.inbox import Inbox
from cadre.server.limits import Limiter, RateLimiter
from cadre.server.shared_limits import SharedRateLimiter
from cadre.settings import Settings
from cadre.store import Database

if TYPE_CHECKING:
    from cadre.agents.actions import ActionRegistry
    from cadre.agents.runtime import Runtime
    from cadre.agents.specs import AgentVersions
    from cadre.channels.delivery import Delivery
    from cadre.data.service import DataService
    from cadre.knowledge.service import KnowledgeBase


@dataclass
class Services:
    """The parts a request may reach. Heavy ones (the runtime loads the embedding model) open on first use."""

    settings: Settings
    db: Database
    injected: dict[str, Any] = field(default_factory=dict)  # tests hand in a runtime, a data service, …

    @cached_property
    def key_limits(self) -> Limiter:
        return self._limiter(self.settings.rate_limit_key_per_minute, "key")

    @cached_property
    def conversation_limits(self) -> Limiter:
        return self._limiter(self.settings.rate_limit_conversation_per_minute, "conversation")

    def _limiter(self, per_minute: int, limit: str) -> Limiter:
        # PostgreSQL serves several server processes: their limits must be one. SQLite is served by one process.
        if self.db.dialect == "postgresql":
            return SharedRateLimiter(self.db, per_minute, limit=limit)
        return RateLimiter(per_minute)

    @cached_property
    def data(self) -> DataService:
        if "data" in self.injected:
            return self.injected["data"]  # type: ignore[no-any-return]
        from cadre.data.service import DataService

        return DataService(self.settings, self.db)

    @cached_property
    def knowledge(self) -> KnowledgeBase:
        if "knowledge" in self.injected:
            return self.injected["knowledge"]  # type: ignore[no-any-return]
        from cadre.knowledge.service import KnowledgeBase

        return KnowledgeBase(self.db)

    @cached_property
    def actions(self) -> ActionRegistry:
        if "actions" in self.injected:
            return self.injected["actions"]  # type: ignore[no-any-return]
        from cadre.agents.registry import load_actions

        return load_actions(self.settings.action_modules)

    @cached_property
    def runtime(self) -> Runtime:
        if "runtime" in self.injected:
            return self.injected["runtime"]  # type: ignore[no-any-return]
        from cadre.agents.setup import build_runtime

        return build_runtime(self.settings, self.db, self.knowledge, data=self.data, actions=self.actions)

    @cached_property
    def versions(self) -> AgentVersions:
        return self.runtime.versions

    @cached_property
    def conversations(self) -> ConversationStore:
        return ConversationStore(self.db)

    @cached_property
    def inbox(self) -> Inbox:
        return Inbox(self.db)

    @cached_property
    def keys(self) -> ApiKeys:
        return ApiKeys(self.db)

    @cached_property
    def users(self) -> ConsoleUsers:
        return ConsoleUsers(self.db)

    @cached_property
    def delivery(self) -> Delivery:
        from cadre.channels.delivery import Delivery
        from cadre.channels.senders import default_senders

        return Delivery(self, default_senders())

    def close(self) -> None:
        if "data" in self.__dict__ and "data" not in self.injected:
            self.data.close()
