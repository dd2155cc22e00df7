from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from cadre.data.audit import AuditEntry, AuditLog
from cadre.store import Database


def entry(n: int) -> AuditEntry:
    return AuditEntry(
        principal=f"user:U{n}",
        purpose="sales",
        operation="read",
        entity="Account",
        fields=["name"],
        row_count=n,
        decision="allowed",
        policy="p",
    )


def test_the_chain_verifies_and_survives_concurrent_writers(db: Database) -> None:
    log = AuditLog(db)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda n: log.record(entry(n)), range(40)))
    result = log.verify()
    assert (result.ok, result.entries) == (True, 40)
    assert [e.seq for e in log.entries(limit=None)] == list(range(1, 41))


def test_the_database_refuses_edits(db: Database) -> None:
    log = AuditLog(db)
    log.record(entry(1))
    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET row_count = 999"))
    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log"))


def test_tampering_past_the_triggers_is_detected(db: Database) -> None:
    log = AuditLog(db)
    for n in range(1, 6):
        log.record(entry(n))
    with db.engine.begin() as connection:
        if db.dialect == "postgresql":
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"))
        else:
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(text("UPDATE audit_log SET row_count = 0 WHERE seq = 3"))
    result = log.verify()
    assert (result.ok, result.first_bad_seq, result.entries) == (False, 3, 2)
    assert result.reason == "entry content does not match its hash"
