"""Tables the knowledge layer owns: documents, chunks, curation decisions and reports.

Keyword and vector indexes are dialect-specific companions of `kb_chunks` (FTS5 and sqlite-vec on
SQLite; full text and pgvector on PostgreSQL), created by the migrations and kept by `index.py`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cadre.store.base import Base


class DocumentRow(Base):
    __tablename__ = "kb_documents"
    # One row per language: translations of an article share its `doc_id`.
    __table_args__ = (UniqueConstraint("collection", "doc_id", "language", name="uq_kb_documents_doc"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    collection: Mapped[str] = mapped_column(String(100), index=True)
    doc_id: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(Text)
    source_priority: Mapped[int] = mapped_column(Integer, default=0)
    content_hash: Mapped[str] = mapped_column(String(64))
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChunkRow(Base):
    __tablename__ = "kb_chunks"
    __table_args__ = (Index("ix_kb_chunks_collection_language", "collection", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("kb_documents.id", ondelete="CASCADE"), index=True)
    collection: Mapped[str] = mapped_column(String(100))
    ordinal: Mapped[int] = mapped_column(Integer)
    heading_path: Mapped[list[str]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    # How much the chunk reads as instructions to a model, scored by `cadre kb scan` with the detector
    # `injection_version` names, so turns need not scan what they retrieve (a newer detector's turns scan it again).
    injection_score: Mapped[float | None] = mapped_column(Float)
    injection_version: Mapped[str | None] = mapped_column(String(40))


class DecisionRow(Base):
    """A curator's decision; retrieval reads the active ones on every query."""

    __tablename__ = "kb_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    collection: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    doc_ids: Mapped[list[str]] = mapped_column(JSON)  # prefer/merge: first is the one kept
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CurationReportRow(Base):
    __tablename__ = "kb_curation_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    collection: Mapped[str] = mapped_column(String(100), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    report: Mapped[dict[str, object]] = mapped_column(JSON)
