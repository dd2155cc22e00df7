"""Ingestion: read files, detect languages, chunk, embed in batches, and index — incrementally."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Row, delete, or_, select, update
from sqlalchemy.orm import Session

from cadre.errors import ConfigError, NotFound
from cadre.knowledge.chunking import chunk_document
from cadre.knowledge.embeddings import Embedder, Vectors
from cadre.knowledge.index import ChunkIndex, IndexedChunk
from cadre.knowledge.language import detect_language
from cadre.knowledge.models import ChunkText, IngestProblem, IngestReport, ScanReport, SourceDocument
from cadre.knowledge.readers import UnreadableFile, collect_files, read_documents
from cadre.knowledge.store import ChunkRow, DocumentRow
from cadre.store import Database

EMBED_BATCH = 64
Progress = Callable[[str, int], None]  # (what happened, how many chunks)


class DocumentScanner(Protocol):
    """Scores texts for instructions aimed at a model (the injection detector). `version` changes whenever its
    scores could, so a stored score is only trusted under the version that gave it."""

    threshold: float

    @property
    def version(self) -> str: ...

    def document_scores(self, texts: Sequence[str]) -> list[float]: ...


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
    # Translations of one article share its id: a document is known by (id, language).
    documents: dict[tuple[str, str], tuple[SourceDocument, str]] = {}
    unreadable_sources: set[str] = set()
    for path in files:
        root = next((r for r in roots if r.is_dir() and path.is_relative_to(r)), None)
        for item in read_documents(path, root=root):
            if isinstance(item, UnreadableFile):
                report.problems.append(IngestProblem(source=str(path), error=str(item)))
                unreadable_sources.add(str(path))
                continue
            detected = str(
                item.language
                or (None if language == "auto" else language)
                or detect_language(f"{item.title}\n{item.text}", default="und")
            )
            key = (item.doc_id, detected)
            if key in documents:
                first = documents[key][0].source
                report.problems.append(
                    IngestProblem(
                        source=item.source or str(path),
                        error=f"duplicate document id {item.doc_id!r} in {detected!r} (first seen in {first}); "
                        "this one was skipped",
                    )
                )
            else:
                documents[key] = (item, detected)

    with db.session() as session:
        existing = {
            (row.doc_id, row.language): (row.content_hash, row.source_priority, row.source)
            for row in session.scalars(select(DocumentRow).where(DocumentRow.collection == collection))
        }
    gone = sorted(
        key
        for key, (_, _, source) in existing.items()
        if key not in documents and _under(source, roots) and not _from_unreadable(source, unreadable_sources)
    )

    batch_languages = Counter(doc_id for doc_id, _ in documents)
    changed: list[_Prepared] = []
    for key, (document, detected) in documents.items():
        label = _label(key, batch_languages)
        if existing.get(key, (None, None, None))[:2] == (document.content_hash, source_priority):
            report.unchanged.append(label)
            continue
        changed.append(_Prepared(document, detected, chunk_document(document.title, document.text)))
        (report.updated if key in existing else report.added).append(label)
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
            rows = [
                row
                for row in session.scalars(
                    select(DocumentRow).where(
                        DocumentRow.collection == collection, DocumentRow.doc_id.in_([d for d, _ in gone])
                    )
                )
                if (row.doc_id, row.language) in gone
            ]
            chunk_ids = list(session.scalars(select(ChunkRow.id).where(ChunkRow.document_id.in_([r.id for r in rows]))))
            index.remove(session, chunk_ids)
            session.execute(delete(ChunkRow).where(ChunkRow.id.in_(chunk_ids)))
            session.execute(delete(DocumentRow).where(DocumentRow.id.in_([r.id for r in rows])))
        stored_languages = Counter(doc_id for doc_id, _ in existing)
        report.removed = [_label(key, stored_languages) for key in gone]
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def scan_chunks(
    db: Database, collection: str, scanner: DocumentScanner, *, progress: Progress | None = None
) -> ScanReport:
    """Score the collection's chunks that no scanner of this version scored yet (new, changed, or scored by an
    older detector), and list every chunk that reads as instructions to a model."""
    started = time.perf_counter()
    stale = or_(ChunkRow.injection_version.is_(None), ChunkRow.injection_version != scanner.version)
    with db.session() as session:
        if session.scalar(select(ChunkRow.id).where(ChunkRow.collection == collection).limit(1)) is None:
            raise NotFound(
                f"collection {collection!r} is empty or does not exist",
                hint="ingest documents with `cadre kb ingest PATH --collection NAME`",
            )
        rows = list(session.execute(select(ChunkRow.id, ChunkRow.text).where(ChunkRow.collection == collection, stale)))
    if progress:
        progress("total", len(rows))
    for start in range(0, len(rows), EMBED_BATCH):
        batch = rows[start : start + EMBED_BATCH]
        scores = scanner.document_scores([text for _, text in batch])
        scored = [
            {"id": chunk_id, "injection_score": score, "injection_version": scanner.version}
            for (chunk_id, _), score in zip(batch, scores, strict=True)
        ]
        with db.session() as session:
            session.execute(update(ChunkRow), scored)  # one UPDATE by primary key, run for every row
        if progress:
            progress("scanned", len(batch))
    flagged = _flagged(db, collection, scanner)
    return ScanReport(collection, scanned=len(rows), flagged=flagged, seconds=round(time.perf_counter() - started, 3))


def _flagged(db: Database, collection: str, scanner: DocumentScanner) -> list[str]:
    with db.session() as session:
        return [f"{c.doc_id}#{c.language}-{c.ordinal}" for c in flagged_chunks(session, collection, scanner.threshold)]


def flagged_chunks(session: Session, collection: str, threshold: float) -> list[Row[Any]]:
    """The collection's chunks a scan scored `threshold` or more, by document, language and position: each with
    `doc_id`, `title`, `language`, `ordinal`, `text`, `injection_score` and `injection_version`."""
    return list(
        session.execute(
            select(
                DocumentRow.doc_id,
                DocumentRow.title,
                ChunkRow.language,
                ChunkRow.ordinal,
                ChunkRow.text,
                ChunkRow.injection_score,
                ChunkRow.injection_version,
            )
            .join(DocumentRow, ChunkRow.document_id == DocumentRow.id)
            .where(ChunkRow.collection == collection, ChunkRow.injection_score >= threshold)
            .order_by(DocumentRow.doc_id, ChunkRow.language, ChunkRow.ordinal)
        )
    )


def _label(key: tuple[str, str], languages_per_id: Counter[str]) -> str:
    """A document's id, with its language when the id exists in more than one language."""
    doc_id, language = key
    return f"{doc_id} ({language})" if languages_per_id[doc_id] > 1 else doc_id


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
            select(DocumentRow).where(
                DocumentRow.collection == collection,
                DocumentRow.doc_id == document.doc_id,
                DocumentRow.language == prepared.language,
            )
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
