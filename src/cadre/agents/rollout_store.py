"""The table of rollout events: each stage change of an agent version (and each refused promotion), as audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cadre.store.base import Base


class AgentStageRow(Base):
    __tablename__ = "agent_stages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agent: Mapped[str] = mapped_column(String(63), index=True)
    version: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(16))  # shadow | pilot | production | off
    share: Mapped[float | None] = mapped_column(Float)  # pilot: the share of new conversations, 0..1
    action: Mapped[str] = mapped_column(String(16))  # rollout | promote | rollback | refused
    gates: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # gate checks and the runs they read
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
