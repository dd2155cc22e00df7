"""What Halyard Cloud knows about one account, gathered for a seller: deals, cases, subscriptions, contacts,
touches — each record kept with its id so answers and briefings can list their sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cadre.data.reads import FilterValue
from cadre.data.service import DataService
from cadre.heroes._seller_accounts import AGENT, BRIEFING, Seller

OPEN_STAGES = ("prospecting", "qualification", "proposal", "negotiation")
OPEN_CASE_STATUSES = ("new", "open", "pending", "escalated")
RECENT_CASE_DAYS = 180
TOUCHES = 5


@dataclass(frozen=True)
class Touch:
    """One dated interaction with the account, newest first in `AccountFacts.touches`."""

    at: str
    kind: str  # case, opportunity, email
    summary: str
    source: str  # the record it comes from, e.g. `Case CS000012`


@dataclass
class AccountFacts:
    account: dict[str, Any]
    opportunities: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)  # every case of the account, newest first
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    email_events: list[dict[str, Any]] = field(default_factory=list)
    products: dict[str, str] = field(default_factory=dict)  # product_id -> name
    sources: list[str] = field(default_factory=list)  # `Entity id` of every record read, in reading order

    @property
    def account_id(self) -> str:
        return str(self.account["account_id"])

    @property
    def name(self) -> str:
        return str(self.account["name"])

    def open_opportunities(self) -> list[dict[str, Any]]:
        return [o for o in self.opportunities if o.get("stage") in OPEN_STAGES]

    def open_cases(self) -> list[dict[str, Any]]:
        return [c for c in self.cases if c.get("status") in OPEN_CASE_STATUSES]

    def recent_cases(self, now: datetime, days: int = RECENT_CASE_DAYS) -> list[dict[str, Any]]:
        """Open cases, and closed ones updated within `days`."""
        return [c for c in self.cases if c.get("status") in OPEN_CASE_STATUSES or _age_days(c, now) <= days]

    def product(self, product_id: Any) -> str:
        return self.products.get(str(product_id), str(product_id))

    @property
    def touches(self) -> list[Touch]:
        found: list[Touch] = []
        for case in self.cases:
            summary = f"case {case['case_id']} ({case['status']}): {case['subject']}"
            found.append(Touch(_text(case.get("updated_at")), "case", summary, f"Case {case['case_id']}"))
        for opp in self.opportunities:
            summary = f"opportunity {opp['name']} at stage {opp['stage']}"
            found.append(
                Touch(_text(opp.get("updated_at")), "opportunity", summary, f"Opportunity {opp['opportunity_id']}")
            )
        for event in self.email_events:
            who = event.get("contact") or "a contact"
            summary = f"{who}: {event['event']} of campaign {event['campaign']}"
            found.append(Touch(_text(event.get("at")), "email", summary, f"EmailEvent {event['event_id']}"))
        found.sort(key=lambda t: t.at, reverse=True)
        return found[:TOUCHES]


def gather_facts(data: DataService, seller: Seller, account: dict[str, Any]) -> AccountFacts:
    """Everything about `account`, which the seller's own read has just returned. Deals and contacts are read as
    the seller (their masks apply); cases, subscriptions and email events, which a seller's role does not read,
    as the assistant — scoped to this account, and audited like every read."""
    facts = AccountFacts(account=account, sources=[f"Account {account['account_id']}"])
    where: dict[str, FilterValue] = {"account_id": facts.account_id}
    facts.opportunities = _newest(
        data.get("Opportunity", principal=seller.principal, purpose=BRIEFING, where=where, limit=None).rows
    )
    facts.contacts = data.get(
        "Contact",
        principal=seller.principal,
        purpose=BRIEFING,
        where=where,
        fields=["contact_id", "full_name", "title", "email", "phone", "language"],
        limit=None,
    ).rows
    facts.cases = _newest(data.get("Case", principal=AGENT, purpose=BRIEFING, where=where, limit=None).rows)
    customers = data.get(
        "BillingCustomer", principal=AGENT, purpose=BRIEFING, where={"crm_account_id": facts.account_id}, limit=None
    ).rows
    if customers:
        ids = [str(c["customer_id"]) for c in customers]
        facts.subscriptions = data.get(
            "Subscription", principal=AGENT, purpose=BRIEFING, where={"customer_id": ids}, limit=None
        ).rows
    emails = data.get(
        "Contact", principal=AGENT, purpose=BRIEFING, where=where, fields=["contact_id", "email"], limit=None
    ).rows
    addresses = [str(c["email"]) for c in emails if c.get("email")]
    if addresses:
        facts.email_events = data.get(
            "EmailEvent", principal=AGENT, purpose=BRIEFING, where={"email": addresses}, limit=None
        ).rows
        # The seller sees contacts masked; touches name the contact, matched on the address they never see.
        real = {str(c["contact_id"]): str(c["email"]) for c in emails if c.get("email")}
        for event in facts.email_events:
            event["contact"] = next(
                (c.get("full_name") for c in facts.contacts if real.get(str(c["contact_id"])) == event["email"]), None
            )
    facts.products = {
        str(p["product_id"]): str(p["name"])
        for p in data.get("Product", principal=AGENT, purpose=BRIEFING, fields=["product_id", "name"]).rows
    }
    facts.sources += [f"Opportunity {o['opportunity_id']}" for o in facts.opportunities]
    facts.sources += [f"Contact {c['contact_id']}" for c in facts.contacts]
    facts.sources += [f"Case {c['case_id']}" for c in facts.cases]
    facts.sources += [f"BillingCustomer {c['customer_id']}" for c in customers]
    facts.sources += [f"Subscription {s['subscription_id']}" for s in facts.subscriptions]
    facts.sources += [f"EmailEvent {e['event_id']}" for e in facts.email_events]
    return facts


def _newest(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: _text(r.get("updated_at")), reverse=True)


def _text(value: Any) -> str:
    """Timestamps come back as strings (SQLite) or datetimes (Parquet, CSV): one sortable ISO form for both."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return "" if value is None else str(value)


def _age_days(row: dict[str, Any], now: datetime) -> float:
    stamp = parse_time(row.get("updated_at"))
    return (now - stamp).total_seconds() / 86_400 if stamp else float("inf")


def parse_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
