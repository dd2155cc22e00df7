"""The retail domain's tools as Cadre actions: reads and writes go through the governed data layer."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import Field

from cadre.agents.actions import ActionContext, ActionRegistry
from cadre.benchmarks.tau_retail import _records as records
from cadre.benchmarks.tau_retail.dataset import ADDRESS_COLUMNS
from cadre.errors import CadreError, NotFound

RETAIL_ACTIONS = ActionRegistry()
action = RETAIL_ACTIONS.action

OrderId = Annotated[str, Field(description="The order's id, with its leading '#', such as '#W0000000'.")]
UserId = Annotated[str, Field(description="The user's id, such as 'jane_doe_1234'.")]
ItemIds = Annotated[list[str], Field(description="Item ids of the order; an id appears once per unit.")]
NewItemIds = Annotated[
    list[str], Field(description="For each item id, in the same order, the item id of the variant it becomes.")
]
PaymentMethodId = Annotated[
    str, Field(description="One of the user's payment method ids, such as 'gift_card_0000000'.")
]


# ---------------------------------------------------------------------------------------------- reads


@action()
def find_user_id_by_email(ctx: ActionContext, email: str) -> str:
    """Find a user's id by their email address. Use it to authenticate the user."""
    rows = records.find(ctx, "User", {"email": email})
    if not rows:
        raise NotFound(f"email must belong to a user, got {email!r}")
    return str(rows[0]["user_id"])


@action()
def find_user_id_by_name_zip(ctx: ActionContext, first_name: str, last_name: str, zip: str) -> str:
    """Find a user's id by first name, last name and zip code, when they cannot give their email."""
    for row in records.find(ctx, "User", {"zip": zip}):
        # People type their names in any case; the zip already narrows the search to a handful of users.
        if (row["first_name"].lower(), row["last_name"].lower()) == (first_name.lower(), last_name.lower()):
            return str(row["user_id"])
    raise NotFound(f"first name, last name and zip must match a user, got {first_name} {last_name}, {zip}")


@action()
def get_user_details(ctx: ActionContext, user_id: UserId) -> dict[str, Any]:
    """The user's profile: name, email, default address, payment methods (gift card balances) and order ids."""
    return _user_view(ctx, user_id)


def _user_view(ctx: ActionContext, user_id: str) -> dict[str, Any]:
    user = records.one(ctx, "User", "user_id", user_id)
    return {
        "user_id": user["user_id"],
        "name": {"first_name": user["first_name"], "last_name": user["last_name"]},
        "email": user["email"],
        "address": records.address_of(user),
        "payment_methods": user["payment_methods"],
        "orders": user["orders"],
    }


@action()
def get_order_details(ctx: ActionContext, order_id: OrderId) -> dict[str, Any]:
    """The order's status, items (with prices and options), address, fulfillments and payment history."""
    return _order_view(ctx, order_id)


def _order_view(ctx: ActionContext, order_id: str) -> dict[str, Any]:
    order = records.one(ctx, "Order", "order_id", order_id)
    details = {k: v for k, v in order.items() if k not in ADDRESS_COLUMNS and v is not None}
    return {**details, "address": records.address_of(order)}


@action()
def get_product_details(ctx: ActionContext, product_id: Annotated[str, Field(description="A product id.")]) -> Any:
    """A product type's name and all its variant items (options, availability, price). Not an item id."""
    return records.one(ctx, "Product", "product_id", product_id)


@action()
def list_all_product_types(ctx: ActionContext) -> dict[str, str]:
    """Every product type's name and product id."""
    rows = records.find(ctx, "Product", {})
    return {str(row["name"]): str(row["product_id"]) for row in sorted(rows, key=lambda r: str(r["name"]))}


# ---------------------------------------------------------------------------------------------- pending orders


