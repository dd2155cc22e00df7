"""Tables the portfolio owns: one row per registered agent or proposal, and the history of its stage changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cadre.store.base import Base


class PortfolioEntryRow(Base):
    __tablename__ = "portfolio_entries"

    name: Mapped[str] = mapped_column(String(63), primary_key=True)
    stage: Mapped[str] = mapped_column(String(16))  # proposed | building | pilot | hero | retired
    owner: Mapped[str | None] = mapped_column(String(200))
    problem: Mapped[str | None] = mapped_column(Text)
    kpis: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    proposal: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the intake proposal, as validated
    assessment: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # its intake scores
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PortfolioStageRow(Base):
    __tablename__ = "portfolio_stages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(63), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(16))
    to_stage: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(String(200))
    why: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what the gate read (a promotion, a version)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
