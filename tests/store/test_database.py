import warnings

from sqlalchemy import inspect, text

from cadre.settings import Settings
from cadre.store import Database, open_database
from cadre.store.migrate import MIGRATIONS_DIR, alembic_config, current_revision


def head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_migrations_reach_head_on_both_stores(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert {"data_sources", "identity_runs", "identity_links", "audit_log", "eval_runs", "sales_runs"} <= tables
    newest = max(path.name[:4] for path in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))
    assert head() == newest  # one line of revisions, ending at the newest file
    assert current_revision(db.engine) == head()


def test_reopening_is_idempotent(store_settings: Settings) -> None:
    first = open_database(store_settings)
    first.close()
    again = open_database(store_settings)
    try:
        assert current_revision(again.engine) == head()
    finally:
        again.close()


def test_sqlite_store_uses_wal_and_loads_sqlite_vec(tmp_path) -> None:
    db = open_database(Settings(home=tmp_path))
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("SELECT vec_version()")).scalar().startswith("v")
    db.close()


def test_migrations_match_the_table_models(db: Database) -> None:
    """Every part's tables, as migrated, are what its models declare (dialect-specific index tables aside)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import cadre.store.tables  # noqa: F401
    from cadre.store.base import Base

    # The job queue's tables are procrastinate's own schema, applied by migration 0011, not Cadre's models.
    index_companions = {"kb_chunk_words", "kb_chunk_vectors", "search_text", "words", "embedding", "procrastinate_"}

    def relevant(diff: object) -> bool:
        text_ = repr(diff)
        # SQLite names the automatic indexes of virtual tables' shadow tables `sqlite_autoindex_…`.
        return not any(name in text_ for name in index_companions) and "Index('sqlite_" not in text_

    with db.engine.connect() as connection, warnings.catch_warnings():
        # pgvector's column type is not one SQLAlchemy reflects; that column is an index companion anyway.
        warnings.filterwarnings("ignore", message="Did not recognize type 'vector'")
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diffs if relevant(d)] == []
