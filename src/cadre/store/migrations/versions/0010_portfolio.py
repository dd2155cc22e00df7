"""Portfolio: registered agents and proposed use cases (owner, problem, KPIs, intake scores) and their stage changes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portfolio_entries",
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("kpis", sa.JSON(), nullable=False),
        sa.Column("proposal", sa.JSON(), nullable=True),
        sa.Column("assessment", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_portfolio_entries")),
    )
    op.create_table(
        "portfolio_stages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("from_stage", sa.String(length=16), nullable=True),
        sa.Column("to_stage", sa.String(length=16), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_stages")),
    )
    with op.batch_alter_table("portfolio_stages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_portfolio_stages_name"), ["name"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("portfolio_stages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portfolio_stages_name"))
    op.drop_table("portfolio_stages")
    op.drop_table("portfolio_entries")
