"""Open the services a command needs from the current settings, once per process."""

from __future__ import annotations

from functools import cache

from cadre.data.service import DataService
from cadre.knowledge.service import KnowledgeBase
from cadre.settings import Settings, load_settings
from cadre.store import Database, open_database


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


def reset() -> None:
    """Forget cached services (tests change `CADRE_*` between invocations)."""
    knowledge.cache_clear()
    for cached in (data_service, database, settings):
        if cached.cache_info().currsize:
            if cached is data_service:
                data_service().close()
            if cached is database:
                database().close()
        cached.cache_clear()
