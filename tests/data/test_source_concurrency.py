"""Reads and writes of one SQLite source at once, in one process: no read fails, no write is lost.

DuckDB reads the file with its own SQLite and writes go through Python's `sqlite3`, which cannot see each other's
locks; without the data layer's file locks a read beside a write fails ("attempt to write a readonly database").
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cadre.data import writes
from cadre.data.file_locks import lock_for
from cadre.errors import CadreError
from tests.company import with_policies_first

WRITE_POLICY = """
  - name: admin-writes-contacts
    principals: ["role:admin"]
    purposes: [support]
    entity: Contact
    operations: [write]
"""
BOUND_S = 20.0  # how long a step may take before the test gives up: far above what it needs


@pytest.fixture
def data(tiny_company: dict[str, Any], data: Any) -> Any:
    return with_policies_first(data, tiny_company["home"], WRITE_POLICY)


def contacts_in_file(path: Path) -> dict[str, str]:
    connection = sqlite3.connect(path)
    try:
        return dict(connection.execute("SELECT id, email FROM contacts").fetchall())
    finally:
        connection.close()


def read_contacts(data: Any) -> dict[str, str]:
    rows = data.get("Contact", principal="role:admin", purpose="check", fields=["contact_id", "email"], limit=None)
    return {row["contact_id"]: row["email"] for row in rows.rows}


def run(target: Callable[[], None], errors: list[str]) -> threading.Thread:
    def guarded() -> None:
        try:
            target()
        except Exception as exc:  # every failure is collected and asserted on, not lost with the thread
            errors.append(f"{type(exc).__name__}: {exc}")

    thread = threading.Thread(target=guarded)
    thread.start()
    return thread


def test_reads_and_writes_of_one_sqlite_source_at_once_neither_fail_nor_lose_a_write(
    data: Any, tiny_company: dict[str, Any]
) -> None:
    readers, writers, per_writer = 3, 2, 30
    errors: list[str] = []
    reads: list[int] = []
    all_reading = threading.Barrier(readers + 1, timeout=BOUND_S)
    written = threading.Event()

    def reader() -> None:
        count = 0
        while True:
            read_contacts(data)
            count += 1
            if count == 1:
                all_reading.wait()  # the writes start only once every reader is reading
            if written.is_set():
                break
        reads.append(count)

    def writer(number: int) -> Callable[[], None]:
        def write() -> None:
            for i in range(per_writer):
                key = f"W{number}-{i}"
                data.insert(
                    "Contact", {"contact_id": key, "email": "new@x.com"}, principal="role:admin", purpose="support"
                )
                data.update("Contact", key, {"email": f"{key}@x.com"}, principal="role:admin", purpose="support")

        return write

    reading = [run(reader, errors) for _ in range(readers)]
    all_reading.wait()
    writing = [run(writer(n), errors) for n in range(writers)]
    for thread in writing:
        thread.join(BOUND_S)
    written.set()
    for thread in reading:
        thread.join(BOUND_S)

    assert errors == []
    assert len(reads) == readers and min(reads) >= 1
    expected = {f"W{n}-{i}": f"W{n}-{i}@x.com" for n in range(writers) for i in range(per_writer)}
    assert expected.items() <= contacts_in_file(tiny_company["paths"]["crm"]).items()  # every write, as last written
    assert expected.items() <= read_contacts(data).items()  # and DuckDB reads them back
    audit = [e for e in data.audit.entries(limit=None) if e.operation == "write" and e.entity == "Contact"]
    assert [e.decision for e in audit] == ["allowed"] * (2 * writers * per_writer)
    assert data.audit.verify().ok  # appended from every thread at once, the chain still holds


def test_a_read_waits_for_a_write_in_progress_and_sees_it(
    data: Any, tiny_company: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write is held open after its INSERT (its rollback journal on disk): a read then must wait for it, where
    without the lock DuckDB's SQLite takes the live journal for a crashed one and fails."""
    inside, go = threading.Event(), threading.Event()
    execute = writes._execute

    def held_open(*args: Any) -> Any:
        cursor = execute(*args)
        inside.set()
        assert go.wait(BOUND_S)
        return cursor

    monkeypatch.setattr(writes, "_execute", held_open)
    read_contacts(data)  # the source is attached and the principal known before the write begins
    errors: list[str] = []
    seen: list[dict[str, str]] = []
    insert = run(
        lambda: data.insert(
            "Contact", {"contact_id": "C9", "email": "c9@x.com"}, principal="role:admin", purpose="support"
        ),
        errors,
    )
    assert inside.wait(BOUND_S)
    read = run(lambda: seen.append(read_contacts(data)), errors)
    lock = lock_for(tiny_company["paths"]["crm"])
    while read.is_alive() and lock.waiting[0] == 0:  # until the read waits on the lock (or, unlocked, has run)
        read.join(0.01)
    go.set()
    insert.join(BOUND_S)
    read.join(BOUND_S)
    assert errors == []
    assert seen and seen[0]["C9"] == "c9@x.com"


def test_a_query_result_read_part_way_holds_its_source_until_closed(data: Any) -> None:
    result = data.federation.query('SELECT id FROM "crm"."main"."contacts"', batch_rows=1, sources=["crm"])
    batches = result.batches()  # kept: a generator dropped part-way is closed, and its result with it
    assert next(batches) == [("C1",)]
    # This thread still reads the file: writing it now would wait on itself, so it is refused at once.
    with pytest.raises(CadreError, match="must start after this thread's reads and writes of it end"):
        data.update("Contact", "C1", {"email": "a@x.com"}, principal="role:admin", purpose="support")
    result.close()
    data.update("Contact", "C1", {"email": "a@x.com"}, principal="role:admin", purpose="support")
    assert read_contacts(data)["C1"] == "a@x.com"


def test_a_second_query_in_a_thread_still_reading_goes_on_while_a_writer_waits(
    data: Any, tiny_company: dict[str, Any]
) -> None:
    """Reads are reentrant: a writer queued behind the first read must not block this thread's second one."""
    first = data.federation.query('SELECT id FROM "crm"."main"."contacts"', batch_rows=1, sources=["crm"])
    batches = first.batches()
    assert next(batches) == [("C1",)]
    errors: list[str] = []
    update = run(
        lambda: data.update("Contact", "C2", {"email": "b@x.com"}, principal="role:admin", purpose="support"), errors
    )
    lock = lock_for(tiny_company["paths"]["crm"])
    while update.is_alive() and lock.waiting[1] == 0:
        update.join(0.01)
    assert lock.waiting[1] == 1  # the writer waits for this thread's open result
    assert read_contacts(data)["C2"] == "maria@globex.com"  # a second read in this thread goes ahead of it
    first.close()
    update.join(BOUND_S)
    assert errors == []
    assert read_contacts(data)["C2"] == "b@x.com"


def test_closing_a_result_the_cursor_has_moved_past_leaves_the_later_one_streaming(data: Any) -> None:
    sql = 'SELECT id FROM "crm"."main"."contacts"'
    first = data.federation.query(sql, batch_rows=1, sources=["crm"])
    first_batches = first.batches()
    assert next(first_batches) == [("C1",)]
    second = data.federation.query(sql, batch_rows=1, sources=["crm"])  # the cursor's next statement ends the first
    second_batches = second.batches()
    assert next(second_batches) == [("C1",)]
    first.close()
    assert [row for batch in second_batches for row in batch] == [("C2",), ("C3",)]
