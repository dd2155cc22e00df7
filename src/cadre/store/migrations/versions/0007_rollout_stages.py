"""Rollout stages: each stage change of an agent version, and each refused promotion, with its gate results.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agent_stages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agent", sa.String(length=63), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("share", sa.Float(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("gates", sa.JSON(), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_stages")),
    )
    with op.batch_alter_table("agent_stages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agent_stages_agent"), ["agent"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("agent_stages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_stages_agent"))
    op.drop_table("agent_stages")
