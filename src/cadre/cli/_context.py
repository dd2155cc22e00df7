"""Open the services a command needs from the current settings, once per process."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from cadre.data.service import DataService
from cadre.knowledge.service import KnowledgeBase
from cadre.settings import Settings, load_settings
from cadre.store import Database, open_database

if TYPE_CHECKING:  # the agent runtime imports guardrails and engines: only commands that talk to agents pay
    from cadre.agents.actions import ActionRegistry
    from cadre.agents.runtime import Runtime
    from cadre.agents.specs import AgentVersions


@cache
def settings() -> Settings:
    return load_settings()


@cache
def database() -> Database:
    return open_database(settings())


@cache
def data_service() -> DataService:
    return DataService(settings(), database())


@cache
def knowledge() -> KnowledgeBase:
    return KnowledgeBase(database())


@cache
def actions() -> ActionRegistry:
    from cadre.agents.registry import load_actions

    return load_actions(settings().action_modules)


@cache
def agent_versions() -> AgentVersions:
    from cadre.agents.specs import AgentVersions

    return AgentVersions(database(), actions())


@cache
def runtime() -> Runtime:
    from cadre.agents.setup import build_runtime

    return build_runtime(settings(), database(), knowledge(), data=data_service(), actions=actions())


def reset() -> None:
    """Forget cached services (tests change `CADRE_*` between invocations)."""
    for service in (runtime, agent_versions, actions, knowledge):
        service.cache_clear()
    for cached in (data_service, database, settings):
        if cached.cache_info().currsize:
            if cached is data_service:
                data_service().close()
            if cached is database:
                database().close()
        cached.cache_clear()
