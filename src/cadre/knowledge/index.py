"""Keyword and vector indexes over chunks, one adapter per database dialect.

SQLite: FTS5 over pre-computed terms (words and their trigrams; bigrams for unspaced scripts) and
sqlite-vec. PostgreSQL: a 'simple' tsvector over the same terms, and pgvector. Both answer the same two
questions, so retrieval does not care where it runs. Both score a keyword query's rarest terms only
(`rarest_terms`), counting how many chunks hold each term from the FTS5 vocabulary or PostgreSQL's statistics.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from cadre.knowledge._terms import rarest_terms, terms
from cadre.knowledge.embeddings import Vectors


@dataclass(frozen=True)
class IndexedChunk:
    chunk_id: int
    collection: str
    language: str
    title: str
    headings: str
    text: str
    embedding: Vectors


Ranked = list[tuple[int, float]]  # (chunk id, score: higher is better)

# Keyword queries score their rarest terms while the chunks holding them add up to this many: at 100,000
# chunks, scoring every match of a 30-60 term query took 240 ms; a collection of a few thousand chunks keeps
# every term.
POSTINGS_BUDGET = 10_000


class ChunkIndex(Protocol):
    def add(self, session: Session, chunks: Sequence[IndexedChunk]) -> None: ...

    def remove(self, session: Session, chunk_ids: Sequence[int]) -> None: ...

    def keyword(self, session: Session, query: str, *, collection: str, language: str | None, k: int) -> Ranked: ...

    def vector(
        self, session: Session, embedding: Vectors, *, collection: str, language: str | None, k: int
    ) -> Ranked: ...

    def vectors(self, session: Session, *, collection: str) -> dict[int, Vectors]:
        """Every stored chunk vector of a collection, by chunk id (for curation, not for queries)."""
        ...


def _indexed(value: str, language: str | None) -> str:
    """What FTS5 indexes: the same terms queries are made of, space-separated, so both sides always agree
    (unicode61 alone would split Indic words at their vowel signs and cannot index Chinese bigrams)."""
    return " ".join(terms(value, language))


def _or_query(tokens: list[str]) -> str:
    unique = list(dict.fromkeys(t for t in tokens if t))
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in unique)


class SqliteChunkIndex:
    # bm25 column weights: title, headings, text (collection is unindexed). A title match counts most.
    WEIGHTS = "3.0, 1.5, 1.0, 0.0"

    def __init__(self, *, postings_budget: int = POSTINGS_BUDGET) -> None:
        self.postings_budget = postings_budget

    def add(self, session: Session, chunks: Sequence[IndexedChunk]) -> None:
        for chunk in chunks:
            row = {
                "id": chunk.chunk_id,
                "title": _indexed(chunk.title, chunk.language),
                "headings": _indexed(chunk.headings, chunk.language),
                "text": _indexed(chunk.text, chunk.language),
                "collection": chunk.collection,
            }
            session.execute(
                text(
                    "INSERT INTO kb_chunk_words (rowid, title, headings, text, collection) "
                    "VALUES (:id, :title, :headings, :text, :collection)"
                ),
                row,
            )
            session.execute(
                text(
                    "INSERT INTO kb_chunk_vectors (chunk_id, collection, language, embedding) "
                    "VALUES (:id, :collection, :language, :embedding)"
                ),
                {
                    "id": chunk.chunk_id,
                    "collection": chunk.collection,
                    "language": chunk.language,
                    "embedding": np.asarray(chunk.embedding, dtype=np.float32).tobytes(),
                },
            )

    def remove(self, session: Session, chunk_ids: Sequence[int]) -> None:
        for start in range(0, len(chunk_ids), 500):
            ids = ",".join(str(int(i)) for i in chunk_ids[start : start + 500])
            for table, key in (("kb_chunk_words", "rowid"), ("kb_chunk_vectors", "chunk_id")):
                session.execute(text(f"DELETE FROM {table} WHERE {key} IN ({ids})"))

    def keyword(self, session: Session, query: str, *, collection: str, language: str | None, k: int) -> Ranked:
        tokens = list(dict.fromkeys(terms(query, language)))
        if not tokens:
            return []
        counts = dict.fromkeys(tokens, 0)
        counts.update(
            session.execute(
                text("SELECT term, doc FROM kb_chunk_words_vocab WHERE term IN :terms").bindparams(
                    bindparam("terms", expanding=True)
                ),
                {"terms": tokens},
            ).all()
        )
        # `rank` (not bm25() in ORDER BY) lets FTS5 sort inside the index and stop at the first k rows of the
        # collection instead of handing every match to SQLite's sorter.
        rows = session.execute(
            text(
                "SELECT rowid, rank FROM kb_chunk_words WHERE kb_chunk_words MATCH :match "
                f"AND rank MATCH 'bm25({self.WEIGHTS})' AND collection = :collection ORDER BY rank LIMIT :k"
            ),
            {"match": _or_query(rarest_terms(counts, self.postings_budget)), "collection": collection, "k": k},
        ).all()
        return [(int(r[0]), -float(r[1])) for r in rows]  # bm25() is lower-is-better

    def vector(self, session: Session, embedding: Vectors, *, collection: str, language: str | None, k: int) -> Ranked:
        sql = (
            "SELECT chunk_id, distance FROM kb_chunk_vectors WHERE embedding MATCH :embedding AND k = :k "
            "AND collection = :collection"
        )
        params: dict[str, object] = {
            "embedding": np.asarray(embedding, dtype=np.float32).tobytes(),
            "k": k,
            "collection": collection,
        }
        if language:
            sql += " AND language = :language"
            params["language"] = language
        rows = session.execute(text(sql + " ORDER BY distance"), params).all()
        return [(int(r[0]), 1.0 - float(r[1])) for r in rows]

    def vectors(self, session: Session, *, collection: str) -> dict[int, Vectors]:
        rows = session.execute(
            text("SELECT chunk_id, embedding FROM kb_chunk_vectors WHERE collection = :collection"),
            {"collection": collection},
        ).all()
        return {int(r[0]): np.frombuffer(r[1], dtype=np.float32) for r in rows}


class PostgresChunkIndex:
    def __init__(self, *, postings_budget: int = POSTINGS_BUDGET) -> None:
        self.postings_budget = postings_budget

    def add(self, session: Session, chunks: Sequence[IndexedChunk]) -> None:
        for chunk in chunks:
            search_text = " ".join(terms(f"{chunk.title} {chunk.title} {chunk.headings} {chunk.text}", chunk.language))
            session.execute(
                text(
                    "UPDATE kb_chunks SET search_text = :search_text, embedding = CAST(:embedding AS vector) "
                    "WHERE id = :id"
                ),
                {"id": chunk.chunk_id, "search_text": search_text, "embedding": _vector_literal(chunk.embedding)},
            )

    def remove(self, session: Session, chunk_ids: Sequence[int]) -> None:
        """Index entries live on the chunk rows themselves, so deleting the rows removes them."""

    def keyword(self, session: Session, query: str, *, collection: str, language: str | None, k: int) -> Ranked:
        tokens = list(dict.fromkeys(terms(query, language)))
        if not tokens:
            return []
        counts = dict.fromkeys(tokens, 0)
        counts.update({t: n for t, n in _common_lexemes(session).items() if t in counts})
        rows = session.execute(
            text(
                "SELECT id, ts_rank_cd(words, query) AS rank FROM kb_chunks, "
                "to_tsquery('simple', :query) AS query WHERE collection = :collection AND words @@ query "
                "ORDER BY rank DESC, id LIMIT :k"
            ),
            {
                "query": " | ".join(_ts_lexeme(t) for t in rarest_terms(counts, self.postings_budget)),
                "collection": collection,
                "k": k,
            },
        ).all()
        return [(int(r[0]), float(r[1])) for r in rows]

    def vector(self, session: Session, embedding: Vectors, *, collection: str, language: str | None, k: int) -> Ranked:
        sql = (
            "SELECT id, embedding <=> CAST(:embedding AS vector) AS distance FROM kb_chunks "
            "WHERE collection = :collection AND embedding IS NOT NULL"
        )
        params: dict[str, object] = {"embedding": _vector_literal(embedding), "collection": collection, "k": k}
        if language:
            sql += " AND language = :language"
            params["language"] = language
        rows = session.execute(text(sql + " ORDER BY distance LIMIT :k"), params).all()
        return [(int(r[0]), 1.0 - float(r[1])) for r in rows]

    def vectors(self, session: Session, *, collection: str) -> dict[int, Vectors]:
        rows = session.execute(
            text("SELECT id, embedding::text FROM kb_chunks WHERE collection = :collection AND embedding IS NOT NULL"),
            {"collection": collection},
        ).all()
        return {int(r[0]): np.array(r[1].strip("[]").split(","), dtype=np.float32) for r in rows}


def _vector_literal(embedding: Vectors) -> str:
    return "[" + ",".join(f"{float(x):.7g}" for x in np.asarray(embedding).ravel()) + "]"


def _common_lexemes(session: Session) -> dict[str, int]:
    """Chunk counts of the most common terms, from the planner's statistics (kept by ANALYZE and autovacuum):
    a term they do not list is rarer than every one they do. No statistics yet: no term counts as common."""
    row = session.execute(
        text(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples FROM pg_stats s "
            "JOIN pg_class c ON c.relname = s.tablename AND c.relnamespace = to_regnamespace(s.schemaname) "
            "WHERE s.schemaname = current_schema() AND s.tablename = 'kb_chunks' AND s.attname = 'words'"
        )
    ).first()
    if row is None or row[0] is None:
        return {}
    lexemes, frequencies, chunks = row
    return {lexeme: round(float(f) * max(float(chunks), 0.0)) for lexeme, f in zip(lexemes, frequencies, strict=False)}


def _ts_lexeme(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def index_for(dialect: str, *, postings_budget: int = POSTINGS_BUDGET) -> ChunkIndex:
    if dialect == "postgresql":
        return PostgresChunkIndex(postings_budget=postings_budget)
    return SqliteChunkIndex(postings_budget=postings_budget)
