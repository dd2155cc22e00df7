from sqlalchemy import inspect, text

from cadre.settings import Settings
from cadre.store import Database, open_database
from cadre.store.migrate import current_revision


def test_migrations_reach_head_on_both_stores(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert {"data_sources", "identity_runs", "identity_links", "audit_log"} <= tables
    assert current_revision(db.engine) == "0002"


def test_reopening_is_idempotent(store_settings: Settings) -> None:
    first = open_database(store_settings)
    first.close()
    again = open_database(store_settings)
    assert current_revision(again.engine) == "0002"
    again.close()


def test_sqlite_store_uses_wal_and_loads_sqlite_vec(tmp_path) -> None:
    db = open_database(Settings(home=tmp_path))
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("SELECT vec_version()")).scalar().startswith("v")
    db.close()
