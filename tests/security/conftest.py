"""After each security test module, every audit log it wrote to must still verify: the attacks tried here must not
have broken the hash chain of the data layer's audit (an entry lost, reordered or changed by concurrent turns)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import sessionmaker

from cadre.data.audit import AuditEntry, AuditLog, AuditVerification
from cadre.store import Database
from cadre.store.engine import make_engine, redact_url


@pytest.fixture(scope="module", autouse=True)
def audit_chains_verify() -> Iterator[None]:
    """Notes each store an audit entry is appended to while the module runs, then verifies each one's chain once
    the module's own fixtures are done with it."""
    written: dict[str, Database] = {}
    record = AuditLog.record

    def noting(log: AuditLog, entry: AuditEntry) -> int:
        db: Database = log._db
        written.setdefault(db.engine.url.render_as_string(hide_password=False), db)
        return record(log, entry)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(AuditLog, "record", noting)
        yield
    broken = [
        f"{redact_url(url)}: entry {result.first_bad_seq}: {result.reason}"
        for url, db in written.items()
        if not (result := _verify(url, db)).ok
    ]
    if broken:
        pytest.fail(
            "every audit log written by the security tests must verify, got broken chains: " + "; ".join(broken)
        )


def _verify(url: str, db: Database) -> AuditVerification:
    """Read the chain through an engine of its own, so the tests' stores (closed, or shared by the session) are
    left as they are; an in-memory store exists only in its own engine."""
    if url.endswith(":memory:"):
        return AuditLog(db).verify()
    engine = make_engine(url)
    try:
        return AuditLog(Database(engine=engine, sessions=sessionmaker(engine))).verify()
    finally:
        engine.dispose()
