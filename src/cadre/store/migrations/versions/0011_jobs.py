"""Background jobs: procrastinate's queue schema (jobs, events, periodic defers, worker heartbeats) on PostgreSQL.

SQLite needs nothing: its queue lives in memory inside the one process that runs it. The schema is the one
shipped by the installed procrastinate (pinned to 3.10.x); a later procrastinate is adopted by a new revision
that runs its `procrastinate/sql/migrations/*.sql` files in order.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLES = ("procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs", "procrastinate_workers")
TYPES = ("procrastinate_job_to_defer_v1", "procrastinate_job_event_type", "procrastinate_job_status")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    # Straight to psycopg, without parameters: the schema is many statements whose `%` and `:` both SQLAlchemy
    # and psycopg would otherwise read as placeholders. It runs inside the migration's transaction.
    psycopg_connection = op.get_bind().connection.driver_connection
    assert psycopg_connection is not None  # a live connection: the migration runs inside its transaction
    psycopg_connection.execute(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    op.execute(
        """
        DO $$
        DECLARE routine regprocedure;
        BEGIN
            FOR routine IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                           WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%'
            LOOP
                EXECUTE 'DROP ROUTINE ' || routine || ' CASCADE';
            END LOOP;
        END $$;
        """
    )
    for type_ in TYPES:
        op.execute(f"DROP TYPE IF EXISTS {type_} CASCADE")
