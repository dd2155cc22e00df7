"""Choice slots (`Literal` arguments) and whole localized questions, asked and filled by the offline engine."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest

from cadre.agents.actions import ActionContext, ActionOutcome, ActionRegistry, Slot, build_action
from cadre.agents.runtime import Runtime, TurnRequest
from cadre.agents.setup import build_runtime
from cadre.agents.slots import match_choice
from cadre.agents.specs import AgentVersions
from cadre.knowledge.service import KnowledgeBase
from cadre.settings import Settings
from cadre.store import Database

SPEC = """\
name: editions
description: Moves customers between editions.
role: You change the customer's edition.
languages: [en, es]
channels: [api]
knowledge: [help]
topics:
  - name: change-edition
    description: Moving the subscription to another edition.
    examples: [I want to change my edition, Switch my plan to another edition]
    actions: [change_edition]
"""

WHEN = {"en": "When should the change apply?", "es": "¿Cuándo debe aplicarse el cambio?"}
SEEN_AT: list[datetime] = []


def change_edition(
    context: ActionContext,
    edition: Literal["starter", "professional", "enterprise"],
    timing: Annotated[Literal["now", "next-renewal"], Slot("choice", prompt=WHEN)],
) -> dict[str, str]:
    """Move the subscription to another edition, now or at the next renewal."""
    SEEN_AT.append(context.now)
    return {"message": f"Edition {edition}, {timing}."}


@pytest.fixture
def runtime(_shared_kb: tuple[Settings, Database, KnowledgeBase], tmp_path: Path) -> Runtime:
    settings, db, kb = _shared_kb
    registry = ActionRegistry([build_action(change_edition)])
    spec = tmp_path / "editions.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    AgentVersions(db, registry).deploy(spec)
    return build_runtime(settings, db, kb, actions=registry)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please move us to Enterprise", "enterprise"),
        ("next renewal is fine", "next-renewal"),
        ("NEXT_RENEWAL", "next-renewal"),
        ("starter or enterprise?", None),  # two named: not a choice
        ("the professionals", None),  # a word containing a value is not the value
    ],
)
def test_a_choice_is_the_one_value_named(text: str, expected: str | None) -> None:
    assert match_choice(("starter", "professional", "enterprise", "next-renewal"), text) == expected


def test_a_literal_argument_is_a_choice_slot() -> None:
    action = build_action(change_edition)
    edition, timing = action.parameters
    assert edition.slot is not None and edition.slot.kind == "choice"
    assert edition.choices == ("starter", "professional", "enterprise")
    assert timing.slot is not None and timing.slot.question("es") == WHEN["es"]
    assert timing.slot.question("ja") == WHEN["en"]


def test_the_engine_asks_for_each_missing_choice_and_fills_it_from_the_answers(runtime: Runtime) -> None:
    pinned = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    first = runtime.run_turn(TurnRequest(agent="editions", message="I want to change my edition", now=pinned))
    assert first.actions == []
    assert "starter / professional / enterprise" in first.reply
    second = runtime.run_turn(
        TurnRequest(agent="editions", message="professional", conversation_id=first.conversation_id, now=pinned)
    )
    assert second.actions == []
    assert second.reply == WHEN["en"]  # the spec's own question, word for word
    third = runtime.run_turn(
        TurnRequest(agent="editions", message="at the next renewal", conversation_id=first.conversation_id, now=pinned)
    )
    assert [a["name"] for a in third.actions] == ["change_edition"]
    assert third.actions[0]["arguments"] == {"edition": "professional", "timing": "next-renewal"}
    assert third.reply == "Edition professional, next-renewal."
    assert SEEN_AT[-1] == pinned  # actions see the turn's pinned time


def test_three_questions_in_a_row_are_each_a_first_ask(runtime: Runtime) -> None:
    # Answering one question and being asked the next is progress: only the same question asked again counts
    # towards giving up, so an action with several missing arguments never hands off for having many.
    first = runtime.run_turn(TurnRequest(agent="editions", message="I want to change my edition"))
    again = runtime.run_turn(TurnRequest(agent="editions", message="hmm", conversation_id=first.conversation_id))
    assert "look like a valid" in again.reply and again.handoff is None
    second = runtime.run_turn(
        TurnRequest(agent="editions", message="enterprise", conversation_id=first.conversation_id)
    )
    assert second.reply == WHEN["en"] and second.handoff is None
    third = runtime.run_turn(TurnRequest(agent="editions", message="now", conversation_id=first.conversation_id))
    assert third.actions[0]["arguments"] == {"edition": "enterprise", "timing": "now"}


def send_link(context: ActionContext) -> dict[str, str]:
    """Send a reset-access link to the verified customer's email."""
    return {"message": "sent"}


@pytest.mark.parametrize(
    ("effects", "confidence", "runs"),
    [(True, 0.4, False), (True, 0.7, True), (False, 0.4, True)],
)
def test_an_action_with_effects_runs_unasked_only_on_a_sure_route(effects: bool, confidence: float, runs: bool) -> None:
    from cadre.agents.models import AgentSpec
    from cadre.engines.base import ActionCall, EngineTurn
    from cadre.engines.offline import OfflineEngine
    from cadre.knowledge.embeddings import default_embedder

    spec = AgentSpec.model_validate(
        {
            "name": "access",
            "description": "Resets access.",
            "role": "r",
            "languages": ["en"],
            "topics": [{"name": "access", "description": "Reset links", "knowledge": [], "actions": ["send_link"]}],
        }
    )
    action = build_action(send_link, effects=effects)
    calls: list[str] = []

    def call(name: str, arguments: Mapping[str, Any]) -> ActionCall:
        calls.append(name)
        return ActionCall(name, dict(arguments), ActionOutcome(ok=True, result={"message": "sent"}))

    turn = EngineTurn(
        spec=spec,
        topic=spec.topics[0],
        route_confidence=confidence,
        message="Security FAQ",  # nothing in it asks for a link
        language="en",
        history=[],
        passages=[],
        actions={"send_link": action},
        call_action=call,
        state={},
    )
    OfflineEngine(default_embedder()).run(turn)
    assert calls == (["send_link"] if runs else [])
