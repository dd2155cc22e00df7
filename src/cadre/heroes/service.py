"""The Service agent's actions: verify the customer, then answer about their own invoices, orders, subscriptions
and cases, file refunds within policy and send reset-access links — never another customer's data.

Verification is the email on file plus one second fact (customer number, an invoice, order or subscription
number, a case number, or the phone on file). Until it succeeds nothing personal is said; afterwards the
customer lives in the conversation's state and every read is filtered to their ids in the query itself.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

from cadre.agents.actions import ActionContext, ActionRegistry, Slot, build_action
from cadre.heroes._service_identity import Customer, id_forms, resolve_customer
from cadre.heroes._service_links import (
    RESET_URL,
    ResetLinkError,
    mail_reset_link,
    reset_expiry,
    sign_reset_token,
    signing_key,
)
from cadre.heroes._service_phrases import say, status_word
from cadre.heroes._service_records import (
    add_note,
    data,
    day,
    facts_for,
    money,
    new_case,
    own_case,
    product_names,
    read,
    records_of,
)
from cadre.heroes._service_rules import (
    BILLING_QUEUE,
    MAX_VERIFICATION_FAILURES,
    REFUND_LIMITS,
    REFUND_WINDOW_DAYS,
    RESET_LINK_MINUTES,
    SUPPORT_QUEUE,
    NeedsPerson,
)

PURPOSE = "support"
SUBJECT_CHARS = 80
MIN_SUBJECT_CHARS = 10
COLON = re.compile("[:\uff1a]")  # ASCII and full-width (ja)
LATEST_ORDERS = 3  # shown with the subscriptions: "where is my order?" often comes without a number

# A refund reason the help centre's policy covers: the same payment taken twice.
DUPLICATE_CHARGE = re.compile(
    r"twice|duplicate|double[- ]?charged|charged two|two charges|dos veces|duplicad|doble cargo|cobro doble|"
    r"deux fois|en double|doublon|double prélèvement|double débit|doppelt|zweimal|zwei mal|doppelbuchung|"
    r"due volte|doppio addebito|addebito doppio|duplicat|duas vezes|cobrança dupla|em dobro|dupla cobrança|"
    r"二重|2回|二回|重複",
    re.IGNORECASE,
)


def verify_customer(
    ctx: ActionContext,
    email: Annotated[str, Slot("email")],
    customer_number: Annotated[str | None, Slot("customer_id")] = None,
    invoice_number: Annotated[str | None, Slot("invoice_id")] = None,
    order_number: Annotated[str | None, Slot("order_id")] = None,
    case_number: Annotated[str | None, Slot("case_id")] = None,
    phone: Annotated[str | None, Slot("phone")] = None,
) -> dict[str, Any]:
    """Identify and verify the customer: the email address on file plus one second fact — customer number
    (CUST-…), an invoice, order or subscription number, a case number, or the phone on file. Call this first,
    whenever the customer gives their email; other account actions need a verified customer."""
    return _verify(
        ctx,
        email,
        customer_number=customer_number,
        invoice_number=invoice_number,
        order_number=order_number,
        case_number=case_number,
        phone=phone,
    )


def find_invoice(
    ctx: ActionContext,
    invoice_id: Annotated[str, Slot("invoice_id")],
    email: Annotated[str | None, Slot("email")] = None,
) -> dict[str, Any]:
    """Look up one of the verified customer's invoices by its number (INV-…): amount, dates and payment status."""
    customer = _current(ctx, email, invoice_number=invoice_id)
    if not isinstance(customer, Customer):
        return customer
    invoice = _own_invoice(ctx, customer, invoice_id)
    if invoice is None:
        return {"found": False, "message": say("invoice_not_found", ctx.language, invoice_id=invoice_id)}
    text = say(
        "invoice",
        ctx.language,
        invoice_id=invoice["invoice_id"],
        amount=money(invoice["amount"]),
        currency=invoice["currency"],
        issued=day(invoice["issued_at"]),
        due=day(invoice["due_at"]),
        status=status_word(invoice["status"], ctx.language),
    )
    if invoice["paid_at"] is not None:
        text += " " + say("invoice_paid", ctx.language, paid=day(invoice["paid_at"]))
    return {"found": True, "invoice": _plain(invoice), "message": text}


