"""The Service agent's reads and writes of company data, always as `agent:service` and scoped to one customer."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from cadre.agents.actions import ActionContext
from cadre.data.service import DataService
from cadre.errors import CadreError
from cadre.heroes._service_identity import Customer, Facts, Record, id_forms

CASE_CHANNELS = {"web": "web", "email": "email", "api": "chat", "slack": "chat"}  # runtime channel -> CRM channel
NEW_CASE_ATTEMPTS = 3  # another writer may take the next case number between our read and our insert


def data(ctx: ActionContext) -> DataService:
    service: DataService = ctx.service("data")
    return service


def read(
    ctx: ActionContext, entity: str, where: dict[str, Any], fields: list[str] | None = None
) -> list[dict[str, Any]]:
    principal = f"agent:{ctx.agent}"
    return data(ctx).get(entity, principal=principal, purpose=ctx.purpose, where=where, fields=fields, limit=None).rows


def records_of(ctx: ActionContext, email: str) -> list[Record]:
    """Every record that carries `email`: CRM contacts and billing customers' billing contacts."""
    contacts = read(ctx, "Contact", {"email": email}, ["contact_id", "account_id", "full_name", "phone", "language"])
    billing = read(
        ctx,
        "BillingCustomer",
        {"billing_email": email},
        ["customer_id", "crm_account_id", "billing_contact_name", "phone"],
    )
    return [
        *(
            Record("contact", r["contact_id"], r["account_id"], r["full_name"], r["phone"], r["language"])
            for r in contacts
        ),
        *(
            Record("billing", r["customer_id"], r["crm_account_id"], r["billing_contact_name"], r["phone"])
            for r in billing
        ),
    ]


def facts_for(
    ctx: ActionContext,
    records: list[Record],
    *,
    customer_number: str | None = None,
    invoice_number: str | None = None,
    order_number: str | None = None,
    case_number: str | None = None,
    phone: str | None = None,
) -> Facts:
    """Offered facts, each looked up only among the email's own records: another customer's invoice number reads
    nothing and proves nothing."""
    billing = [r.id for r in records if r.kind == "billing"]
    contacts = [r.id for r in records if r.kind == "contact"]
    return Facts(
        customer_id=customer_number,
        phone=phone,
        invoice_owner=_owner(ctx, "Invoice", "invoice_id", invoice_number, billing) if invoice_number else None,
        order_owner=order_owner(ctx, order_number, billing) if order_number else None,
        case_contact=_case_contact(ctx, case_number, contacts) if case_number else None,
    )


def order_owner(ctx: ActionContext, number: str, billing: list[str]) -> str | None:
    if number.upper().startswith("SUB"):
        return _owner(ctx, "Subscription", "subscription_id", number, billing)
    return _owner(ctx, "Order", "order_id", number, billing)


def _owner(ctx: ActionContext, entity: str, key: str, number: str, billing: list[str]) -> str | None:
    if not billing:
        return None
    rows = read(ctx, entity, {key: id_forms(number), "customer_id": billing}, [key, "customer_id"])
    return str(rows[0]["customer_id"]) if rows else None


def _case_contact(ctx: ActionContext, number: str, contacts: list[str]) -> str | None:
    if not contacts:
        return None
    rows = read(ctx, "Case", {"case_id": id_forms(number), "contact_id": contacts}, ["case_id", "contact_id"])
    return str(rows[0]["contact_id"]) if rows else None


def product_names(ctx: ActionContext, product_ids: list[str]) -> dict[str, str]:
    if not product_ids:
        return {}
    rows = read(ctx, "Product", {"product_id": sorted(set(product_ids))}, ["product_id", "name"])
    return {r["product_id"]: r["name"] for r in rows}


def own_case(ctx: ActionContext, customer: Customer, number: str) -> dict[str, Any] | None:
    """The customer's case with this number: one of their contacts' cases, or one opened in this conversation."""
    opened = ctx.state.get("cases_opened", [])
    forms = id_forms(number)
    if any(f in opened for f in forms):
        where: dict[str, Any] = {"case_id": forms}
    elif customer.contact_ids:
        where = {"case_id": forms, "contact_id": list(customer.contact_ids)}
    else:
        return None
    rows = read(ctx, "Case", where, ["case_id", "subject", "description", "status"])
    return rows[0] if rows else None


def new_case(
    ctx: ActionContext,
    customer: Customer,
    *,
    subject: str,
    description: str,
    status: str = "new",
    priority: str = "medium",
) -> str:
    """Insert a case for the customer's account; its number is the highest in the CRM plus one."""
    stamp = timestamp(ctx.now)
    for _ in range(NEW_CASE_ATTEMPTS):
        case_id = _next_case_id(ctx)
        values: dict[str, Any] = {
            "case_id": case_id,
            "account_id": customer.account_ids[0],
            "contact_id": customer.contact_ids[0] if customer.contact_ids else None,
            "subject": subject,
            "description": description,
            "status": status,
            "priority": priority,
            "channel": CASE_CHANNELS.get(ctx.channel, "web"),
            "language": ctx.language,
            "created_at": stamp,
            "updated_at": stamp,
        }
        try:
            data(ctx).insert("Case", values, principal=f"agent:{ctx.agent}", purpose=ctx.purpose)
        except CadreError as exc:
            if "UNIQUE" in str(exc) or "duplicate key" in str(exc):
                continue
            raise
        ctx.state.setdefault("cases_opened", []).append(case_id)
        return case_id
    raise CadreError(f"a new case number must be free, got {NEW_CASE_ATTEMPTS} taken numbers in a row")


def add_note(ctx: ActionContext, case: dict[str, Any], note: str) -> None:
    stamp = timestamp(ctx.now)
    description = f"{case.get('description') or ''}\n\n[{stamp} · customer via the service agent] {note}".strip()
    values: dict[str, Any] = {"description": description, "updated_at": stamp}
    if case.get("status") == "closed":  # the customer wrote again: the case needs someone's eyes
        values["status"] = "open"
    data(ctx).update("Case", case["case_id"], values, principal=f"agent:{ctx.agent}", purpose=ctx.purpose)


def _next_case_id(ctx: ActionContext) -> str:
    rows = read(ctx, "Case", {}, ["case_id"])
    numbers = [int(m[1]) for r in rows if (m := re.search(r"(\d+)$", str(r["case_id"])))]
    return f"CS{max(numbers, default=0) + 1:06d}"


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(value: Any) -> str:
    """A date as customers read it in every language: ISO `YYYY-MM-DD`."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value)[:10]


def money(value: Any) -> str:
    return f"{float(value):,.2f}"
