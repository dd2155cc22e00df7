"""Governed reads over the tiny company: the policy shapes what each principal sees, and all is audited."""

from typing import Any

import pytest

from cadre.errors import CadreError, PolicyDenied, UnknownEntity


def test_a_seller_sees_only_their_team_with_masks(data: Any) -> None:
    result = data.get("Contact", principal="user:U1", purpose="sales")
    assert result.policy == "seller-own-team-contacts"
    assert [r["contact_id"] for r in result.rows] == ["C1", "C3"]
    assert result.rows[0]["email"] == "r***@acme.com"
    assert result.rows[0]["phone"] == "***0111"
    assert result.rows[1]["phone"] is None
    assert result.masked == ["email", "phone"]


def test_filters_narrow_but_never_widen(data: Any) -> None:
    other_team = data.get("Account", principal="user:U1", purpose="sales", where={"account_id": "A2"})
    assert other_team.rows == []
    both = data.get("Account", principal="user:U1", purpose="sales", where={"account_id": ["A1", "A2", "A3"]})
    assert [r["account_id"] for r in both.rows] == ["A1", "A3"]


def test_asking_for_a_field_outside_the_policy_returns_nothing(data: Any) -> None:
    with pytest.raises(PolicyDenied, match="policy 'seller-own-team-accounts' does not allow read field"):
        data.get("Account", principal="user:U1", purpose="sales", fields=["name", "revenue"])
    with pytest.raises(PolicyDenied, match="does not allow filtering on field"):
        data.get("Account", principal="user:U1", purpose="sales", where={"revenue": "1000"})


def test_admin_reads_all_rows_unmasked_with_typed_filters(data: Any) -> None:
    result = data.get("Account", principal="role:admin", purpose="audit", where={"revenue": "2000"})
    assert [(r["account_id"], r["revenue"]) for r in result.rows] == [("A2", 2000.0)]


def test_limit_reports_truncation(data: Any) -> None:
    result = data.get("Contact", principal="role:admin", purpose="audit", limit=2)
    assert len(result.rows) == 2
    assert result.truncated


def test_agents_read_files_in_place(data: Any) -> None:
    result = data.get("Order", principal="agent:service", purpose="support", where={"order_id": "O2"})
    assert result.rows == [{"order_id": "O2", "email": "maria@globex.com", "amount": 80.5}]


def test_unknown_entity_and_field(data: Any) -> None:
    with pytest.raises(UnknownEntity):
        data.get("Spaceship", principal="role:admin", purpose="audit")
    with pytest.raises(CadreError, match="has no field"):
        data.get("Account", principal="role:admin", purpose="audit", where={"colour": "red"})


def test_every_read_is_audited_with_its_decision(data: Any) -> None:
    data.get("Contact", principal="user:U1", purpose="sales")
    with pytest.raises(PolicyDenied):
        data.get("Order", principal="user:U1", purpose="sales")
    entries = [e for e in data.audit.entries() if e.principal == "user:U1"]
    assert [(e.entity, e.decision, e.row_count, e.policy) for e in entries] == [
        ("Contact", "allowed", 2, "seller-own-team-contacts"),
        ("Order", "denied", 0, None),
    ]
    assert "row filter team='east'" in (entries[0].detail or "")
    assert data.audit.verify().ok


def test_raw_sql_is_for_administrators_only(data: Any) -> None:
    with pytest.raises(PolicyDenied, match="raw SQL is for administrators"):
        data.query("SELECT * FROM crm.contacts", principal="user:U1")
    rows = list(data.query("SELECT count(*) FROM crm.contacts").rows())
    assert rows == [(3,)]
    last = data.audit.entries(limit=1)[0]
    assert (last.operation, last.decision, last.row_count) == ("query", "allowed", 1)
