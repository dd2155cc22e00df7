"""Tables the data layer owns: registered sources, identity links and the audit log.

Only link keys live here: the records themselves stay in their sources.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cadre.store.base import Base


class SourceRow(Base):
    __tablename__ = "data_sources"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    uri: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ResolutionRunRow(Base):
    __tablename__ = "identity_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    identity: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    records: Mapped[int] = mapped_column(Integer)
    profiles: Mapped[int] = mapped_column(Integer)
    linked_pairs: Mapped[int] = mapped_column(Integer)
    threshold: Mapped[float]
    seconds: Mapped[float]
    summary: Mapped[dict[str, object]] = mapped_column(JSON)


class IdentityLinkRow(Base):
    """One source record's membership in one unified profile (the latest run per identity wins)."""

    __tablename__ = "identity_links"
    __table_args__ = (
        UniqueConstraint("identity", "member", "record_key", name="uq_identity_links_record"),
        Index("ix_identity_links_profile", "profile_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("identity_runs.id", ondelete="CASCADE"))
    identity: Mapped[str] = mapped_column(String(64))
    profile_id: Mapped[str] = mapped_column(String(32))
    member: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(64))
    record_key: Mapped[str] = mapped_column(String(256))
    match_probability: Mapped[float]


class AuditRow(Base):
    """Append-only, hash-chained: each row's hash covers its content and the previous row's hash."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    principal: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(100))
    operation: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(100))
    fields: Mapped[list[str]] = mapped_column(JSON)
    row_count: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(16))
    policy: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
