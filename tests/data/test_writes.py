"""Governed writes: a write policy decides who may create or change which rows and fields; all is audited."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, text

from cadre.data.models import EntityMapping, Policy, SourceInfo
from cadre.data.policies import Grant
from cadre.data.writes import insert_row, update_row
from cadre.errors import CadreError, NotFound, PolicyDenied, SourceError
from cadre.testing.postgres import ThrowawayPostgres
from tests.company import with_policies_first

WRITE_POLICIES = """
  - name: seller-writes-own-team-contacts
    principals: ["role:seller"]
    purposes: [sales]
    entity: Contact
    operations: [write]
    fields: [contact_id, first_name, last_name, email, team]
    rows: {team: "{principal.team}"}
  - name: admin-writes-orders
    principals: ["role:admin"]
    purposes: [support]
    entity: Order
    operations: [write]
"""


@pytest.fixture
def data(tiny_company: dict[str, Any], data: Any) -> Any:
    return with_policies_first(data, tiny_company["home"], WRITE_POLICIES)


def audit_of(data: Any) -> list[Any]:
    return [e for e in data.audit.entries() if e.operation == "write"]


def test_a_seller_creates_a_contact_in_their_team_and_reads_it_back(data: Any) -> None:
    written = data.insert(
        "Contact",
        {"contact_id": "C9", "first_name": "Lea", "last_name": "Roux", "email": "lea@acme.com"},
        principal="user:U1",
        purpose="sales",
    )
    assert written["team"] == "east"  # the row filter's value is filled in, so the writer can read it back
    rows = data.get("Contact", principal="user:U1", purpose="sales", where={"contact_id": "C9"}).rows
    assert rows and rows[0]["first_name"] == "Lea"
    entry = audit_of(data)[-1]
    assert (entry.principal, entry.decision, entry.entity, entry.policy) == (
        "user:U1",
        "allowed",
        "Contact",
        "seller-writes-own-team-contacts",
    )
    assert entry.detail == "insert contact_id=C9"


def test_a_row_outside_the_writers_rows_is_refused_and_nothing_is_written(data: Any) -> None:
    with pytest.raises(PolicyDenied, match="only with team = 'east'"):
        data.insert("Contact", {"contact_id": "C9", "team": "west"}, principal="user:U1", purpose="sales")
    assert data.get("Contact", principal="role:admin", purpose="x", where={"contact_id": "C9"}).rows == []
    assert audit_of(data)[-1].decision == "denied"


def test_updates_reach_only_the_writers_rows_and_fields(data: Any) -> None:
    data.update("Contact", "C1", {"email": "bob@acme.com"}, principal="user:U1", purpose="sales")
    row = data.get("Contact", principal="role:admin", purpose="x", where={"contact_id": "C1"}).rows[0]
    assert row["email"] == "bob@acme.com"
    with pytest.raises(NotFound, match="that this principal may write"):  # C2 is the west team's
        data.update("Contact", "C2", {"email": "x@globex.com"}, principal="user:U1", purpose="sales")
    assert data.get("Contact", principal="role:admin", purpose="x", where={"contact_id": "C2"}).rows[0]["email"] == (
        "maria@globex.com"
    )
    with pytest.raises(PolicyDenied, match="move out of its scope"):
        data.update("Contact", "C1", {"team": "west"}, principal="user:U1", purpose="sales")
    with pytest.raises(PolicyDenied, match=r"does not allow writing field\(s\) \['phone'\]"):
        data.update("Contact", "C1", {"phone": "+1 555"}, principal="user:U1", purpose="sales")
    assert [e.decision for e in audit_of(data)] == ["allowed", "failed", "denied", "denied"]


def test_reading_is_not_writing(data: Any) -> None:
    with pytest.raises(PolicyDenied, match=r"no policy lets user:U1 .* write `Account`"):
        data.update("Account", "A1", {"name": "Acme Inc"}, principal="user:U1", purpose="sales")


def test_files_are_read_in_place_and_never_written(data: Any) -> None:
    with pytest.raises(SourceError, match=r"source 'billing' \(parquet\) is read in place and cannot be written"):
        data.insert("Order", {"order_id": "O9", "amount": 1.0}, principal="user:U3", purpose="support")
    assert audit_of(data)[-1].decision == "failed"


def test_bad_values_are_refused_before_the_source_is_touched(data: Any) -> None:
    with pytest.raises(CadreError, match="needs its key `contact_id`"):
        data.insert("Contact", {"first_name": "Lea"}, principal="user:U1", purpose="sales")
    with pytest.raises(CadreError, match="has no field"):
        data.insert("Contact", {"contact_id": "C9", "nickname": "L"}, principal="user:U1", purpose="sales")
    with pytest.raises(CadreError, match="must be text, numbers"):
        data.insert("Contact", {"contact_id": "C9", "email": ["a", "b"]}, principal="user:U1", purpose="sales")
    with pytest.raises(CadreError, match=r"UNIQUE constraint failed"):
        data.insert("Contact", {"contact_id": "C1"}, principal="user:U1", purpose="sales")


@pytest.mark.postgres
def test_postgres_sources_are_written_in_one_transaction(postgres: ThrowawayPostgres) -> None:
    url = postgres.create_database("crm_writes")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE leads (id text primary key, email text, team text)"))
        connection.execute(text("INSERT INTO leads VALUES ('L1', 'a@x.com', 'east'), ('L2', 'b@x.com', 'west')"))
    source = SourceInfo("crm", postgres.url("crm_writes", driver="postgresql"), "postgres")
    entity = EntityMapping.model_validate(
        {
            "source": "crm",
            "table": "leads",
            "key": "lead_id",
            "fields": {"lead_id": "id", "email": "email", "team": "team"},
        }
    )
    policy = Policy(name="east-leads", principals=["*"], purposes=["*"], entity="Lead", operations=["write"])
    grant = Grant(policy=policy, fields=("lead_id", "email", "team"), row_filter={"team": "east"})
    insert_row(source, entity_name="Lead", entity=entity, grant=grant, values={"lead_id": "L3", "email": "c@x.com"})
    update_row(source, entity_name="Lead", entity=entity, grant=grant, key="L1", values={"email": "z@x.com"})
    with pytest.raises(NotFound):
        update_row(source, entity_name="Lead", entity=entity, grant=grant, key="L2", values={"email": "z@x.com"})
    with engine.begin() as connection:
        rows = connection.execute(text("SELECT id, email, team FROM leads ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("L1", "z@x.com", "east"), ("L2", "b@x.com", "west"), ("L3", "c@x.com", "east")]
