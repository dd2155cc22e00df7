"""Evaluation: stored suite runs.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "eval_runs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("suite", sa.Text(), nullable=False),
        sa.Column("agent", sa.String(length=63), nullable=False),
        sa.Column("agent_version", sa.Integer(), nullable=False),
        sa.Column("engine", sa.String(length=32), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eval_runs")),
    )
    op.create_index(op.f("ix_eval_runs_agent"), "eval_runs", ["agent"], unique=False)
    op.create_index(op.f("ix_eval_runs_created_at"), "eval_runs", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_eval_runs_created_at"), table_name="eval_runs")
    op.drop_index(op.f("ix_eval_runs_agent"), table_name="eval_runs")
    op.drop_table("eval_runs")
