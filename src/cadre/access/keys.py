"""API keys: created once (the secret is shown only then), verified by hash, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from cadre.access.errors import AccessError
from cadre.access.roles import Role, parse_role
from cadre.access.tables import ApiKeyRow
from cadre.store import Database
from cadre.store.base import aware

KEY_PREFIX = "cadre_"


@dataclass(frozen=True)
class ApiKey:
    id: int
    prefix: str
    role: Role
    agent: str | None
    name: str | None
    created_at: datetime
    revoked: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "prefix": self.prefix,
            "role": self.role,
            "agent": self.agent,
            "name": self.name,
            "created_at": self.created_at.isoformat(),
            "revoked": self.revoked,
        }


class ApiKeys:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, role: str, *, agent: str | None = None, name: str | None = None) -> tuple[str, ApiKey]:
        """A new key and its record; the returned secret is the only copy there will ever be."""
        checked = parse_role(role)
        if checked == "channel" and not agent:
            raise AccessError("a channel key must name its agent (--agent NAME)")
        prefix = secrets.token_hex(4)
        secret = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(24)}"
        with self._db.session() as session:
            row = ApiKeyRow(
                prefix=prefix,
                digest=_digest(secret),
                role=checked,
                agent=agent,
                name=name,
                created_at=datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            return secret, _key(row)

    def verify(self, secret: str) -> ApiKey | None:
        """The live key `secret` is, or None (unknown, malformed or revoked)."""
        if not secret.startswith(KEY_PREFIX):
            return None
        prefix = secret.removeprefix(KEY_PREFIX).split("_", 1)[0]
        with self._db.session() as session:
            row = session.scalars(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix)).first()
            if row is None or row.revoked_at is not None or not hmac.compare_digest(row.digest, _digest(secret)):
                return None
            row.last_used_at = datetime.now(UTC)
            return _key(row)

    def list(self) -> list[ApiKey]:
        with self._db.session() as session:
            return [_key(row) for row in session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))]

    def revoke(self, prefix: str) -> ApiKey:
        with self._db.session() as session:
            row = session.scalars(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix)).first()
            if row is None:
                raise AccessError(f"no API key with prefix {prefix!r}")
            row.revoked_at = row.revoked_at or datetime.now(UTC)
            return _key(row)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        id=row.id,
        prefix=row.prefix,
        role=parse_role(row.role),
        agent=row.agent,
        name=row.name,
        created_at=aware(row.created_at),
        revoked=row.revoked_at is not None,
    )
