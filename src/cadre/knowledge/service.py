"""The knowledge layer's front door: ingest, search and decide, on the configured store and embedder."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, update

from cadre.errors import ConfigError, NotFound
from cadre.guardrails.injection import InjectionDetector
from cadre.knowledge.embeddings import Embedder, default_embedder
from cadre.knowledge.index import index_for
from cadre.knowledge.ingest import DocumentScanner, Progress, ingest_paths, scan_chunks
from cadre.knowledge.models import DecisionKind, IngestReport, ScanReport, SearchMode, SearchResponse
from cadre.knowledge.retrieve import search
from cadre.knowledge.store import ChunkRow, DecisionRow, DocumentRow
from cadre.store import Database


class KnowledgeBase:
    def __init__(
        self, db: Database, embedder: Embedder | None = None, *, scanner: DocumentScanner | None = None
    ) -> None:
        self.db = db
        self.embedder = embedder or default_embedder()
        self.index = index_for(db.dialect)
        # `scan` scores chunks for instructions aimed at a model once, after ingestion: agents then read the stored
        # score of what they retrieve instead of scanning it on every turn.
        self.scanner = scanner or InjectionDetector(embedder=self.embedder)

    def ingest(
        self,
        paths: Sequence[Path],
        *,
        collection: str,
        language: str = "auto",
        source_priority: int = 0,
        progress: Progress | None = None,
    ) -> IngestReport:
        return ingest_paths(
            self.db,
            self.index,
            self.embedder,
            paths,
            collection=collection,
            language=language,
            source_priority=source_priority,
            progress=progress,
        )

    def scan(self, collection: str, *, progress: Progress | None = None) -> ScanReport:
        """Score the chunks of `collection` not yet scored by this detector version; list the flagged ones."""
        return scan_chunks(self.db, collection, self.scanner, progress=progress)

    def search(
        self, query: str, *, collection: str, k: int = 5, language: str | None = None, mode: SearchMode = "hybrid"
    ) -> SearchResponse:
        if not query.strip():
            raise ConfigError("the search query is empty")
        return search(
            self.db, self.index, self.embedder, query, collection=collection, k=k, language=language, mode=mode
        )

    def collections(self) -> list[dict[str, object]]:
        with self.db.session() as session:
            rows = session.execute(
                select(DocumentRow.collection, DocumentRow.language, func.count())
                .group_by(DocumentRow.collection, DocumentRow.language)
                .order_by(DocumentRow.collection, DocumentRow.language)
            ).all()
            chunks = dict(
                session.execute(select(ChunkRow.collection, func.count()).group_by(ChunkRow.collection)).all()
            )
        listed: dict[str, dict[str, object]] = {}
        for collection, language, count in rows:
            entry = listed.setdefault(
                collection,
                {"collection": collection, "documents": 0, "languages": {}, "chunks": chunks.get(collection, 0)},
            )
            entry["documents"] = int(entry["documents"]) + count  # type: ignore[call-overload]
            entry["languages"][language] = count  # type: ignore[index]
        return list(listed.values())

    def decide(
        self,
        kind: DecisionKind,
        doc_ids: Sequence[str],
        *,
        collection: str,
        note: str | None = None,
        decided_by: str = "role:admin",
    ) -> DecisionRow:
        """Record a curation decision; retrieval honours it from the next query on."""
        needed = 1 if kind == "deprecate" else 2
        if len(doc_ids) < needed:
            raise ConfigError(f"`{kind}` needs at least {needed} document id(s), got {len(doc_ids)}")
        with self.db.session() as session:
            found = set(
                session.scalars(
                    select(DocumentRow.doc_id).where(
                        DocumentRow.collection == collection, DocumentRow.doc_id.in_(list(doc_ids))
                    )
                )
            )
            missing = [d for d in doc_ids if d not in found]
            if missing:
                raise NotFound(f"collection {collection!r} has no document(s) {missing}")
            decision = DecisionRow(
                collection=collection,
                kind=kind,
                doc_ids=list(doc_ids),
                note=note,
                decided_by=decided_by,
                created_at=datetime.now(UTC),
            )
            session.add(decision)
        return decision

    def decisions(self, collection: str) -> list[DecisionRow]:
        with self.db.session() as session:
            return list(
                session.scalars(
                    select(DecisionRow).where(DecisionRow.collection == collection).order_by(DecisionRow.id)
                )
            )

    def revoke(self, decision_id: int) -> None:
        with self.db.session() as session:
            done = session.execute(
                update(DecisionRow)
                .where(DecisionRow.id == decision_id, DecisionRow.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            )
            if not done.rowcount:  # type: ignore[attr-defined]
                raise NotFound(f"no active decision {decision_id}")
