"""Tables of alerts and their consequences: incidents, each incident's timeline, and the per-agent kill switch."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cadre.store.base import Base


class IncidentRow(Base):
    """One incident: a rule that fired for one agent, from its opening until a person resolves it."""

    __tablename__ = "incidents"
    # The worker looks up "the unresolved incident of this rule and agent" on every firing.
    __table_args__ = (Index("ix_incidents_rule_agent_status", "rule", "agent", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule: Mapped[str] = mapped_column(String(100))
    agent: Mapped[str] = mapped_column(String(63))
    metric: Mapped[str] = mapped_column(String(63))
    severity: Mapped[str] = mapped_column(String(16))  # info | warning | critical
    condition: Mapped[str] = mapped_column(String(300))  # the rule as a person reads it
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | acknowledged | resolved
    value: Mapped[float | None] = mapped_column(Float)  # the metric when it last fired
    previous: Mapped[float | None] = mapped_column(Float)  # the preceding window's value, for compare rules
    firings: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_fired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)  # window, metric series, example conversations
    notifications: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # each delivery attempt and its outcome


class IncidentEntryRow(Base):
    """One line of an incident's timeline: opened, fired again, cleared, acknowledged, a note, resolved."""

    __tablename__ = "incident_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)


class AgentSwitchRow(Base):
    """One flip of an agent's kill switch; the latest row per agent is its state (no row: running)."""

    __tablename__ = "agent_switches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agent: Mapped[str] = mapped_column(String(63), index=True)
    killed: Mapped[bool] = mapped_column(Boolean)
    by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