def order_status(
    ctx: ActionContext,
    order_id: Annotated[str, Slot("order_id")],
    email: Annotated[str | None, Slot("email")] = None,
) -> dict[str, Any]:
    """Status of one of the verified customer's orders (ORD-…) or subscriptions (SUB-…) by its number."""
    customer = _current(ctx, email, order_number=order_id)
    if not isinstance(customer, Customer):
        return customer
    if order_id.upper().startswith("SUB"):
        return _subscriptions(ctx, customer, only=order_id)
    rows = (
        read(ctx, "Order", {"order_id": id_forms(order_id), "customer_id": list(customer.billing_ids)})
        if customer.billing_ids
        else []
    )
    if not rows:
        return {"found": False, "message": say("order_not_found", ctx.language, order_id=order_id)}
    order = rows[0]
    names = product_names(ctx, [order["product_id"]])
    text = say(
        "order",
        ctx.language,
        order_id=order["order_id"],
        product=names.get(order["product_id"], order["product_id"]),
        quantity=order["quantity"],
        amount=money(order["amount"]),
        currency=order["currency"],
        ordered=day(order["ordered_at"]),
        status=status_word(order["status"], ctx.language),
    )
    return {"found": True, "order": _plain(order), "message": text}


def subscription_status(ctx: ActionContext) -> dict[str, Any]:
    """Status of my subscriptions: plan, seats and when the subscription renews; also my latest orders."""
    customer = _current(ctx, None)
    if not isinstance(customer, Customer):
        return customer
    overview = _subscriptions(ctx, customer, only=None)
    orders = _latest_orders(ctx, customer)
    if orders:
        overview["orders"] = [_plain(o["row"]) for o in orders]
        overview["message"] += "\n" + "\n".join([say("latest_orders", ctx.language), *(o["line"] for o in orders)])
    return overview


def open_case(ctx: ActionContext, details: Annotated[str, Slot("text")]) -> dict[str, Any]:
    """Open a support case or ticket: I want to report a problem to support."""
    customer = _current(ctx, None)
    if not isinstance(customer, Customer):
        return customer
    subject = _subject(details)
    if not customer.account_ids:
        # A CRM case needs an account; a person opens it once someone links the billing record to one.
        billing = ", ".join(customer.billing_ids)
        summary = f"Open a case for {customer.name} ({customer.email}, billing {billing}, no CRM account): {details}"
        ctx.refer(SUPPORT_QUEUE, reason="case_without_account", summary=summary)
        return {"case_id": None, "referred": SUPPORT_QUEUE, "message": say("case_referred", ctx.language)}
    case_id = new_case(ctx, customer, subject=subject, description=details.strip())
    ctx.count("case_opened", case_id=case_id)
    return {"case_id": case_id, "message": say("case_opened", ctx.language, case_id=case_id, subject=subject)}


def add_to_case(
    ctx: ActionContext,
    case_id: Annotated[str, Slot("case_id")],
    note: Annotated[str, Slot("text")],
    email: Annotated[str | None, Slot("email")] = None,
) -> dict[str, Any]:
    """Update an existing case, identified by its case number, with more details."""
    customer = _current(ctx, email, case_number=case_id)
    if not isinstance(customer, Customer):
        return customer
    case = own_case(ctx, customer, case_id)
    if case is None:
        return {"found": False, "message": say("case_not_found", ctx.language, case_id=case_id)}
    add_note(ctx, case, note.strip())
    return {
        "found": True,
        "case_id": case["case_id"],
        "message": say("case_updated", ctx.language, case_id=case["case_id"]),
    }


