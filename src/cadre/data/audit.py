"""The append-only, hash-chained audit log of every read and write through the data layer."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from cadre.data.store import AuditRow
from cadre.store import Database

GENESIS = "0" * 64
Decision = Literal["allowed", "denied", "failed"]


@dataclass(frozen=True)
class AuditEntry:
    principal: str
    purpose: str
    operation: str
    entity: str
    fields: list[str]
    row_count: int
    decision: Decision
    policy: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str | None = None


def entry_json(row: AuditRow) -> dict[str, Any]:
    """One audit entry as the CLI and the API show it."""
    return {
        "seq": row.seq,
        "at": row.at,
        "principal": row.principal,
        "purpose": row.purpose,
        "operation": row.operation,
        "entity": row.entity,
        "fields": list(row.fields),
        "row_count": row.row_count,
        "decision": row.decision,
        "policy": row.policy,
        "detail": row.detail,
        "hash": row.hash,
    }


def entry_hash(seq: int, at: str, entry: dict[str, object], prev_hash: str) -> str:
    payload = {"seq": seq, "at": at, **entry, "prev_hash": prev_hash}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class AuditLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, entry: AuditEntry) -> int:
        """Append `entry` after the current head; concurrent writers retry on the next sequence number."""
        content = asdict(entry)
        for _attempt in range(50):
            try:
                with self._db.session() as session:
                    head = session.execute(
                        select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)
                    ).first()
                    seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
                    at = datetime.now(UTC).isoformat(timespec="microseconds")
                    session.add(
                        AuditRow(seq=seq, at=at, prev_hash=prev, hash=entry_hash(seq, at, content, prev), **content)
                    )
                return seq
            except (IntegrityError, OperationalError):
                continue  # another writer took this sequence number (or held the lock): read the new head
        raise RuntimeError("could not append to the audit log after 50 attempts")

    def entries(self, *, limit: int | None = 100, principal: str | None = None) -> list[AuditRow]:
        with self._db.session() as session:
            query = select(AuditRow).order_by(AuditRow.seq.desc())
            if principal:
                query = query.where(AuditRow.principal == principal)
            if limit:
                query = query.limit(limit)
            return list(reversed(session.scalars(query).all()))

    def page(self, *, limit: int, offset: int = 0, principal: str | None = None) -> list[AuditRow]:
        """Entries newest first, `offset` entries back: how people page through the log."""
        with self._db.session() as session:
            query = select(AuditRow).order_by(AuditRow.seq.desc()).limit(limit).offset(offset)
            if principal:
                query = query.where(AuditRow.principal == principal)
            return list(session.scalars(query))

    def count(self) -> int:
        with self._db.session() as session:
            return session.scalar(select(func.count()).select_from(AuditRow)) or 0

    def verify(self) -> AuditVerification:
        """Recompute the chain: an edited, removed or reordered entry breaks it at that point."""
        prev, expected_seq, checked = GENESIS, 1, 0
        with self._db.session() as session:
            for row in session.scalars(select(AuditRow).order_by(AuditRow.seq)).yield_per(1000):
                if row.seq != expected_seq:
                    return AuditVerification(False, checked, row.seq, f"entry {expected_seq} is missing")
                if row.prev_hash != prev:
                    return AuditVerification(False, checked, row.seq, "link to the previous entry is broken")
                content = {
                    "principal": row.principal,
                    "purpose": row.purpose,
                    "operation": row.operation,
                    "entity": row.entity,
                    "fields": list(row.fields),
                    "row_count": row.row_count,
                    "decision": row.decision,
                    "policy": row.policy,
                    "detail": row.detail,
                }
                if entry_hash(row.seq, row.at, content, row.prev_hash) != row.hash:
                    return AuditVerification(False, checked, row.seq, "entry content does not match its hash")
                prev, expected_seq, checked = row.hash, expected_seq + 1, checked + 1
        return AuditVerification(True, checked)
