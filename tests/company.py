"""A tiny company, written by hand, so tests know every row each principal should (not) see."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

CATALOG = """
entities:
  User:
    source: crm
    table: users
    key: user_id
    fields: {user_id: user_id, name: full_name, role: role, team: team}
  Account:
    source: crm
    table: accounts
    key: account_id
    updated_at: updated_at
    fields: {account_id: id, name: name, team: owner_team, revenue: annual_revenue, updated_at: updated_at}
  Contact:
    source: crm
    table: contacts
    key: contact_id
    updated_at: updated_at
    fields:
      contact_id: id
      first_name: first_name
      last_name: last_name
      email: email
      phone: phone
      team: owner_team
      updated_at: updated_at
  Order:
    source: billing
    table: orders
    key: order_id
    fields: {order_id: order_id, email: email, amount: amount}
  FormFill:
    source: marketing
    table: form_fills
    key: fill_id
    updated_at: filled_at
    fields: {fill_id: fill_id, first_name: first, last_name: last, email: email, filled_at: filled_at}
identities:
  Person:
    compare: {first_name: name, last_name: name, email: email, phone: phone}
    members:
      - entity: Contact
        fields: {first_name: first_name, last_name: last_name, email: email, phone: phone}
      - entity: FormFill
        fields: {first_name: first_name, last_name: last_name, email: email}
"""

POLICIES = """
roles:
  admin: Operators of this Cadre installation
  seller: Account executives
  support: Support representatives
principals:
  users: {entity: User, key: user_id, role_field: role, attributes: [team]}
  agents:
    service: {roles: [service_agent]}
policies:
  - name: admin-all
    principals: ["role:admin"]
    purposes: ["*"]
    entity: "*"
  - name: seller-own-team-contacts
    principals: ["role:seller"]
    purposes: [sales]
    entity: Contact
    fields: [contact_id, first_name, last_name, email, phone, team]
    rows: {team: "{principal.team}"}
    mask: {email: email, phone: phone}
  - name: seller-own-team-accounts
    principals: ["role:seller"]
    purposes: [sales]
    entity: Account
    fields: [account_id, name, team]
    rows: {team: "{principal.team}"}
  - name: service-orders
    principals: ["agent:service"]
    purposes: [support]
    entity: Order
"""

USERS = [("U1", "Ana East", "seller", "east"), ("U2", "Bo West", "seller", "west"), ("U3", "Cy Ops", "admin", "ops")]
ACCOUNTS = [("A1", "Acme", "east", 1000.0), ("A2", "Globex", "west", 2000.0), ("A3", "Initech", "east", 3000.0)]
CONTACTS = [
    ("C1", "Robert", "Smith", "robert.smith@acme.com", "+1 555 0100 111", "east"),
    ("C2", "Maria", "Garcia", "maria@globex.com", "+1 555 0100 222", "west"),
    ("C3", "Yuki", "Tanaka", "yuki.tanaka@initech.com", None, "east"),
]


def write_crm(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.executescript("""
        CREATE TABLE users (user_id TEXT PRIMARY KEY, full_name TEXT, role TEXT, team TEXT);
        CREATE TABLE accounts (id TEXT PRIMARY KEY, name TEXT, owner_team TEXT, annual_revenue REAL,
                               updated_at TEXT);
        CREATE TABLE contacts (id TEXT PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, phone TEXT,
                               owner_team TEXT, updated_at TEXT);
    """)
    connection.executemany("INSERT INTO users VALUES (?, ?, ?, ?)", USERS)
    connection.executemany("INSERT INTO accounts VALUES (?, ?, ?, ?, '2026-01-01')", ACCOUNTS)
    connection.executemany("INSERT INTO contacts VALUES (?, ?, ?, ?, ?, ?, '2026-02-01')", CONTACTS)
    connection.commit()
    connection.close()


def write_company(root: Path) -> dict[str, Path]:
    root.mkdir(parents=True, exist_ok=True)
    write_crm(root / "crm.db")
    billing = root / "billing"
    billing.mkdir()
    pq.write_table(
        pa.table(
            {"order_id": ["O1", "O2"], "email": ["robert.smith@acme.com", "maria@globex.com"], "amount": [120.0, 80.5]}
        ),
        billing / "orders.parquet",
    )
    marketing = root / "marketing"
    marketing.mkdir()
    (marketing / "form_fills.csv").write_text(
        "fill_id,first,last,email,filled_at\n"
        "F1,Bob,Smith,robert.smith@acme.com,2026-03-01T10:00:00Z\n"
        "F2,Maria,Garcia,maria.garcia@gmail.com,2026-03-02T10:00:00Z\n"
    )
    return {"crm": root / "crm.db", "billing": billing, "marketing": marketing}


def with_policies_first(data: Any, home: Path, policies: str) -> Any:
    """The tiny company's data service with `policies` (YAML list items) ahead of its own: a read-everything
    policy without `write` must not shadow write policies."""
    head, _, rest = POLICIES.partition("policies:\n")
    (home / "policies.yaml").write_text(head + "policies:\n" + policies.lstrip("\n") + rest)
    data.__dict__.pop("policies", None)
    return data
