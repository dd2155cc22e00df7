"""A job for the queue tests: records each start, waits at a gate the test opens, then records its completion in
the same transaction as its work, so a job killed before it commits leaves no completion behind."""

from __future__ import annotations

import os
import time

from sqlalchemy import text

from cadre.jobs import JobServices, job

GATE_TIMEOUT_S = 60.0


@job("probe.record")
def record(services: JobServices, *, tag: str) -> str:
    engine = services.db.engine
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO probe_starts (key, pid) VALUES (:key, :pid)"), {"key": tag, "pid": os.getpid()}
        )
    deadline = time.monotonic() + GATE_TIMEOUT_S
    with engine.connect() as connection:
        while not connection.execute(text("SELECT count(*) FROM probe_gate")).scalar():
            if time.monotonic() > deadline:
                raise TimeoutError("the probe gate must open within a minute")
            connection.rollback()
            time.sleep(0.05)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO probe_done (key, pid) VALUES (:key, :pid)"), {"key": tag, "pid": os.getpid()}
        )
    return tag