def request_refund(
    ctx: ActionContext,
    invoice_id: Annotated[str, Slot("invoice_id")],
    reason: Annotated[str, Slot("text")],
    email: Annotated[str | None, Slot("email")] = None,
) -> dict[str, Any]:
    """Request a refund of a paid invoice (INV-…) of the verified customer, e.g. for a duplicate charge. Small,
    recent duplicate charges are filed for refund; anything else goes to the billing team with a summary."""
    customer = _current(ctx, email, invoice_number=invoice_id)
    if not isinstance(customer, Customer):
        return customer
    invoice = _own_invoice(ctx, customer, invoice_id)
    if invoice is None:
        return {"found": False, "message": say("invoice_not_found", ctx.language, invoice_id=invoice_id)}
    if invoice["status"] != "paid":
        status = status_word(invoice["status"], ctx.language)
        return {"filed": False, "message": say("refund_not_paid", ctx.language, invoice_id=invoice_id, status=status)}
    amount = Decimal(str(invoice["amount"]))
    limit = REFUND_LIMITS.get(str(invoice["currency"]))
    paid = _moment(invoice["paid_at"])
    facts = f"{invoice['invoice_id']}, {money(amount)} {invoice['currency']}, paid {day(paid)}"
    problems = []
    if not DUPLICATE_CHARGE.search(reason):
        problems.append("not a duplicate charge (the help centre refunds duplicate charges only)")
    if limit is None or amount > limit:
        problems.append(f"above the {limit or 0:,} {invoice['currency']} the agent may file alone")
    if paid is None or ctx.now - paid > timedelta(days=REFUND_WINDOW_DAYS):
        problems.append(f"paid more than {REFUND_WINDOW_DAYS} days ago")
    if problems:
        summary = (
            f"Refund request from {customer.name} ({customer.email}) for invoice {facts}: "
            f"{'; '.join(problems)}. Customer's words: “{_clip(reason, 300)}”"
        )
        return _refund_to_billing(ctx, customer, invoice["invoice_id"], summary, problems)
    if not customer.account_ids:
        summary = f"Duplicate-charge refund within policy for {customer.name} ({customer.email}): {facts}"
        return _refund_to_billing(ctx, customer, invoice["invoice_id"], summary, ["no CRM account to hold the case"])
    case_id = new_case(
        ctx,
        customer,
        subject=f"Refund: duplicate charge on {invoice['invoice_id']}",
        description=f"Duplicate charge reported on {facts}; within the agent's refund policy. "
        f"Refund in full to the original card once the duplicate payment is confirmed. Customer: “{reason.strip()}”",
        status="open",
        priority="high",
    )
    text = say(
        "refund_filed",
        ctx.language,
        invoice_id=invoice["invoice_id"],
        amount=money(amount),
        currency=invoice["currency"],
        case_id=case_id,
    )
    return {"filed": True, "case_id": case_id, "message": text}


def send_reset_link(ctx: ActionContext) -> dict[str, Any]:
    """Send the verified customer a signed, expiring link to reset their access (password, sign-in) to the email
    address on file. The link is never shown in the conversation."""
    customer = _current(ctx, None)
    if not isinstance(customer, Customer):
        return customer
    settings = data(ctx).settings
    subject = (customer.contact_ids or customer.billing_ids)[0]
    expires = reset_expiry(ctx.now, RESET_LINK_MINUTES)
    token = sign_reset_token(
        signing_key(settings.resolved_home), email=customer.email, subject=subject, expires=expires
    )
    try:
        link = RESET_URL.format(token=token)
        mail_reset_link(settings, to=customer.email, name=customer.name, link=link, minutes=RESET_LINK_MINUTES)
    except ResetLinkError as exc:
        raise NeedsPerson(f"{exc.one_line()}; a person sends {customer.name} the link instead") from exc
    message = say("reset_sent", ctx.language, minutes=RESET_LINK_MINUTES)
    return {"sent": True, "expires_at": expires.isoformat(), "message": message}


def register(registry: ActionRegistry) -> None:
    """The Service agent's actions, all read and written for the `support` purpose."""
    # open_case, add_to_case, request_refund and send_reset_link write to the CRM, file a refund or send mail:
    # the offline engine runs them only when clearly asked.
    effects = {open_case, add_to_case, request_refund, send_reset_link}
    for function in (
        verify_customer,
        find_invoice,
        order_status,
        subscription_status,
        open_case,
        add_to_case,
        request_refund,
        send_reset_link,
    ):
        registry.add(build_action(function, purpose=PURPOSE, effects=function in effects))


def _refund_to_billing(
    ctx: ActionContext, customer: Customer, invoice_id: str, summary: str, problems: list[str]
) -> dict[str, Any]:
    """The billing team decides: an escalated case in the CRM and the conversation in their queue, summarised;
    the agent keeps helping the customer meanwhile."""
    case_id = None
    if customer.account_ids:
        case_id = new_case(
            ctx,
            customer,
            subject=f"Refund approval: {invoice_id}",
            description=summary,
            status="escalated",
            priority="high",
        )
    ctx.refer(BILLING_QUEUE, reason="refund_approval", summary=summary)
    return {
        "filed": False,
        "referred": BILLING_QUEUE,
        "case_id": case_id,
        "why": problems,
        "message": say("refund_to_billing", ctx.language),
    }


# ------------------------------------------------------------------ verification


def verified_customer(ctx: ActionContext) -> Customer | None:
    state = ctx.state.get("customer")
    return Customer.from_state(state) if state else None


def _current(
    ctx: ActionContext,
    email: str | None,
    *,
    invoice_number: str | None = None,
    order_number: str | None = None,
    case_number: str | None = None,
) -> Customer | dict[str, Any]:
    """The verified customer, verifying on the way when the customer gave their email with this action's own
    number; otherwise the question to ask before anything personal is said."""
    customer = verified_customer(ctx)
    if customer is not None and (email is None or email.lower() == customer.email):
        return customer
    numbers = {"invoice_number": invoice_number, "order_number": order_number, "case_number": case_number}
    if email is None:
        # The number asked about may be the second fact once the customer gives their email.
        ctx.state["offered"] = {k: v for k, v in numbers.items() if v}
        return {"verified": False, "message": say("need_identity", ctx.language)}
    outcome = _verify(ctx, email, **numbers)
    customer = verified_customer(ctx)
    return customer if customer is not None else outcome


