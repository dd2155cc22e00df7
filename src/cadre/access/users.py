"""Console users: a username, a role and a scrypt password hash (stdlib, memory-hard)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from cadre.access.errors import AccessError
from cadre.access.roles import Role, parse_role
from cadre.access.tables import ConsoleUserRow
from cadre.store import Database

MIN_PASSWORD = 8
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class ConsoleUser:
    username: str
    role: Role
    display_name: str

    def to_json(self) -> dict[str, Any]:
        return {"username": self.username, "role": self.role, "display_name": self.display_name}


class ConsoleUsers:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(
        self, username: str, password: str, role: str, *, display_name: str | None = None, replace: bool = False
    ) -> ConsoleUser:
        name = username.strip()
        if not name or len(name) > 100:
            raise AccessError(f"a username must be 1 to 100 characters, got {username!r}")
        if len(password) < MIN_PASSWORD:
            raise AccessError(f"a password must be at least {MIN_PASSWORD} characters, got {len(password)}")
        checked = parse_role(role)
        with self._db.session() as session:
            row = session.get(ConsoleUserRow, name)
            if row is not None and not replace:
                raise AccessError(f"console user {name!r} already exists", hint="pass --replace to reset it")
            if row is None:
                row = ConsoleUserRow(username=name, created_at=datetime.now(UTC))
                session.add(row)
            row.password_hash = hash_password(password)
            row.role = checked
            row.display_name = display_name
            row.disabled_at = None
            return _user(row)

    def authenticate(self, username: str, password: str) -> ConsoleUser | None:
        with self._db.session() as session:
            row = session.get(ConsoleUserRow, username.strip())
            if row is None or row.disabled_at is not None:
                hash_password(password)  # the same work either way, so timing does not tell which names exist
                return None
            return _user(row) if verify_password(password, row.password_hash) else None

    def get(self, username: str) -> ConsoleUser | None:
        with self._db.session() as session:
            row = session.get(ConsoleUserRow, username)
            return _user(row) if row is not None and row.disabled_at is None else None

    def list(self) -> list[ConsoleUser]:
        with self._db.session() as session:
            rows = session.scalars(select(ConsoleUserRow).order_by(ConsoleUserRow.username))
            return [_user(row) for row in rows if row.disabled_at is None]


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), **_SCRYPT)
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def _user(row: ConsoleUserRow) -> ConsoleUser:
    return ConsoleUser(username=row.username, role=parse_role(row.role), display_name=row.display_name or row.username)
