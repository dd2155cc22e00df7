"""Rollout stages of agent versions: production, a pilot on a share of new conversations, a shadow on live
traffic; every change recorded, so the history is the audit and the current plan is folded from it."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, cast, get_args

from sqlalchemy import select, update

from cadre.agents.killswitch import AUDIT_ENTITY
from cadre.agents.rollout_store import AgentStageRow
from cadre.agents.specs import AgentVersions
from cadre.agents.store import ConversationRow
from cadre.data.audit import AuditEntry, AuditLog
from cadre.errors import CadreError
from cadre.store import Database

Stage = Literal["shadow", "pilot", "production", "off"]
Action = Literal["rollout", "promote", "rollback", "refused"]
STAGES: tuple[Stage, ...] = get_args(Stage)
_PILOT = re.compile(r"^pilot:(\d+(?:\.\d+)?)%?$")


class RolloutInvalid(CadreError):
    """A stage change that cannot be made: an unknown stage or share, or nothing to roll back to."""


@dataclass(frozen=True)
class StageEvent:
    id: int
    agent: str
    version: int
    stage: Stage
    share: float | None
    action: Action
    gates: dict[str, Any] | None
    by: str
    at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "agent": self.agent,
            "version": self.version,
            "stage": self.stage,
            "share": self.share,
            "action": self.action,
            "gates": self.gates,
            "by": self.by,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True)
class StagePlan:
    """Which version serves what, for one agent. `production` None: the latest deployed version serves."""

    agent: str
    production: int | None = None
    pilot: int | None = None
    pilot_share: float = 0.0
    shadow: int | None = None

    def stage_for(self, conversation_id: str) -> Literal["pilot", "production"]:
        """The stage a new conversation joins: the same answer for the same id, on any process."""
        if self.pilot is not None and pilot_bucket(conversation_id) < self.pilot_share:
            return "pilot"
        return "production"

    def to_json(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "production": self.production,
            "pilot": self.pilot,
            "pilot_share": self.pilot_share,
            "shadow": self.shadow,
        }


def pilot_bucket(conversation_id: str) -> float:
    """Where a conversation falls in [0, 1): a hash, so a pilot's share is deterministic and needs no state."""
    digest = hashlib.sha256(conversation_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def parse_stage(text: str) -> tuple[Stage, float | None]:
    """`shadow`, `production`, `off` or `pilot:10%` (a share of new conversations, above 0 and at most 100%)."""
    if text in ("shadow", "production", "off"):
        return cast(Stage, text), None
    matched = _PILOT.match(text)
    if matched is None:
        raise RolloutInvalid(f"stage must be shadow, pilot:N% or production, got {text!r}")
    percent = float(matched.group(1))
    if not 0 < percent <= 100:
        raise RolloutInvalid(f"a pilot's share must be above 0% and at most 100%, got {text!r}")
    return "pilot", percent / 100


def fold(agent: str, events: list[StageEvent]) -> StagePlan:
    """The plan the history leaves: one production, at most one pilot and one shadow; a version holds one stage."""
    production: int | None = None
    pilot: tuple[int, float] | None = None
    shadow: int | None = None
    for event in events:
        if event.action == "refused":
            continue
        version = event.version
        if pilot is not None and pilot[0] == version:
            pilot = None
        if shadow == version:
            shadow = None
        if event.stage == "production":
            production = version
        elif event.stage == "pilot":
            pilot = (version, event.share or 0.0)
        elif event.stage == "shadow":
            shadow = version
    return StagePlan(
        agent=agent,
        production=production,
        pilot=pilot[0] if pilot else None,
        pilot_share=pilot[1] if pilot else 0.0,
        shadow=shadow,
    )


class Rollout:
    """Stage changes of deployed versions, and the per-conversation facts the runtime needs to honour them."""

    def __init__(self, db: Database, versions: AgentVersions) -> None:
        self._db = db
        self._versions = versions

    def history(self, agent: str) -> list[StageEvent]:
        with self._db.session() as session:
            rows = session.scalars(
                select(AgentStageRow).where(AgentStageRow.agent == agent).order_by(AgentStageRow.id)
            ).all()
        return [_event(row) for row in rows]

    def plan(self, agent: str) -> StagePlan | None:
        """The agent's plan, or None when no stage was ever recorded (the latest version serves everything)."""
        events = self.history(agent)
        return fold(agent, events) if events else None

    def record(
        self,
        agent: str,
        version: int,
        stage: Stage,
        *,
        share: float | None = None,
        action: Action = "rollout",
        gates: dict[str, Any] | None = None,
        by: str = "role:admin",
    ) -> StageEvent:
        self._versions.get(agent, version)  # raises UnknownAgent for a version never deployed
        if stage not in STAGES:
            raise RolloutInvalid(f"stage must be one of {', '.join(STAGES)}, got {stage!r}")
        if (stage == "pilot") != (share is not None):
            raise RolloutInvalid(f"a share goes with the pilot stage only, got stage {stage!r} with share {share!r}")
        row = AgentStageRow(
            agent=agent,
            version=version,
            stage=stage,
            share=share,
            action=action,
            gates=gates,
            by=by,
            at=datetime.now(UTC),
        )
        with self._db.session() as session:
            session.add(row)
            session.flush()
            recorded = _event(row)
        if action != "refused":
            # Who changed what customers are served is also in the data layer's hash-chained log, beside the kill
            # switch's flips: one place to verify every operational change.
            where = f"{stage} {share:.0%}" if share is not None else stage
            AuditLog(self._db).record(
                AuditEntry(
                    principal=by,
                    purpose="operations",
                    operation="write",
                    entity=AUDIT_ENTITY,
                    fields=["stage"],
                    row_count=1,
                    decision="allowed",
                    detail=f"{action} agent {agent} version {version} to {where}",
                )
            )
        return recorded

    def rollback(self, agent: str, *, by: str = "role:admin") -> StageEvent:
        """Production goes back to the version that served before the current one (repeated: further back)."""
        events = [e for e in self.history(agent) if e.action != "refused"]
        current = fold(agent, events).production
        if current is None:
            raise RolloutInvalid(f"agent {agent!r} must have a production version to roll back, got none recorded")
        rolled_back = {e.gates["from"] for e in events if e.action == "rollback" and e.gates} | {current}
        for event in reversed(events):
            if event.stage == "production" and event.version not in rolled_back:
                return self.record(
                    agent, event.version, "production", action="rollback", gates={"from": current}, by=by
                )
        raise RolloutInvalid(
            f"agent {agent!r} must have had an earlier production version to roll back to, got only {current}"
        )

    def pin(self, conversation_id: str, version: int) -> None:
        """Record the version a conversation is served by (a pilot's conversations keep it for their life)."""
        with self._db.session() as session:
            session.execute(
                update(ConversationRow).where(ConversationRow.id == conversation_id).values(agent_version=version)
            )

    def shadow_conversation(self, agent: str, live_id: str) -> str | None:
        """The shadow conversation that mirrors live conversation `live_id`, once its first turn has run."""
        with self._db.session() as session:
            found = session.scalars(
                select(ConversationRow.id)
                .where(ConversationRow.agent == agent, ConversationRow.state["shadow_of"].as_string() == live_id)
                .limit(1)
            ).first()
        return found


def _event(row: AgentStageRow) -> StageEvent:
    return StageEvent(
        id=row.id,
        agent=row.agent,
        version=row.version,
        stage=cast(Stage, row.stage),
        share=row.share,
        action=cast(Action, row.action),
        gates=row.gates,
        by=row.by,
        at=row.at,
    )
