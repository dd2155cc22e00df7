"""The `cadre data` commands end to end: JSON contracts, one-line errors with exit 2, no half-written state."""

from pathlib import Path
from typing import Any

import pytest

from tests.company import CATALOG, POLICIES, write_company


@pytest.fixture
def company(cadre: Any, cadre_home: Path) -> dict[str, Path]:
    paths = write_company(cadre_home.parent / "company")
    cadre_home.mkdir(parents=True, exist_ok=True)
    (cadre_home / "catalog.yaml").write_text(CATALOG)
    (cadre_home / "policies.yaml").write_text(POLICIES)
    for name, scheme in (("crm", "sqlite"), ("billing", "parquet"), ("marketing", "csv")):
        assert cadre("data", "source", "add", name, f"{scheme}://{paths[name]}").exit_code == 0
    return paths


def test_sources_lists_tables_and_status(cadre: Any, company: dict[str, Path]) -> None:
    listed = cadre("data", "sources", "--json").json()["sources"]
    assert [(s["name"], s["kind"], s["status"], s["tables"]) for s in listed] == [
        ("billing", "parquet", "ok", ["orders"]),
        ("crm", "sqlite", "ok", ["accounts", "contacts", "users"]),
        ("marketing", "csv", "ok", ["form_fills"]),
    ]


def test_query_streams_json_over_all_sources(cadre: Any, company: dict[str, Path]) -> None:
    ran = cadre(
        "data",
        "query",
        "SELECT c.id, o.amount FROM crm.contacts c JOIN billing.orders o ON o.email = c.email ORDER BY c.id",
        "--json",
    )
    assert ran.exit_code == 0
    assert ran.json() == {"columns": ["id", "amount"], "rows": [["C1", 120.0], ["C2", 80.5]], "row_count": 2}


def test_entities_checks_the_catalog_against_the_sources(
    cadre: Any, company: dict[str, Path], cadre_home: Path
) -> None:
    payload = cadre("data", "entities", "--json").json()
    assert [e["name"] for e in payload["entities"]] == ["User", "Account", "Contact", "Order", "FormFill"]
    assert payload["problems"] == []
    assert payload["identities"]["Person"]["members"] == ["Contact", "FormFill"]
    catalog = cadre_home / "catalog.yaml"
    catalog.write_text(
        catalog.read_text().replace(
            "last_name: last_name\n      email: email", "last_name: surname\n      email: email"
        )
    )
    ran = cadre("data", "entities", "--json")
    assert ran.exit_code == 2
    assert "does not match its sources: entity `Contact` field `last_name` maps column 'surname'" in ran.stderr
    assert ran.json()["problems"] == [
        "entity `Contact` field `last_name` maps column 'surname', which crm.contacts does not have "
        "(it has: id, first_name, last_name, email, phone, owner_team, updated_at)"
    ]
    read = cadre("data", "get", "Contact", "--as", "role:admin", "--purpose", "audit")
    assert read.exit_code == 2
    assert (
        "catalog maps `Contact` field(s) `last_name` -> 'surname' to column(s) that crm.contacts does not have"
        in read.stderr
    )


def test_get_is_governed_and_masked(cadre: Any, company: dict[str, Path]) -> None:
    ran = cadre("data", "get", "Contact", "--as", "user:U2", "--purpose", "sales", "--json")
    assert ran.json() == {
        "entity": "Contact",
        "policy": "seller-own-team-contacts",
        "fields": ["contact_id", "first_name", "last_name", "email", "phone", "team"],
        "masked": ["email", "phone"],
        "row_count": 1,
        "truncated": False,
        "rows": [
            {
                "contact_id": "C2",
                "first_name": "Maria",
                "last_name": "Garcia",
                "email": "m***@globex.com",
                "phone": "***0222",
                "team": "west",
            }
        ],
    }
    by_key = cadre(
        "data",
        "get",
        "Account",
        "--where",
        "account_id=A1",
        "--where",
        "account_id=A3",
        "--as",
        "role:admin",
        "--purpose",
        "audit",
        "--fields",
        "account_id,name",
        "--json",
    )
    assert by_key.json()["rows"] == [{"account_id": "A1", "name": "Acme"}, {"account_id": "A3", "name": "Initech"}]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["data", "get", "Contact", "--as", "user:U404", "--purpose", "sales"], "no user with user_id = 'U404'"),
        (["data", "get", "Contact", "--as", "user:U1", "--purpose", "hr"], "no policy lets user:U1"),
        (
            ["data", "get", "Contact", "--as", "user:U1", "--purpose", "sales", "--where", "team"],
            "--where must look like `field=value`",
        ),
        (["data", "source", "add", "x", "sqlite:///nope.db"], "no file or folder at"),
        (["data", "source", "add", "x", "oracle://db/x"], "scheme must be one of"),
        (["data", "source", "add", "pg", "postgresql://postgres@127.0.0.1:1/db"], "cannot read source 'pg'"),
        (["data", "query", "SELECT * FROM crm.nope"], "query failed"),
        (["data", "profile", "P-nothing"], "no unified profile 'P-nothing'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cadre: Any, company: dict[str, Path], args: list[str], message: str) -> None:
    before = cadre("data", "sources", "--json").json()
    ran = cadre(*args)
    assert ran.exit_code == 2
    assert message in ran.stderr
    assert ran.stderr.startswith("error: ")
    assert ran.stdout == ""
    assert cadre("data", "sources", "--json").json() == before


def test_missing_catalog_tells_how_to_fix_it(cadre: Any, cadre_home: Path) -> None:
    ran = cadre("data", "entities")
    assert ran.exit_code == 2
    assert "no semantic catalog at" in ran.stderr
    assert "cadre sample create" in ran.stderr


def test_unreachable_database_is_a_clear_error(cadre: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRE_DATABASE_URL", "postgresql+psycopg://cadre:secret@127.0.0.1:1/cadre")
    ran = cadre("data", "sources")
    assert ran.exit_code == 2
    assert "cannot reach the database at postgresql+psycopg://cadre:***@127.0.0.1:1/cadre" in ran.stderr
    assert "secret" not in ran.stderr


def test_audit_lists_and_verifies(cadre: Any, company: dict[str, Path]) -> None:
    cadre("data", "get", "Contact", "--as", "user:U1", "--purpose", "sales")
    cadre("data", "get", "Contact", "--as", "user:U1", "--purpose", "hr")
    payload = cadre("data", "audit", "--verify", "--principal", "user:U1", "--json").json()
    assert [(e["entity"], e["decision"]) for e in payload["entries"]] == [("Contact", "allowed"), ("Contact", "denied")]
    assert payload["verification"]["ok"] is True
