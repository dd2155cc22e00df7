"""Assemble a `Runtime` from settings: actions, engines, guardrails and the services actions read through."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from opentelemetry.trace import Tracer

from cadre.agents.actions import ActionRegistry
from cadre.agents.conversations import ConversationStore
from cadre.agents.killswitch import KillSwitch
from cadre.agents.registry import load_actions
from cadre.agents.rollout import Rollout
from cadre.agents.runtime import Runtime
from cadre.agents.specs import AgentVersions
from cadre.data.profiles import assemble_profile
from cadre.engines.base import Engine
from cadre.engines.config import chat_model_from_settings
from cadre.engines.llm import LLMEngine
from cadre.engines.offline import OfflineEngine
from cadre.errors import CadreError
from cadre.guardrails.injection import InjectionDetector
from cadre.knowledge.service import KnowledgeBase
from cadre.observability.events import EventStore
from cadre.observability.live_scoring import LiveScorer
from cadre.observability.tracing import configure_tracing
from cadre.settings import Settings
from cadre.store import Database


def build_runtime(
    settings: Settings,
    db: Database,
    knowledge: KnowledgeBase,
    *,
    data: Any | None = None,
    actions: ActionRegistry | None = None,
    engines: Mapping[str, Engine] | None = None,
    tracer: Tracer | None = None,
) -> Runtime:
    """The runtime for this installation. `engines` adds to (or replaces) the offline and configured LLM engines;
    `tracer` (default: the installation's, storing each turn's trace and exporting it over OTLP when configured)
    receives every turn's trace."""
    registry = actions if actions is not None else load_actions(settings.action_modules)
    embedder = knowledge.embedder
    available: dict[str, Engine] = {"offline": OfflineEngine(embedder)}
    model = chat_model_from_settings(settings)
    if model is not None:
        available["openai"] = LLMEngine(model, name="openai")
    available.update(engines or {})
    versions = AgentVersions(db, registry)
    events = EventStore(db)
    services: dict[str, Any] = {"knowledge": knowledge, "events": events}
    if data is not None:
        services["data"] = data
    return Runtime(
        versions=versions,
        conversations=ConversationStore(db),
        actions=registry,
        knowledge=knowledge,
        embedder=embedder,
        engines=available,
        services=services,
        injection=InjectionDetector(embedder=embedder),
        on_model_failure=settings.llm_on_failure,
        profile_of=_profile_reader(data) if data is not None else None,
        stages=Rollout(db, versions),
        events=events,
        kill_switch=KillSwitch(db),
        scorer=LiveScorer(embedder, events, share=settings.live_score_share) if settings.live_score_share else None,
        tracer=tracer if tracer is not None else configure_tracing(settings, db),
    )


def _profile_reader(data: Any) -> Callable[[str, str, str], dict[str, Any] | None]:
    """The unified profile a human sees with a hand-off, read in place under the agent's own principal."""

    def read(person_id: str, agent: str, purpose: str) -> dict[str, Any] | None:
        try:
            profile = assemble_profile(data, person_id, principal=f"agent:{agent}", purpose=purpose, partial=True)
        except CadreError:  # no such profile, or governance says the agent may not read it: hand off without
            return None
        fields = {k: v.value for k, v in profile.fields.items()}
        return {"profile_id": profile.profile_id, "fields": fields, "withheld": profile.withheld}

    return read
