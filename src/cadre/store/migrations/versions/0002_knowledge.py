"""Knowledge layer: documents, chunks, decisions and curation reports, with keyword and vector indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DIMENSIONS = 384  # cadre.knowledge.embeddings.DIMENSIONS, frozen here as migrations must be

# SQLite: FTS5 over pre-computed terms (cadre.knowledge._terms: words with their trigrams, bigrams for
# unspaced scripts), its vocabulary (how many chunks hold each term: queries keep their rarest terms), and a
# sqlite-vec table partitioned by collection and language: a search in one language reads only that
# language's vectors (at 100,000 chunks in 7 languages, a language filter on a metadata column still cost
# about as much as reading them all).
SQLITE_INDEXES = [
    "CREATE VIRTUAL TABLE kb_chunk_words USING fts5(title, headings, text, collection UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE kb_chunk_words_vocab USING fts5vocab(kb_chunk_words, row)",
    f"CREATE VIRTUAL TABLE kb_chunk_vectors USING vec0(chunk_id integer primary key, "
    f"collection text partition key, language text partition key, "
    f"embedding float[{DIMENSIONS}] distance_metric=cosine)",
]
# PostgreSQL: a generated tsvector ('simple': no stemming, so every language is treated alike) over
# `search_text`, which holds the same pre-computed terms as SQLite's FTS5 table (pg_trgm is not everywhere),
# and pgvector with an HNSW index for cosine distance.
POSTGRES_INDEXES = [
    "CREATE EXTENSION IF NOT EXISTS vector",
    "ALTER TABLE kb_chunks ADD COLUMN search_text text NOT NULL DEFAULT ''",
    "ALTER TABLE kb_chunks ADD COLUMN words tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    f"ALTER TABLE kb_chunks ADD COLUMN embedding vector({DIMENSIONS})",
    "CREATE INDEX ix_kb_chunks_words ON kb_chunks USING gin (words)",
    "CREATE INDEX ix_kb_chunks_embedding ON kb_chunks USING hnsw (embedding vector_cosine_ops)",
]


def upgrade() -> None:
    op.create_table(
        "kb_documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("collection", sa.String(length=100), nullable=False),
        sa.Column("doc_id", sa.String(length=500), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("source_priority", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_documents")),
        sa.UniqueConstraint("collection", "doc_id", "language", name="uq_kb_documents_doc"),
    )
    op.create_index(op.f("ix_kb_documents_collection"), "kb_documents", ["collection"], unique=False)
    op.create_table(
        "kb_chunks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("collection", sa.String(length=100), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("heading_path", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["kb_documents.id"],
            name=op.f("fk_kb_chunks_document_id_kb_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_chunks")),
    )
    op.create_index("ix_kb_chunks_collection_language", "kb_chunks", ["collection", "language"], unique=False)
    op.create_index(op.f("ix_kb_chunks_document_id"), "kb_chunks", ["document_id"], unique=False)
    op.create_table(
        "kb_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("collection", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("doc_ids", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_decisions")),
    )
    op.create_index(op.f("ix_kb_decisions_collection"), "kb_decisions", ["collection"], unique=False)
    op.create_table(
        "kb_curation_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("collection", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_curation_reports")),
    )
    op.create_index(op.f("ix_kb_curation_reports_collection"), "kb_curation_reports", ["collection"], unique=False)
    statements = POSTGRES_INDEXES if op.get_bind().dialect.name == "postgresql" else SQLITE_INDEXES
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in ("kb_chunk_words_vocab", "kb_chunk_words", "kb_chunk_vectors"):
            op.execute(f"DROP TABLE {table}")
    for table in ("kb_curation_reports", "kb_decisions", "kb_chunks", "kb_documents"):
        op.drop_table(table)
