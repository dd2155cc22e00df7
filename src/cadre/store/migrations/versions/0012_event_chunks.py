"""Event chunks: each past day's live events packed as columns per agent, topic, language and channel, so dashboard
windows of weeks are counted from a few bytes per event.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

EventId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "event_chunks",
        sa.Column("id", EventId, autoincrement=True, nullable=False),
        sa.Column("day", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agent", sa.String(length=63), nullable=False),
        sa.Column("topic", sa.String(length=63), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("others", sa.Integer(), nullable=False),
        sa.Column("turn_columns", sa.LargeBinary(), nullable=False),
        sa.Column("other_columns", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_chunks")),
        sa.UniqueConstraint("day", "agent", "topic", "language", "channel", name=op.f("uq_event_chunks_day")),
    )
    with op.batch_alter_table("event_chunks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_chunks_day"), ["day"], unique=False)
    op.create_table(
        "event_chunk_days",
        sa.Column("day", sa.DateTime(timezone=True), nullable=False),
        sa.Column("through_id", EventId, nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("packed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_event_chunk_days")),
    )


def downgrade() -> None:
    op.drop_table("event_chunk_days")
    with op.batch_alter_table("event_chunks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_chunks_day"))
    op.drop_table("event_chunks")
