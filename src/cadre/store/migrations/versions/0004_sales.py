"""Sales: SDR runs, lead sequences, outbound messages, inbound replies and meetings.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "sales_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _when("now"),
        sa.Column("summary", sa.JSON(), nullable=False),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_runs")),
    )
    op.create_index(op.f("ix_sales_runs_now"), "sales_runs", ["now"], unique=False)
    op.create_table(
        "sales_sequences",
        sa.Column("lead_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stop_reason", sa.String(length=32), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        _when("snoozed_until", nullable=True),
        _when("started_at"),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("lead_id", name=op.f("pk_sales_sequences")),
    )
    op.create_table(
        "sales_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("lead_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("in_reply_to", sa.String(length=255), nullable=True),
        sa.Column("to_addr", sa.String(length=320), nullable=False),
        sa.Column("cc", sa.JSON(), nullable=False),
        sa.Column("calendar", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        _when("due_at"),
        _when("sent_at", nullable=True),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_messages")),
        sa.UniqueConstraint("key", name=op.f("uq_sales_messages_key")),
        sa.UniqueConstraint("message_id", name=op.f("uq_sales_messages_message_id")),
    )
    op.create_index(op.f("ix_sales_messages_lead_id"), "sales_messages", ["lead_id"], unique=False)
    op.create_table(
        "sales_replies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("lead_id", sa.String(length=64), nullable=True),
        sa.Column("sender", sa.String(length=320), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=False),
        _when("received_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_replies")),
        sa.UniqueConstraint("message_id", name=op.f("uq_sales_replies_message_id")),
    )
    op.create_index(op.f("ix_sales_replies_lead_id"), "sales_replies", ["lead_id"], unique=False)
    op.create_table(
        "sales_meetings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=255), nullable=False),
        sa.Column("lead_id", sa.String(length=64), nullable=False),
        sa.Column("rep_id", sa.String(length=64), nullable=False),
        _when("starts_at"),
        _when("ends_at"),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("ics", sa.Text(), nullable=False),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_meetings")),
        sa.UniqueConstraint("uid", name=op.f("uq_sales_meetings_uid")),
    )
    op.create_index(op.f("ix_sales_meetings_lead_id"), "sales_meetings", ["lead_id"], unique=False)
    op.create_index(op.f("ix_sales_meetings_rep_id"), "sales_meetings", ["rep_id"], unique=False)


def downgrade() -> None:
    for table in ("sales_meetings", "sales_replies", "sales_messages", "sales_sequences", "sales_runs"):
        op.drop_table(table)
