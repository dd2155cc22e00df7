"""A knowledge collection's documents, one entry per article with the languages it exists in.

The knowledge base lists collections and searches them; listing what a collection holds is only needed by the API
and the console, so it lives here until the knowledge part offers it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from cadre.errors import NotFound
from cadre.knowledge.store import DocumentRow
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
