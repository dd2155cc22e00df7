"""Ingestion: read files, detect languages, chunk, embed in batches, and index — incrementally."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, select

from cadre.errors import ConfigError
from cadre.knowledge.chunking import chunk_document
from cadre.knowledge.embeddings import Embedder, Vectors
from cadre.knowledge.index import ChunkIndex, IndexedChunk
from cadre.knowledge.language import detect_language
from cadre.knowledge.models import ChunkText, IngestProblem, IngestReport, SourceDocument
from cadre.knowledge.readers import UnreadableFile, collect_files, read_documents
from cadre.knowledge.store import ChunkRow, DocumentRow
from cadre.store import Database

EMBED_BATCH = 64
Progress = Callable[[str, int], None]  # (what happened, how many chunks)


@dataclass(frozen=True)
class _Prepared:
    document: SourceDocument
    language: str
    chunks: list[ChunkText]


def embedding_text(title: str, heading_path: Sequence[str], text: str) -> str:
    """What the model sees for a chunk: its title and headings give a short passage its context."""
    heading = " > ".join(heading_path)
    return f"{title}\n{heading}\n{text}" if heading else f"{title}\n{text}"


def ingest_paths(
    db: Database,
    index: ChunkIndex,
    embedder: Embedder,
    paths: Sequence[Path],
    *,
    collection: str,
    language: str = "auto",
    source_priority: int = 0,
    progress: Progress | None = None,
) -> IngestReport:
    """Bring `collection` in line with `paths`: add new, re-index changed, drop documents gone from them."""
    started = time.perf_counter()
    if not collection.strip():
        raise ConfigError("--collection must name a collection, got an empty string")
    report = IngestReport(collection=collection)
    roots = [p.resolve() for p in paths]
    files = collect_files(roots)
    documents: dict[str, SourceDocument] = {}
    unreadable_sources: set[str] = set()
    for path in files:
        root = next((r for r in roots if r.is_dir() and path.is_relative_to(r)), None)
        for item in read_documents(path, root=root):
            if isinstance(item, UnreadableFile):
                report.problems.append(IngestProblem(source=str(path), error=str(item)))
                unreadable_sources.add(str(path))
            elif item.doc_id in documents:
                report.problems.append(
                    IngestProblem(
                        source=item.source or str(path),
                        error=f"duplicate document id {item.doc_id!r} (first seen in {documents[item.doc_id].source}); "
                        "this one was skipped",
                    )
                )
            else:
                documents[item.doc_id] = item

    with db.session() as session:
        existing = {
            row.doc_id: row for row in session.scalars(select(DocumentRow).where(DocumentRow.collection == collection))
        }
        known = {doc_id: (row.content_hash, row.source_priority) for doc_id, row in existing.items()}
        gone = [
            row.doc_id
            for row in existing.values()
            if row.doc_id not in documents
            and _under(row.source, roots)
            and not _from_unreadable(row.source, unreadable_sources)
        ]

    changed: list[_Prepared] = []
    for doc_id, document in documents.items():
        if known.get(doc_id) == (document.content_hash, source_priority):
            report.unchanged.append(doc_id)
            continue
        detected = (
            document.language
            or (None if language == "auto" else language)
            or detect_language(f"{document.title}\n{document.text}", default="und")
        )
        changed.append(_Prepared(document, str(detected), chunk_document(document.title, document.text)))
        (report.updated if doc_id in known else report.added).append(doc_id)
    if progress:
        progress("total", sum(len(p.chunks) for p in changed))

    for batch in _batches(changed, EMBED_BATCH):
        texts = [embedding_text(p.document.title, c.heading_path, c.text) for p in batch for c in p.chunks]
        vectors = embedder.embed_passages(texts)
        offset = 0
        for prepared in batch:
            count = len(prepared.chunks)
            _store_document(db, index, prepared, collection, source_priority, vectors[offset : offset + count])
            offset += count
            report.chunks += count
        if progress:
            progress("embedded", offset)

    if gone:
        with db.session() as session:
            rows = session.scalars(
                select(DocumentRow).where(DocumentRow.collection == collection, DocumentRow.doc_id.in_(gone))
            ).all()
            chunk_ids = list(session.scalars(select(ChunkRow.id).where(ChunkRow.document_id.in_([r.id for r in rows]))))
            index.remove(session, chunk_ids)
            session.execute(delete(ChunkRow).where(ChunkRow.id.in_(chunk_ids)))
            session.execute(delete(DocumentRow).where(DocumentRow.id.in_([r.id for r in rows])))
        report.removed = sorted(gone)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _under(source: str | None, roots: list[Path]) -> bool:
    if not source:
        return False
    path = Path(source.rsplit(":", 1)[0] if source.rsplit(":", 1)[-1].isdigit() else source)
    return any(path == root or path.is_relative_to(root) for root in roots)


def _from_unreadable(source: str | None, unreadable: set[str]) -> bool:
    # A file that failed to read this time keeps its documents: a read error must not delete knowledge.
    if source is None:
        return False
    return any(source == u or source.startswith(u + ":") for u in unreadable)


def _batches(prepared: list[_Prepared], size: int) -> list[list[_Prepared]]:
    batches: list[list[_Prepared]] = []
    current: list[_Prepared] = []
    count = 0
    for item in prepared:
        current.append(item)
        count += len(item.chunks)
        if count >= size:
            batches.append(current)
            current, count = [], 0
    if current:
        batches.append(current)
    return batches


def _store_document(
    db: Database, index: ChunkIndex, prepared: _Prepared, collection: str, priority: int, vectors: Vectors
) -> None:
    """Replace one document and its chunks in one transaction: readers never see half of it."""
    document = prepared.document
    with db.session() as session:
        row = session.scalar(
            select(DocumentRow).where(DocumentRow.collection == collection, DocumentRow.doc_id == document.doc_id)
        )
        if row is not None:
            old = list(session.scalars(select(ChunkRow.id).where(ChunkRow.document_id == row.id)))
            index.remove(session, old)
            session.execute(delete(ChunkRow).where(ChunkRow.document_id == row.id))
        else:
            row = DocumentRow(collection=collection, doc_id=document.doc_id)
            session.add(row)
        row.title, row.url, row.language = document.title, document.url, prepared.language
        row.updated_at, row.source, row.source_priority = document.updated_at, document.source, priority
        row.content_hash, row.ingested_at = document.content_hash, datetime.now(UTC)
        session.flush()
        chunk_rows = [
            ChunkRow(
                document_id=row.id,
                collection=collection,
                ordinal=c.ordinal,
                heading_path=list(c.heading_path),
                language=prepared.language,
                text=c.text,
            )
            for c in prepared.chunks
        ]
        session.add_all(chunk_rows)
        session.flush()
        index.add(
            session,
            [
                IndexedChunk(
                    chunk_id=c.id,
                    collection=collection,
                    language=prepared.language,
                    title=document.title,
                    headings=" > ".join(c.heading_path),
                    text=c.text,
                    embedding=vectors[i],
                )
                for i, c in enumerate(chunk_rows)
            ],
        )