def _verify(ctx: ActionContext, email: str, **offered: str | None) -> dict[str, Any]:
    email = email.strip().lower()
    if not any(offered.values()):
        offered = ctx.state.get("offered", {})
    records = records_of(ctx, email)
    resolution = resolve_customer(email, records, facts_for(ctx, records, **offered))
    attempts: dict[str, Any] = ctx.state.setdefault("verification", {"failures": 0})
    if resolution.outcome == "need_fact":
        return {"verified": False, "message": say("need_second_fact", ctx.language)}
    if resolution.outcome == "ambiguous":
        ctx.state.pop("customer", None)
        raise NeedsPerson(
            f"the second fact must point at one customer, but {email} is on records of several companies "
            "and it fits more than one: a person verifies the customer"
        )
    if resolution.customer is None:
        ctx.state.pop("customer", None)
        attempts["failures"] += 1
        if attempts["failures"] >= MAX_VERIFICATION_FAILURES:
            raise NeedsPerson(
                f"identity must be verified within {MAX_VERIFICATION_FAILURES} attempts, got {attempts['failures']} "
                "failed ones: a person verifies the customer"
            )
        return {"verified": False, "message": say("not_verified", ctx.language)}
    attempts["failures"] = 0
    ctx.state.pop("offered", None)
    ctx.state["customer"] = resolution.customer.to_state()
    return {"verified": True, "message": say("verified", ctx.language, name=resolution.customer.name)}


# ------------------------------------------------------------------ reads


def _own_invoice(ctx: ActionContext, customer: Customer, invoice_id: str) -> dict[str, Any] | None:
    if not customer.billing_ids:
        return None
    # The customer's ids are part of the query: another customer's invoice is never read, so it cannot leak and
    # its answer is the answer for a number that does not exist.
    rows = read(ctx, "Invoice", {"invoice_id": id_forms(invoice_id), "customer_id": list(customer.billing_ids)})
    return rows[0] if rows else None


def _subscriptions(ctx: ActionContext, customer: Customer, *, only: str | None) -> dict[str, Any]:
    where: dict[str, Any] = {"customer_id": list(customer.billing_ids)}
    if only is not None:
        where["subscription_id"] = id_forms(only)
    rows = read(ctx, "Subscription", where) if customer.billing_ids else []
    if not rows:
        if only is not None:
            return {"found": False, "message": say("order_not_found", ctx.language, order_id=only)}
        return {"found": False, "message": say("no_subscriptions", ctx.language)}
    names = product_names(ctx, [r["product_id"] for r in rows])
    lines = [say("subscriptions", ctx.language)]
    for row in sorted(rows, key=lambda r: str(r["subscription_id"])):
        lines.append(
            say(
                "subscription_line",
                ctx.language,
                subscription_id=row["subscription_id"],
                product=names.get(row["product_id"], row["product_id"]),
                plan=row["plan"],
                seats=row["seats"],
                status=status_word(row["status"], ctx.language),
                renews=day(row["renews_at"]),
            )
        )
    return {"found": True, "subscriptions": [_plain(r) for r in rows], "message": "\n".join(lines)}


def _latest_orders(ctx: ActionContext, customer: Customer) -> list[dict[str, Any]]:
    if not customer.billing_ids:
        return []
    rows = read(ctx, "Order", {"customer_id": list(customer.billing_ids)})
    latest = sorted(rows, key=lambda r: str(r["ordered_at"]), reverse=True)[:LATEST_ORDERS]
    names = product_names(ctx, [r["product_id"] for r in latest])
    return [
        {
            "row": row,
            "line": say(
                "order_line",
                ctx.language,
                order_id=row["order_id"],
                product=names.get(row["product_id"], row["product_id"]),
                status=status_word(row["status"], ctx.language),
                ordered=day(row["ordered_at"]),
            ),
        }
        for row in latest
    ]


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}


def _moment(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _subject(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    # "Please open a case: the export fails" — the problem is what follows the request.
    parts = COLON.split(first, maxsplit=1)
    if len(parts) == 2 and len(parts[1].strip()) >= MIN_SUBJECT_CHARS:
        first = parts[1]
    return _clip(first, SUBJECT_CHARS)


def _clip(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
