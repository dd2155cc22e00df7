"""The table evaluation owns: one row per suite run, its figures and per-case results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cadre.store.base import Base


class EvalRunRow(Base):
    __tablename__ = "eval_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    suite: Mapped[str] = mapped_column(Text)  # the suite file's resolved path (older runs: as it was typed)
    agent: Mapped[str] = mapped_column(String(63), index=True)
    agent_version: Mapped[int] = mapped_column(Integer)
    engine: Mapped[str] = mapped_column(String(32))
    cases: Mapped[int] = mapped_column(Integer)
    passed: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
