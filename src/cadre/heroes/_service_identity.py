"""Who the Service agent talks to: the email on file plus a second fact, resolved to exactly one customer.

A customer is every record carrying their email — CRM contacts and the billing contact of a billing customer —
grouped by the company they belong to: two records with one email at one company are the same person entered
twice, while one email at two companies is ambiguous until the second fact points at one of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

RecordKind = Literal["contact", "billing"]
PHONE_DIGITS = 9  # national and international forms of one number share their last digits


@dataclass(frozen=True)
class Record:
    """One record that carries the customer's email."""

    kind: RecordKind
    id: str  # contact_id or billing customer_id
    account_id: str | None  # the CRM account (for a billing customer: its link, when someone made one)
    name: str
    phone: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Facts:
    """The second facts a customer offered, each already checked against its own record where it needs one."""

    customer_id: str | None = None
    phone: str | None = None
    invoice_owner: str | None = None  # the billing customer an offered invoice number belongs to
    order_owner: str | None = None  # the billing customer an offered order or subscription number belongs to
    case_contact: str | None = None  # the contact an offered case number belongs to

    def any(self) -> bool:
        return any(asdict(self).values())


@dataclass(frozen=True)
class Customer:
    """The verified customer, kept in the conversation's state; every later read is scoped to these ids."""

    email: str
    name: str
    language: str | None = None
    billing_ids: tuple[str, ...] = ()
    contact_ids: tuple[str, ...] = ()
    account_ids: tuple[str, ...] = ()

    def to_state(self) -> dict[str, Any]:
        """JSON for the conversation's state (tuples become lists there anyway)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Customer:
        return cls(
            email=state["email"],
            name=state["name"],
            language=state.get("language"),
            billing_ids=tuple(state.get("billing_ids", ())),
            contact_ids=tuple(state.get("contact_ids", ())),
            account_ids=tuple(state.get("account_ids", ())),
        )


@dataclass(frozen=True)
class Resolution:
    outcome: Literal["verified", "need_fact", "not_verified", "ambiguous"]
    customer: Customer | None = None


def resolve_customer(email: str, records: Iterable[Record], facts: Facts) -> Resolution:
    """The one customer `email` and `facts` point at. Unknown emails and wrong facts resolve alike, so the answer
    never tells whether an email is on file."""
    people = group_people(list(records))
    if not facts.any():
        return Resolution("need_fact")
    matching = [group for group in people if _fact_holds(group, facts)]
    if not matching:
        return Resolution("not_verified")
    if len(matching) > 1:
        return Resolution("ambiguous")
    return Resolution("verified", customer=_customer(email, matching[0]))


def group_people(records: list[Record]) -> list[list[Record]]:
    """Records of one email, grouped by company. A billing customer nobody linked to the CRM joins the email's
    contacts when they all sit at one account; otherwise it stands alone."""
    contact_accounts = {r.account_id for r in records if r.kind == "contact" and r.account_id}
    groups: dict[str, list[Record]] = {}
    for record in records:
        account = record.account_id
        if account is None and record.kind == "billing" and len(contact_accounts) == 1:
            account = next(iter(contact_accounts))
        groups.setdefault(account or f"{record.kind}:{record.id}", []).append(record)
    return list(groups.values())


def _fact_holds(group: list[Record], facts: Facts) -> bool:
    billing = {r.id for r in group if r.kind == "billing"}
    contacts = {r.id for r in group if r.kind == "contact"}
    checks = [
        facts.customer_id is not None and same_id(facts.customer_id, billing),
        facts.invoice_owner is not None and facts.invoice_owner in billing,
        facts.order_owner is not None and facts.order_owner in billing,
        facts.case_contact is not None and facts.case_contact in contacts,
        facts.phone is not None and any(same_phone(facts.phone, r.phone) for r in group),
    ]
    return any(checks)


def _customer(email: str, group: list[Record]) -> Customer:
    contacts = [r for r in group if r.kind == "contact"]
    first = (contacts or group)[0]
    return Customer(
        email=email,
        name=first.name,
        language=first.language,
        billing_ids=tuple(sorted(r.id for r in group if r.kind == "billing")),
        contact_ids=tuple(sorted(r.id for r in contacts)),
        account_ids=tuple(sorted({r.account_id for r in group if r.account_id})),
    )


def same_phone(offered: str, on_file: str | None) -> bool:
    a, b = re.sub(r"\D", "", offered), re.sub(r"\D", "", on_file or "")
    if len(a) < 8 or len(b) < 8:  # too short to single anyone out
        return False
    return a[-PHONE_DIGITS:] == b[-PHONE_DIGITS:]


def id_forms(value: str) -> list[str]:
    """The spellings one id may be stored under: the slot extractor writes `CS-000045`, the CRM `CS000045`."""
    match = re.fullmatch(r"\s*([A-Za-z]+)[-_ ]?(\d[\d-]*)\s*", value)
    if match is None:
        return [value.strip()]
    prefix, digits = match[1].upper(), match[2]
    return list(dict.fromkeys([f"{prefix}-{digits}", f"{prefix}{digits}", f"{prefix}-{digits.replace('-', '')}"]))


def same_id(value: str, known: Iterable[str]) -> bool:
    forms = {f.replace("-", "") for f in id_forms(value)}
    return any(k.replace("-", "").upper() in forms for k in known)
