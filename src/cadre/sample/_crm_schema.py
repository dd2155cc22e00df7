"""The CRM's SQLite schema, and writing its rows: primary keys, foreign keys, indexes on every reference."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE users (
    user_id TEXT PRIMARY KEY, full_name TEXT NOT NULL, email TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
    team TEXT NOT NULL, manager_id TEXT REFERENCES users (user_id), city TEXT, time_zone TEXT NOT NULL,
    languages TEXT NOT NULL
);
CREATE TABLE rep_availability (
    slot_id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users (user_id), weekday INTEGER NOT NULL,
    start_hour INTEGER NOT NULL, end_hour INTEGER NOT NULL, UNIQUE (user_id, weekday)
);
CREATE TABLE products (
    product_id TEXT PRIMARY KEY, name TEXT NOT NULL, family TEXT NOT NULL, kind TEXT NOT NULL, description TEXT
);
CREATE TABLE price_book (
    price_id TEXT PRIMARY KEY, product_id TEXT NOT NULL REFERENCES products (product_id), edition TEXT NOT NULL,
    list_price REAL NOT NULL, currency TEXT NOT NULL, billing_period TEXT NOT NULL,
    max_discount_seller REAL NOT NULL, max_discount_manager REAL NOT NULL,
    UNIQUE (product_id, edition, currency)
);
CREATE TABLE accounts (
    account_id TEXT PRIMARY KEY, name TEXT NOT NULL, domain TEXT, industry TEXT, employees INTEGER,
    annual_revenue REAL, country TEXT, city TEXT, owner_id TEXT REFERENCES users (user_id), owner_team TEXT,
    tier TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE contacts (
    contact_id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts (account_id), company TEXT,
    first_name TEXT,
    last_name TEXT, full_name TEXT, email TEXT, phone TEXT, title TEXT, city TEXT, country TEXT, owner_team TEXT,
    language TEXT, updated_at TEXT NOT NULL
);
CREATE TABLE leads (
    lead_id TEXT PRIMARY KEY, first_name TEXT, last_name TEXT, full_name TEXT, email TEXT, phone TEXT,
    company TEXT, title TEXT, industry TEXT, employees INTEGER, country TEXT, city TEXT, source TEXT,
    status TEXT NOT NULL, owner_id TEXT REFERENCES users (user_id), owner_team TEXT, time_zone TEXT,
    language TEXT, product_interest TEXT REFERENCES products (product_id),
    converted_contact_id TEXT REFERENCES contacts (contact_id), created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    need TEXT, timeline TEXT, budget TEXT, authority TEXT, qualified_at TEXT
);
CREATE TABLE opportunities (
    opportunity_id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts (account_id), name TEXT,
    stage TEXT NOT NULL, amount REAL, currency TEXT, close_date TEXT, owner_id TEXT REFERENCES users (user_id),
    owner_team TEXT, product_id TEXT REFERENCES products (product_id), created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE cases (
    case_id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts (account_id),
    contact_id TEXT REFERENCES contacts (contact_id), subject TEXT NOT NULL, description TEXT,
    status TEXT NOT NULL, priority TEXT, channel TEXT, language TEXT, owner_id TEXT REFERENCES users (user_id),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX ix_users_manager ON users (manager_id);
CREATE INDEX ix_price_book_product ON price_book (product_id);
CREATE INDEX ix_accounts_owner ON accounts (owner_id);
CREATE INDEX ix_accounts_team ON accounts (owner_team);
CREATE INDEX ix_contacts_account ON contacts (account_id);
CREATE INDEX ix_contacts_email ON contacts (email);
CREATE INDEX ix_leads_owner ON leads (owner_id);
CREATE INDEX ix_leads_email ON leads (email);
CREATE INDEX ix_leads_product ON leads (product_interest);
CREATE INDEX ix_leads_converted ON leads (converted_contact_id);
CREATE INDEX ix_opportunities_account ON opportunities (account_id);
CREATE INDEX ix_opportunities_owner ON opportunities (owner_id);
CREATE INDEX ix_opportunities_product ON opportunities (product_id);
CREATE INDEX ix_cases_account ON cases (account_id);
CREATE INDEX ix_cases_contact ON cases (contact_id);
CREATE INDEX ix_cases_owner ON cases (owner_id);
"""


def write_crm(path: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    connection = sqlite3.connect(path)
    try:
        # A freshly built file needs no journal; the caller renames the folder only once all is written.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.executescript(SCHEMA)
        with connection:
            for name, rows in tables.items():
                if not rows:
                    continue
                columns = list(rows[0])
                statement = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
                connection.executemany(statement, ([row[c] for c in columns] for row in rows))
    finally:
        connection.close()
