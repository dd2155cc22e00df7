"""Reading and writing retail rows through the governed data layer, JSON columns decoded and encoded."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from cadre.agents.actions import ActionContext
from cadre.benchmarks.tau_retail.dataset import ADDRESS_COLUMNS, JSON_COLUMNS
from cadre.data.service import DataService
from cadre.errors import CadreError, NotFound


def _data(ctx: ActionContext) -> DataService:
    service: DataService = ctx.service("data")
    return service


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    return {k: json.loads(v) if k in JSON_COLUMNS and isinstance(v, str) else v for k, v in row.items()}


def _agent(ctx: ActionContext) -> str:
    # The agent reads and writes under its own principal: the turn's principal is the customer, whom the agent
    # has yet to authenticate through these very tools.
    return f"agent:{ctx.agent}"


def find(ctx: ActionContext, entity: str, where: dict[str, str]) -> list[dict[str, Any]]:
    rows = _data(ctx).get(entity, principal=_agent(ctx), purpose=ctx.purpose, where=dict(where), limit=None).rows
    return [_decode(row) for row in rows]


def one(ctx: ActionContext, entity: str, key_field: str, key: str) -> dict[str, Any]:
    rows = find(ctx, entity, {key_field: key})
    if not rows:
        raise NotFound(f"{key_field} must name an existing {entity.lower()}, got {key!r}")
    return rows[0]


def update(ctx: ActionContext, entity: str, key: str, values: dict[str, Any]) -> None:
    encoded = {
        k: json.dumps(v, sort_keys=True) if k in JSON_COLUMNS and v is not None else v for k, v in values.items()
    }
    _data(ctx).update(entity, key, encoded, principal=_agent(ctx), purpose=ctx.purpose)


def address_of(row: dict[str, Any]) -> dict[str, Any]:
    return {c: row.get(c) for c in ADDRESS_COLUMNS}


def require_status(order: dict[str, Any], wanted: str) -> None:
    if order["status"] != wanted:
        raise CadreError(f"order {order['order_id']} must be {wanted!r} for this action, got {order['status']!r}")


def require_items(order: dict[str, Any], item_ids: list[str]) -> None:
    """Each id must be among the order's items, as many times as it is named."""
    held = Counter(item["item_id"] for item in order["items"])
    short = [i for i, n in Counter(item_ids).items() if held[i] < n]
    if short:
        raise CadreError(f"item_ids must be items of order {order['order_id']}, got {short} that it does not hold")


def payment_method(user: dict[str, Any], payment_method_id: str) -> dict[str, Any]:
    methods: dict[str, dict[str, Any]] = user["payment_methods"]
    if payment_method_id not in methods:
        raise CadreError(
            f"payment_method_id must be one of user {user['user_id']}'s ({', '.join(methods)}), "
            f"got {payment_method_id!r}"
        )
    return methods[payment_method_id]


def require_balance(method: dict[str, Any], amount: float) -> None:
    if method.get("source") == "gift_card" and float(method.get("balance", 0)) < amount:
        raise CadreError(
            f"gift card {method.get('id')} must hold at least {amount:.2f} for this, got {method.get('balance')}"
        )


def add_to_balance(method: dict[str, Any], amount: float) -> None:
    method["balance"] = round(float(method.get("balance", 0)) + amount, 2)


def swap_variants(ctx: ActionContext, order: dict[str, Any], item_ids: list[str], new_item_ids: list[str]) -> float:
    """Validate old -> new item pairs (same product, available); the price difference."""
    if len(item_ids) != len(new_item_ids):
        raise CadreError(
            f"new_item_ids must pair one to one with item_ids, got {len(new_item_ids)} for {len(item_ids)}"
        )
    require_items(order, item_ids)
    difference = 0.0
    for old_id, new_id in zip(item_ids, new_item_ids, strict=True):
        item = next(i for i in order["items"] if i["item_id"] == old_id)
        product = one(ctx, "Product", "product_id", item["product_id"])
        variant = product["variants"].get(new_id)
        if variant is None:
            raise CadreError(f"new item {new_id!r} must be a variant of product {product['name']}, and it is not")
        if not variant.get("available", False):
            raise CadreError(f"new item {new_id!r} must be available, and it is not")
        difference += float(variant["price"]) - float(item["price"])
    return round(difference, 2)


def replace_items(
    ctx: ActionContext, order: dict[str, Any], item_ids: list[str], new_item_ids: list[str]
) -> list[dict[str, Any]]:
    """The order's items with each old item replaced by its new variant (price and options included)."""
    items = [dict(i) for i in order["items"]]
    for old_id, new_id in zip(item_ids, new_item_ids, strict=True):
        # The first not-yet-replaced item with this id: the same id may appear twice in one order.
        index = next(n for n, i in enumerate(items) if i["item_id"] == old_id and not i.get("_replaced"))
        variant = one(ctx, "Product", "product_id", items[index]["product_id"])["variants"][new_id]
        items[index] = {
            **items[index],
            "item_id": new_id,
            "price": variant["price"],
            "options": variant["options"],
            "_replaced": True,
        }
    for item in items:
        item.pop("_replaced", None)
    return items
