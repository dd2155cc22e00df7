"""API keys and console users: created, verified, refused; secrets never stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cadre.access.errors import AccessError
from cadre.access.keys import ApiKeys
from cadre.access.roles import GRANTS, ROLES, allows, parse_role
from cadre.access.tables import ApiKeyRow, ConsoleUserRow
from cadre.access.users import ConsoleUsers
from cadre.store import Database


def test_a_key_verifies_until_revoked_and_only_its_hash_is_stored(db: Database) -> None:
    keys = ApiKeys(db)
    secret, key = keys.create("analyst", name="reports")
    assert secret.startswith(f"cadre_{key.prefix}_")
    assert keys.verify(secret) == key
    with db.session() as session:
        stored = session.scalars(select(ApiKeyRow)).one()
    assert secret not in (stored.digest, stored.prefix, stored.name)
    assert stored.last_used_at is not None
    keys.revoke(key.prefix)
    assert keys.verify(secret) is None
    assert keys.list()[0].revoked is True


def test_wrong_and_malformed_keys_are_refused(db: Database) -> None:
    keys = ApiKeys(db)
    secret, _ = keys.create("builder")
    assert keys.verify(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert keys.verify("not-a-key") is None
    assert keys.verify("cadre_00000000_whatever") is None


def test_a_channel_key_must_name_its_agent(db: Database) -> None:
    with pytest.raises(AccessError, match="channel key must name its agent"):
        ApiKeys(db).create("channel")
    _, key = ApiKeys(db).create("channel", agent="service")
    assert (key.role, key.agent) == ("channel", "service")


def test_roles_are_spelled_as_people_type_them() -> None:
    assert parse_role("Human-Agent") == "human_agent"
    assert parse_role("human agent") == "human_agent"
    with pytest.raises(AccessError, match="role must be one of admin, builder, analyst, human_agent, channel"):
        parse_role("superuser")


def test_only_admins_manage_keys_and_channels_only_converse() -> None:
    assert [role for role in ROLES if allows(role, "keys")] == ["admin"]
    assert GRANTS["channel"] == frozenset({"converse"})
    assert allows("human_agent", "inbox") and not allows("analyst", "inbox")
    assert not allows("analyst", "converse")


def test_console_users_sign_in_with_their_password_only(db: Database) -> None:
    users = ConsoleUsers(db)
    created = users.create("ana", "correct horse", "human-agent", display_name="Ana Duarte")
    assert created.role == "human_agent"
    assert users.authenticate("ana", "correct horse") == created
    assert users.authenticate("ana", "wrong horse!") is None
    assert users.authenticate("nobody", "correct horse") is None
    with db.session() as session:
        stored = session.get(ConsoleUserRow, "ana")
    assert stored is not None and "correct horse" not in stored.password_hash
    assert stored.password_hash.startswith("scrypt$")


def test_console_users_refuse_short_passwords_and_silent_overwrites(db: Database) -> None:
    users = ConsoleUsers(db)
    with pytest.raises(AccessError, match="at least 8 characters, got 5"):
        users.create("ana", "short", "admin")
    users.create("ana", "long enough", "admin")
    with pytest.raises(AccessError, match="already exists"):
        users.create("ana", "another one", "analyst")
    replaced = users.create("ana", "another one", "analyst", replace=True)
    assert replaced.role == "analyst"
    assert users.authenticate("ana", "long enough") is None