@action(effects=True)
def cancel_pending_order(
    ctx: ActionContext, order_id: OrderId, reason: Literal["no longer needed", "ordered by mistake"]
) -> dict[str, Any]:
    """Cancel a pending order after the user confirms it and the reason. Payments are refunded to their methods;
    gift cards at once."""
    order = records.one(ctx, "Order", "order_id", order_id)
    records.require_status(order, "pending")
    user = records.one(ctx, "User", "user_id", order["user_id"])
    history = list(order["payment_history"])
    methods = user["payment_methods"]
    for payment in [p for p in history if p["transaction_type"] == "payment"]:
        history.append({**payment, "transaction_type": "refund"})
        method = methods.get(payment["payment_method_id"])
        if method is not None and method.get("source") == "gift_card":
            records.add_to_balance(method, float(payment["amount"]))
    records.update(ctx, "Order", order_id, {"status": "cancelled", "cancel_reason": reason, "payment_history": history})
    records.update(ctx, "User", user["user_id"], {"payment_methods": methods})
    return _order_view(ctx, order_id)


@action(effects=True)
def modify_pending_order_address(
    ctx: ActionContext,
    order_id: OrderId,
    address1: str,
    address2: str,
    city: str,
    state: str,
    country: str,
    zip: str,
) -> dict[str, Any]:
    """Change a pending order's shipping address after the user confirms it."""
    order = records.one(ctx, "Order", "order_id", order_id)
    records.require_status(order, "pending")
    address = {"address1": address1, "address2": address2, "city": city, "state": state, "country": country}
    records.update(ctx, "Order", order_id, {**address, "zip": zip})
    return _order_view(ctx, order_id)


@action(effects=True)
def modify_pending_order_items(
    ctx: ActionContext,
    order_id: OrderId,
    item_ids: ItemIds,
    new_item_ids: NewItemIds,
    payment_method_id: PaymentMethodId,
) -> dict[str, Any]:
    """Change items of a pending order to other available variants of the same products, once per order; the price
    difference is charged to or refunded on the payment method."""
    order = records.one(ctx, "Order", "order_id", order_id)
    records.require_status(order, "pending")
    difference = records.swap_variants(ctx, order, item_ids, new_item_ids)
    user = records.one(ctx, "User", "user_id", order["user_id"])
    method = records.payment_method(user, payment_method_id)
    records.require_balance(method, difference)
    # As τ-bench's tool: the settlement is recorded even when the new items cost the same (a refund of 0.0).
    kind = "payment" if difference > 0 else "refund"
    history = [
        *order["payment_history"],
        {"transaction_type": kind, "amount": abs(difference), "payment_method_id": payment_method_id},
    ]
    if difference and method.get("source") == "gift_card":
        records.add_to_balance(method, -difference)
        records.update(ctx, "User", user["user_id"], {"payment_methods": user["payment_methods"]})
    items = records.replace_items(ctx, order, item_ids, new_item_ids)
    records.update(
        ctx, "Order", order_id, {"items": items, "payment_history": history, "status": "pending (item modified)"}
    )
    return _order_view(ctx, order_id)


@action(effects=True)
def modify_pending_order_payment(
    ctx: ActionContext, order_id: OrderId, payment_method_id: PaymentMethodId
) -> dict[str, Any]:
    """Pay a pending order with another of the user's payment methods; the original payment is refunded."""
    order = records.one(ctx, "Order", "order_id", order_id)
    records.require_status(order, "pending")
    history = list(order["payment_history"])
    if len(history) != 1 or history[0]["transaction_type"] != "payment":
        raise CadreError(f"order {order_id} must have exactly one payment to change it, got {len(history)} entries")
    paid = history[0]
    if paid["payment_method_id"] == payment_method_id:
        raise CadreError(f"payment_method_id must differ from the order's current one, got {payment_method_id!r}")
    user = records.one(ctx, "User", "user_id", order["user_id"])
    method = records.payment_method(user, payment_method_id)
    amount = float(paid["amount"])
    records.require_balance(method, amount)
    history += [
        {"transaction_type": "payment", "amount": paid["amount"], "payment_method_id": payment_method_id},
        {"transaction_type": "refund", "amount": paid["amount"], "payment_method_id": paid["payment_method_id"]},
    ]
    if method.get("source") == "gift_card":
        records.add_to_balance(method, -amount)
    old = user["payment_methods"].get(paid["payment_method_id"])
    if old is not None and old.get("source") == "gift_card":
        records.add_to_balance(old, amount)
    records.update(ctx, "User", user["user_id"], {"payment_methods": user["payment_methods"]})
    records.update(ctx, "Order", order_id, {"payment_history": history})
    return _order_view(ctx, order_id)


