"""What the trace tests share: the help desk over an ingested help centre, and tracers that keep spans in memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Tracer

from cadre.agents.runtime import Runtime
from cadre.agents.setup import build_runtime
from cadre.agents.specs import AgentVersions
from cadre.knowledge.service import KnowledgeBase
from cadre.observability.tracing import tracer_provider
from cadre.settings import Settings
from cadre.store import Database, open_database
from tests.agents.help_desk import SPEC, help_desk_actions
from tests.knowledge.conftest import write_help_centre

Shared = tuple[Settings, Database, KnowledgeBase]


@pytest.fixture(scope="module", name="help_centre")
def help_centre_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    """One ingested help centre per test module (embedding is the slow part)."""
    home = tmp_path_factory.mktemp("traced-home")
    settings = Settings(home=home)
    db = open_database(settings)
    kb = KnowledgeBase(db)
    kb.ingest([write_help_centre(home / "help")], collection="help")
    yield settings, db, kb
    db.close()


def recording(db: Database | None = None) -> tuple[Tracer, InMemorySpanExporter]:
    """A tracer whose finished spans are kept in memory (and stored in `db` when given), as a user's tests do."""
    exporter = InMemorySpanExporter()
    provider = tracer_provider(db)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider.get_tracer("tests"), exporter


def runtime_for(shared: Shared, tmp_path: Path, tracer: Tracer, *, spec: str = SPEC, **kwargs: Any) -> Runtime:
    """The help desk (deployed from `spec`) on `tracer`; `settings`, `actions` and `engines` may be replaced."""
    settings, db, kb = shared
    path = tmp_path / "agent.yaml"
    path.write_text(spec, encoding="utf-8")
    actions = kwargs.pop("actions", None) or help_desk_actions()
    AgentVersions(db, actions).deploy(path)
    return build_runtime(kwargs.pop("settings", settings), db, kb, actions=actions, tracer=tracer, **kwargs)


def by_name(spans: tuple[ReadableSpan, ...] | list[ReadableSpan]) -> dict[str, ReadableSpan]:
    return {span.name: span for span in spans}
