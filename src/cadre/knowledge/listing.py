"""What a knowledge collection holds, page by page: its articles (with their languages) and each language version.

Search answers questions; these listings show people what there is to search (the console, the API).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from cadre.errors import NotFound
from cadre.knowledge.store import ChunkRow, DocumentRow
from cadre.store import Database
from cadre.store.base import aware


def collection_documents(db: Database, collection: str, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """One page of the collection's documents by id, and how many it holds."""
    with db.session() as session:
        total = session.scalar(
            select(func.count(func.distinct(DocumentRow.doc_id))).where(DocumentRow.collection == collection)
        )
        if not total:
            raise NotFound(f"knowledge collection {collection!r} is empty or does not exist")
        page = (
            select(DocumentRow.doc_id)
            .where(DocumentRow.collection == collection)
            .group_by(DocumentRow.doc_id)
            .order_by(DocumentRow.doc_id)
            .limit(limit)
            .offset(offset)
        )
        rows = session.scalars(
            select(DocumentRow)
            .where(DocumentRow.collection == collection, DocumentRow.doc_id.in_(page))
            .order_by(DocumentRow.doc_id, DocumentRow.language)
        ).all()
    documents: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = documents.setdefault(
            row.doc_id,
            {
                "doc_id": row.doc_id,
                "title": row.title,
                "url": row.url,
                "source": row.source,
                "source_priority": row.source_priority,
                "updated_at": row.updated_at,
                "ingested_at": aware(row.ingested_at).isoformat(),
                "languages": {},
            },
        )
        if row.language == "en" or not entry["languages"]:  # the English title names the article where there is one
            entry["title"] = row.title
        entry["languages"][row.language] = {"title": row.title, "url": row.url, "updated_at": row.updated_at}
    return list(documents.values()), int(total)


@dataclass(frozen=True)
class DocumentSummary:
    doc_id: str
    title: str
    language: str
    chunks: int
    source: str | None
    url: str | None
    updated_at: str | None
    source_priority: int


def documents(db: Database, collection: str, *, limit: int, offset: int) -> tuple[list[DocumentSummary], int]:
    """One page of the collection's documents (one row per language version) and how many there are."""
    chunks = select(ChunkRow.document_id, func.count().label("chunks")).group_by(ChunkRow.document_id).subquery()
    with db.session() as session:
        total = session.scalar(select(func.count()).where(DocumentRow.collection == collection)) or 0
        rows = session.execute(
            select(DocumentRow, func.coalesce(chunks.c.chunks, 0))
            .outerjoin(chunks, chunks.c.document_id == DocumentRow.id)
            .where(DocumentRow.collection == collection)
            .order_by(DocumentRow.doc_id, DocumentRow.language)
            .limit(limit)
            .offset(offset)
        ).all()
    listed = [
        DocumentSummary(
            doc_id=doc.doc_id,
            title=doc.title,
            language=doc.language,
            chunks=int(count),
            source=doc.source,
            url=doc.url,
            updated_at=doc.updated_at,
            source_priority=doc.source_priority,
        )
        for doc, count in rows
    ]
    return listed, int(total)