@action(effects=True)
def modify_user_address(
    ctx: ActionContext,
    user_id: UserId,
    address1: str,
    address2: str,
    city: str,
    state: str,
    country: str,
    zip: str,
) -> dict[str, Any]:
    """Change the user's default address after they confirm it."""
    records.one(ctx, "User", "user_id", user_id)
    address = {"address1": address1, "address2": address2, "city": city, "state": state, "country": country}
    records.update(ctx, "User", user_id, {**address, "zip": zip})
    return _user_view(ctx, user_id)


# ---------------------------------------------------------------------------------------------- delivered orders


@action(effects=True)
def return_delivered_order_items(
    ctx: ActionContext, order_id: OrderId, item_ids: ItemIds, payment_method_id: PaymentMethodId
) -> dict[str, Any]:
    """Request the return of items of a delivered order; the refund goes to the original payment method or a gift
    card of the user."""
    order = records.one(ctx, "Order", "order_id", order_id)
    records.require_status(order, "delivered")
    user = records.one(ctx, "User", "user_id", order["user_id"])
    method = records.payment_method(user, payment_method_id)
    original = order["payment_history"][0]["payment_method_id"] if order["payment_history"] else None
    if method.get("source") != "gift_card" and payment_method_id != original:
        raise CadreError(
            f"a refund must go to the original payment method ({original}) or a gift card, got {payment_method_id!r}"
        )
    records.require_items(order, item_ids)
    values = {
        "status": "return requested",
        "return_items": sorted(item_ids),
        "return_payment_method_id": payment_method_id,
    }
    records.update(ctx, "Order", order_id, values)
    return _order_view(ctx, order_id)


@action(effects=True)
def exchange_delivered_order_items(
    ctx: ActionContext,
    order_id: OrderId,
    item_ids: ItemIds,
    new_item_ids: NewItemIds,
    payment_method_id: PaymentMethodId,
) -> dict[str, Any]:
    """Request the exchange of items of a delivered order for other available variants of the same products, once
    per order; the price difference is settled on the payment method."""
    order = records.one(ctx, "Order", "order_id", order_id)
    records.require_status(order, "delivered")
    difference = records.swap_variants(ctx, order, item_ids, new_item_ids)
    user = records.one(ctx, "User", "user_id", order["user_id"])
    records.require_balance(records.payment_method(user, payment_method_id), difference)
    values = {
        "status": "exchange requested",
        "exchange_items": sorted(item_ids),
        "exchange_new_items": sorted(new_item_ids),
        "exchange_payment_method_id": payment_method_id,
        "exchange_price_difference": difference,
    }
    records.update(ctx, "Order", order_id, values)
    return _order_view(ctx, order_id)


# ---------------------------------------------------------------------------------------------- helpers

_OPERATORS: dict[type, Callable[..., float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def _evaluate(node: ast.AST) -> float:
    # Arithmetic only: numbers, + - * / and parentheses; anything else is refused rather than run.
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.operand))
    raise CadreError("expression must use only numbers, + - * / and parentheses")


@action()
def calculate(ctx: ActionContext, expression: Annotated[str, Field(description="Such as '(19.99 + 5) * 2'.")]) -> float:
    """Work out an arithmetic expression; the answer is rounded to cents."""
    try:
        tree = ast.parse(expression, mode="eval")
        return round(_evaluate(tree.body), 2)
    except (SyntaxError, ZeroDivisionError) as exc:
        raise CadreError(f"expression must be valid arithmetic, got {expression!r}: {exc}") from exc


@action()
def transfer_to_human_agents(ctx: ActionContext, summary: str) -> str:
    """Hand the user to a human agent, with a summary of their issue, when their request is outside these tools."""
    return "Transfer successful"


@action()
def think(ctx: ActionContext, thought: str) -> str:
    """Think through a complex step without changing anything; the thought is kept in the log only."""
    return ""
