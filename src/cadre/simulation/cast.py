"""Who takes part in the simulated day: the sample company's customers, leads and sellers, read through governance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from cadre.data.identity import IdentityService
from cadre.data.service import DataService
from cadre.errors import CadreError

READER = "role:admin"
PURPOSE = "simulation"
OPEN_LEAD = ("new", "working", "nurture", "qualified")
SELLER_ROLES = ("seller", "sales_manager")


class CastUnavailable(CadreError):
    """The data the day needs (customers, leads, sellers) is missing: no sample company is installed."""


@dataclass(frozen=True)
class Customer:
    """A billing customer: verified with the billing email and the customer number; owns invoices and orders."""

    customer_id: str
    email: str
    person_id: str | None
    paid_invoices: tuple[str, ...]
    invoices: tuple[str, ...]
    orders: tuple[str, ...]


@dataclass(frozen=True)
class Contact:
    """A CRM contact: verified with the email and the phone on file; owns the cases they raised."""

    contact_id: str
    email: str
    phone: str
    language: str
    person_id: str | None
    cases: tuple[str, ...]


@dataclass(frozen=True)
class Lead:
    lead_id: str
    language: str
    person_id: str | None


@dataclass(frozen=True)
class Seller:
    user_id: str
    languages: tuple[str, ...]
    accounts: tuple[str, ...]  # names of the accounts their team owns


@dataclass(frozen=True)
class Cast:
    customers: tuple[Customer, ...]
    contacts: tuple[Contact, ...]
    leads: tuple[Lead, ...]
    sellers: tuple[Seller, ...]


def load_cast(data: DataService) -> Cast:
    """Everyone the day can put on stage, in a stable order; `person_id` is set where identities were resolved."""
    profiles = _Profiles(data)
    invoices = _by(_rows(data, "Invoice"), "customer_id")
    orders = _by(_rows(data, "Order"), "customer_id")
    cases = _by(_rows(data, "Case"), "contact_id")
    customers = tuple(
        Customer(
            customer_id=row["customer_id"],
            email=row["billing_email"],
            person_id=profiles.find("BillingContact", row["customer_id"]),
            paid_invoices=tuple(i["invoice_id"] for i in invoices[row["customer_id"]] if i["status"] == "paid"),
            invoices=tuple(i["invoice_id"] for i in invoices[row["customer_id"]]),
            orders=tuple(o["order_id"] for o in orders[row["customer_id"]]),
        )
        for row in _rows(data, "BillingCustomer")
        if row["billing_email"] and invoices[row["customer_id"]] and orders[row["customer_id"]]
    )
    contacts = tuple(
        Contact(
            contact_id=row["contact_id"],
            email=row["email"],
            phone=row["phone"],
            language=row["language"] or "en",
            person_id=profiles.find("Contact", row["contact_id"]),
            cases=tuple(c["case_id"] for c in cases[row["contact_id"]]),
        )
        for row in _rows(data, "Contact")
        if row["email"] and row["phone"]
    )
    leads = tuple(
        Lead(lead_id=row["lead_id"], language=row["language"] or "en", person_id=profiles.find("Lead", row["lead_id"]))
        for row in _rows(data, "Lead")
        if row["email"] and row["status"] in OPEN_LEAD
    )
    accounts = _by(_rows(data, "Account"), "owner_team")
    sellers = tuple(
        Seller(
            user_id=row["user_id"],
            languages=tuple((row["languages"] or "en").split(",")),
            accounts=tuple(sorted(a["name"] for a in accounts[row["team"]])),
        )
        for row in _rows(data, "User")
        if row["role"] in SELLER_ROLES and accounts[row["team"]]
    )
    if not (customers and contacts and leads and sellers):
        raise CastUnavailable(
            "the simulated day needs customers, contacts, open leads and sellers, got "
            f"{len(customers)}, {len(contacts)}, {len(leads)} and {len(sellers)}",
            hint="create the sample company first: `cadre sample create`",
        )
    return Cast(customers=customers, contacts=contacts, leads=leads, sellers=sellers)


def _rows(data: DataService, entity: str) -> list[dict[str, Any]]:
    rows = data.get(entity, principal=READER, purpose=PURPOSE, limit=None).rows
    key = data.catalog.entities[entity].key
    return sorted(rows, key=lambda row: str(row[key]))


def _by(rows: list[dict[str, Any]], column: str) -> defaultdict[str, list[dict[str, Any]]]:
    grouped: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[str(row[column])].append(row)
    return grouped


class _Profiles:
    """Unified profile ids of records; none before `cadre data resolve Person` (or the demo) has run."""

    def __init__(self, data: DataService) -> None:
        self._identities = IdentityService(data)

    def find(self, member: str, record_key: str) -> str | None:
        return self._identities.find("Person", member, record_key)
