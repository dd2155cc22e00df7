"""The kill switch: take one agent off every conversation at once (the runtime hands each new message to a person)
and put it back; each flip is kept with who and why, and written to the data layer's audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from cadre.data.audit import AuditEntry, AuditLog
from cadre.errors import CadreError
from cadre.observability.alert_tables import AgentSwitchRow
from cadre.store import Database
from cadre.store.base import aware

AUDIT_ENTITY = "(agent)"
MAX_REASON = 2000


class KillSwitchError(CadreError):
    """A kill without a reason, or an agent name that cannot be one."""


@dataclass(frozen=True)
class SwitchState:
    """An agent's switch: `killed`, and the flip that set it (None for an agent never killed)."""

    agent: str
    killed: bool
    by: str | None = None
    reason: str | None = None
    at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "killed": self.killed,
            "by": self.by,
            "reason": self.reason,
            "at": self.at.isoformat() if self.at else None,
        }


class KillSwitch:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._audit = AuditLog(db)

    def kill(self, agent: str, by: str, reason: str) -> SwitchState:
        """Every new message to `agent` goes to a person until it is revived. Killing a killed agent changes
        nothing."""
        if not reason.strip():
            raise KillSwitchError(f"killing agent {agent!r} must say why (a reason), got none")
        return self._flip(agent, killed=True, by=by, reason=reason.strip())

    def revive(self, agent: str, by: str, reason: str = "") -> SwitchState:
        """The agent answers again. Reviving a running agent changes nothing."""
        return self._flip(agent, killed=False, by=by, reason=reason.strip())

    def is_killed(self, agent: str) -> bool:
        """What the runtime asks before each new message: one indexed lookup."""
        with self._db.session() as session:
            killed = session.scalars(
                select(AgentSwitchRow.killed)
                .where(AgentSwitchRow.agent == agent)
                .order_by(AgentSwitchRow.id.desc())
                .limit(1)
            ).first()
        return bool(killed)

    def state(self, agent: str) -> SwitchState:
        history = self.history(agent, limit=1)
        return history[0] if history else SwitchState(agent, killed=False)

    def history(self, agent: str, *, limit: int = 50) -> list[SwitchState]:
        """Newest first."""
        with self._db.session() as session:
            rows = session.scalars(
                select(AgentSwitchRow)
                .where(AgentSwitchRow.agent == agent)
                .order_by(AgentSwitchRow.id.desc())
                .limit(limit)
            ).all()
        return [_state(row) for row in rows]

    def killed_agents(self) -> list[SwitchState]:
        """Agents whose switch is off now, by name."""
        with self._db.session() as session:
            latest = select(func.max(AgentSwitchRow.id)).group_by(AgentSwitchRow.agent).scalar_subquery()
            rows = session.scalars(
                select(AgentSwitchRow)
                .where(AgentSwitchRow.id.in_(latest), AgentSwitchRow.killed.is_(True))
                .order_by(AgentSwitchRow.agent)
            ).all()
        return [_state(row) for row in rows]

    def _flip(self, agent: str, *, killed: bool, by: str, reason: str) -> SwitchState:
        if not agent.strip() or len(agent) > 63:
            raise KillSwitchError(f"agent must be an agent's name of 1 to 63 characters, got {agent!r}")
        if len(reason) > MAX_REASON:
            raise KillSwitchError(f"a reason must be at most {MAX_REASON} characters, got {len(reason)}")
        current = self.state(agent)
        if current.killed == killed:
            return current
        row = AgentSwitchRow(agent=agent, killed=killed, by=by, reason=reason, at=datetime.now(UTC))
        with self._db.session() as session:
            session.add(row)
        verb = "killed" if killed else "revived"
        self._audit.record(
            AuditEntry(
                principal=by,
                purpose="operations",
                operation="write",
                entity=AUDIT_ENTITY,
                fields=["killed"],
                row_count=1,
                decision="allowed",
                detail=f"{verb} agent {agent}" + (f": {reason}" if reason else ""),
            )
        )
        return _state(row)


def _state(row: AgentSwitchRow) -> SwitchState:
    return SwitchState(agent=row.agent, killed=row.killed, by=row.by, reason=row.reason, at=aware(row.at))
