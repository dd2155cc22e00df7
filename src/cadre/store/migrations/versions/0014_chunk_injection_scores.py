"""Knowledge chunks keep the injection score they were given at ingestion, and the detector version that gave it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("kb_chunks", sa.Column("injection_score", sa.Float(), nullable=True))
    op.add_column("kb_chunks", sa.Column("injection_version", sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.drop_column("kb_chunks", "injection_version")
    op.drop_column("kb_chunks", "injection_score")
