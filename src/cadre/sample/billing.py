"""The billing system: customers with their billing contact, subscriptions, orders and invoices."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pyarrow as pa

from cadre.sample._clock import DAY, NOW, YEAR, Seconds, between
from cadre.sample._words import GENERIC_MAILBOXES
from cadre.sample.cast import CustomerPlan
from cadre.sample.people import Person
from cadre.sample.products import PRODUCTS, PriceEntry
from cadre.sample.variation import Drift, company_variant, render

BILLING_DRIFT = Drift(
    nickname=0.05,
    typo=0.03,
    swap=0.01,
    email_weights=(0.85, 0.05, 0.1, 0.0),
    email_typo=0.0,
    email_case=0.0,
    phone=0.75,
    mobile=0.2,
    phone_styles=("e164", "e164", "international", "dashed"),
)

_TIMESTAMP = pa.timestamp("s", tz="UTC")
_PRIMARY = tuple(p.product_id for p in PRODUCTS if p.kind == "subscription")
_PRIMARY_WEIGHTS = np.array([0.3, 0.25, 0.15, 0.2, 0.1])
_EDITION_BY_TIER = {
    "enterprise": (("enterprise", "professional"), (0.6, 0.4)),
    "mid_market": (("starter", "professional", "enterprise"), (0.2, 0.7, 0.1)),
    "smb": (("starter", "professional"), (0.6, 0.4)),
}
_KIND = {p.product_id: p.kind for p in PRODUCTS}

Columns = dict[str, Any]


@dataclass(frozen=True)
class BillingData:
    tables: dict[str, pa.Table]
    contact_people: dict[str, Person]  # customer_id -> billing contact
    customer_companies: dict[str, str]  # customer_id -> company_id


@dataclass(frozen=True)
class _Customer:
    customer_id: str
    currency: str
    since: int
    seats: int
    product_id: str
    edition: str


def build_billing(
    rng: np.random.Generator,
    plans: list[CustomerPlan],
    account_ids: dict[str, str],
    prices: list[PriceEntry],
    order_count: int,
) -> BillingData:
    made = [(plan, _customer(rng, plan)) for plan in sorted(plans, key=lambda plan: plan.company.company_id)]
    # Customer numbers follow sign-up order, as a billing system hands them out.
    made.sort(key=lambda pair: (pair[1].since, pair[0].company.company_id))
    customers: list[_Customer] = []
    rows: list[dict[str, Any]] = []
    for number, (plan, draft) in enumerate(made, start=1):
        customer = replace(draft, customer_id=f"CUST-{number:05d}")
        customers.append(customer)
        rows.append(_customer_row(rng, plan, customer, account_ids))
    price_of = {(entry.product_id, entry.edition, entry.currency): entry.list_price for entry in prices}
    orders = _orders(rng, customers, price_of, order_count)
    tables = {
        "customers": pa.Table.from_pylist(rows, schema=_CUSTOMER_SCHEMA),
        "orders": pa.table(orders, schema=_ORDER_SCHEMA),
        "invoices": pa.table(_invoices(rng, orders), schema=_INVOICE_SCHEMA),
        "subscriptions": pa.Table.from_pylist(_subscriptions(rng, customers), schema=_SUBSCRIPTION_SCHEMA),
    }
    return BillingData(
        tables,
        contact_people={c.customer_id: plan.contact for c, (plan, _) in zip(customers, made, strict=True)},
        customer_companies={
            c.customer_id: plan.company.company_id for c, (plan, _) in zip(customers, made, strict=True)
        },
    )


def _customer(rng: np.random.Generator, plan: CustomerPlan) -> _Customer:
    company = plan.company
    if plan.account is None:
        since = NOW - int(rng.integers(DAY, 2 * YEAR))
    else:
        since = company.created_at + int(rng.integers(30 * DAY, max(NOW - company.created_at, 31 * DAY)))
        since = min(since, NOW - 7 * DAY)
    editions, weights = _EDITION_BY_TIER[company.tier]
    return _Customer(
        customer_id="",  # numbered once every customer's sign-up date is known
        currency=company.country.currency,
        since=since,
        seats=int(np.clip(round(company.employees * rng.uniform(0.02, 0.15)), 3, 2_000)),
        product_id=_PRIMARY[int(rng.choice(len(_PRIMARY), p=_PRIMARY_WEIGHTS))],
        edition=editions[int(rng.choice(len(editions), p=weights))],
    )


def _customer_row(
    rng: np.random.Generator, plan: CustomerPlan, customer: _Customer, account_ids: dict[str, str]
) -> dict[str, Any]:
    company, person = plan.company, plan.contact
    seen = render(person, rng, BILLING_DRIFT)
    email = seen.email
    if rng.random() < 0.1:
        # Finance teams often have invoices sent to a shared mailbox rather than a person.
        email = f"{GENERIC_MAILBOXES[int(rng.integers(0, len(GENERIC_MAILBOXES)))]}@{company.domain}"
    # Invoices carry the legal name; the rest is what someone typed in at sign-up.
    name = company.legal_name if rng.random() < 0.7 else company_variant(company.name, company.legal_name, rng)
    linked = plan.account is not None and rng.random() < 0.85
    return {
        "customer_id": customer.customer_id,
        "company_name": name,
        "billing_contact_name": f"{seen.first_name} {seen.last_name}",
        "billing_email": email,
        "phone": seen.phone,
        "country": company.country.code,
        "currency": customer.currency,
        "crm_account_id": account_ids[company.company_id] if linked else None,
        "created_at": customer.since,
    }


def _orders(
    rng: np.random.Generator, customers: list[_Customer], price_of: dict[tuple[str, str, str], float], count: int
) -> Columns:
    seats = np.array([c.seats for c in customers], dtype=float)
    since = np.array([c.since for c in customers], dtype=np.int64)
    who = rng.choice(len(customers), size=count, p=np.sqrt(seats) / np.sqrt(seats).sum())
    at = between(rng, since[who], NOW, count)
    sequence = np.argsort(at, kind="stable")
    who, at = who[sequence], at[sequence]
    kind = rng.choice(3, size=count, p=[0.7, 0.15, 0.15])  # the plan itself, an add-on, a service
    pick = rng.random(count)
    units = rng.integers(1, 5, count)  # terabytes of storage, or training days
    discount = np.where(rng.random(count) < 0.3, np.round(rng.uniform(0, 0.2, count), 2), 0.0)
    order_seats = np.maximum(1, np.round(seats[who] * rng.uniform(0.8, 1.2, count))).astype(int)
    product_ids: list[str] = []
    quantities: list[int] = []
    amounts: list[float] = []
    currencies: list[str] = []
    for i in range(count):
        customer = customers[int(who[i])]
        edition = customer.edition if kind[i] == 0 else "standard"
        if kind[i] == 0:
            product, quantity = customer.product_id, int(order_seats[i])
        elif kind[i] == 1:
            product, quantity = ("P006", int(order_seats[i])) if pick[i] < 0.6 else ("P007", int(units[i]))
        else:
            product, quantity = ("P008", 1) if pick[i] < 0.4 else ("P009", int(units[i]))
        months = 1 if _KIND[product] == "service" else 12  # subscriptions are sold and billed annually
        amount = price_of[(product, edition, customer.currency)] * quantity * months * (1 - discount[i])
        amounts.append(float(round(amount)) if customer.currency == "JPY" else round(amount, 2))
        product_ids.append(product)
        quantities.append(quantity)
        currencies.append(customer.currency)
    age = NOW - at
    status = np.asarray(["completed", "cancelled", "refunded"], dtype=object)[
        rng.choice(3, size=count, p=[0.92, 0.04, 0.04])
    ]
    status[(age < 7 * DAY) & (rng.random(count) < 0.5)] = "pending"
    return {
        "order_id": [f"ORD-{i + 1:07d}" for i in range(count)],
        "customer_id": [customers[int(c)].customer_id for c in who],
        "product_id": product_ids,
        "quantity": quantities,
        "amount": amounts,
        "currency": currencies,
        "ordered_at": at,
        "status": status,
    }


def _invoices(rng: np.random.Generator, orders: Columns) -> Columns:
    keep = np.flatnonzero(orders["status"] != "cancelled")  # a cancelled order is never invoiced
    count = len(keep)
    issued: Seconds = orders["ordered_at"][keep] + (rng.random(count) * 2 * DAY).astype(np.int64)
    issued = np.minimum(issued, NOW - 60)
    sequence = np.argsort(issued, kind="stable")
    keep, issued = keep[sequence], issued[sequence]
    due = issued + 30 * DAY
    paid = np.minimum(issued + (rng.uniform(1, 40, count) * DAY).astype(np.int64), NOW - 60)
    order_status = orders["status"][keep]
    status = np.full(count, "paid", dtype=object)
    # Some recent invoices are simply paid late; older unpaid ones would have been chased or written off.
    late = (due > NOW - 90 * DAY) & (rng.random(count) < 0.15)
    unpaid = (paid >= NOW - 60) | ((due >= NOW) & (rng.random(count) < 0.6)) | late
    status[unpaid] = np.where(due[unpaid] < NOW, "overdue", "open")
    status[order_status == "pending"] = "open"
    status[order_status == "refunded"] = "void"
    paid_at = pa.array(paid, type=_TIMESTAMP, mask=status != "paid")
    return {
        "invoice_id": [f"INV-{i + 1:07d}" for i in range(count)],
        "customer_id": [orders["customer_id"][int(k)] for k in keep],
        "order_id": [orders["order_id"][int(k)] for k in keep],
        "amount": [orders["amount"][int(k)] for k in keep],
        "currency": [orders["currency"][int(k)] for k in keep],
        "issued_at": issued,
        "due_at": due,
        "paid_at": paid_at,
        "status": status,
    }


def _subscriptions(rng: np.random.Generator, customers: list[_Customer]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for customer in customers:
        lines = [(customer.product_id, customer.edition, customer.seats)]
        if rng.random() < 0.3:
            lines.append(("P006", "standard", customer.seats))
        if rng.random() < 0.15:
            lines.append(("P007", "standard", int(rng.integers(1, 5))))
        for product_id, edition, seats in lines:
            started = customer.since + (0 if product_id == customer.product_id else int(rng.integers(0, 90 * DAY)))
            started = min(started, NOW - DAY)
            renews: int | None = started + ((NOW - started) // YEAR + 1) * YEAR  # next anniversary after today
            cancelled: int | None = None
            if NOW - started < 14 * DAY and customer.since == started:
                status, renews = "trial", started + 14 * DAY
            else:
                status = ("active", "past_due", "cancelled")[int(rng.choice(3, p=[0.8, 0.06, 0.14]))]
            if status == "cancelled":
                cancelled, renews = int(between(rng, started + DAY, NOW, 1)[0]), None
            rows.append(
                {
                    "subscription_id": f"SUB-{len(rows) + 1:06d}",
                    "customer_id": customer.customer_id,
                    "product_id": product_id,
                    "plan": edition,
                    "seats": seats,
                    "status": status,
                    "started_at": started,
                    "renews_at": renews,
                    "cancelled_at": cancelled,
                }
            )
    return rows


_CUSTOMER_SCHEMA = pa.schema(
    [
        ("customer_id", pa.string()),
        ("company_name", pa.string()),
        ("billing_contact_name", pa.string()),
        ("billing_email", pa.string()),
        ("phone", pa.string()),
        ("country", pa.string()),
        ("currency", pa.string()),
        ("crm_account_id", pa.string()),
        ("created_at", _TIMESTAMP),
    ]
)
_ORDER_SCHEMA = pa.schema(
    [
        ("order_id", pa.string()),
        ("customer_id", pa.string()),
        ("product_id", pa.string()),
        ("quantity", pa.int32()),
        ("amount", pa.float64()),
        ("currency", pa.string()),
        ("ordered_at", _TIMESTAMP),
        ("status", pa.string()),
    ]
)
_INVOICE_SCHEMA = pa.schema(
    [
        ("invoice_id", pa.string()),
        ("customer_id", pa.string()),
        ("order_id", pa.string()),
        ("amount", pa.float64()),
        ("currency", pa.string()),
        ("issued_at", _TIMESTAMP),
        ("due_at", _TIMESTAMP),
        ("paid_at", _TIMESTAMP),
        ("status", pa.string()),
    ]
)
_SUBSCRIPTION_SCHEMA = pa.schema(
    [
        ("subscription_id", pa.string()),
        ("customer_id", pa.string()),
        ("product_id", pa.string()),
        ("plan", pa.string()),
        ("seats", pa.int32()),
        ("status", pa.string()),
        ("started_at", _TIMESTAMP),
        ("renews_at", _TIMESTAMP),
        ("cancelled_at", _TIMESTAMP),
    ]
)
