"""The retail benchmark's files: tasks in, and its JSON database written out as one SQLite file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from cadre.errors import CadreError

ADDRESS_COLUMNS = ("address1", "address2", "city", "state", "country", "zip")
# Nested values (lists, option maps, payment methods) are stored as JSON text: governed writes change scalars.
TABLES: dict[str, dict[str, str]] = {
    "users": {
        "user_id": "TEXT PRIMARY KEY",
        "first_name": "TEXT",
        "last_name": "TEXT",
        "email": "TEXT",
        **dict.fromkeys(ADDRESS_COLUMNS, "TEXT"),
        "payment_methods": "TEXT",
        "orders": "TEXT",
    },
    "orders": {
        "order_id": "TEXT PRIMARY KEY",
        "user_id": "TEXT",
        "status": "TEXT",
        **dict.fromkeys(ADDRESS_COLUMNS, "TEXT"),
        "items": "TEXT",
        "fulfillments": "TEXT",
        "payment_history": "TEXT",
        "cancel_reason": "TEXT",
        "return_items": "TEXT",
        "return_payment_method_id": "TEXT",
        "exchange_items": "TEXT",
        "exchange_new_items": "TEXT",
        "exchange_payment_method_id": "TEXT",
        "exchange_price_difference": "REAL",
    },
    "products": {"product_id": "TEXT PRIMARY KEY", "name": "TEXT", "variants": "TEXT"},
}
JSON_COLUMNS = frozenset(
    {
        "payment_methods",
        "orders",
        "items",
        "fulfillments",
        "payment_history",
        "return_items",
        "exchange_items",
        "exchange_new_items",
        "variants",
    }
)


class TaskAction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    kwargs: dict[str, Any]


class RetailTask(BaseModel):
    """One task: who the simulated user is, what they want, and the gold actions and outputs."""

    model_config = ConfigDict(extra="ignore")

    annotator: str | int | None = None
    user_id: str
    instruction: str
    actions: list[TaskAction]
    outputs: list[str] = []


def load_tasks(path: Path) -> list[RetailTask]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CadreError(f"tasks file must be readable JSON, got {str(path)!r}: {exc}") from exc
    if not isinstance(raw, list):
        raise CadreError(f"tasks file must hold a JSON list of tasks, got {type(raw).__name__} in {str(path)!r}")
    try:
        return [RetailTask.model_validate(item) for item in raw]
    except ValidationError as exc:
        raise CadreError(f"tasks in {str(path)!r} must have user_id, instruction and actions: {exc}") from exc


def _read_json(data_dir: Path, name: str) -> dict[str, Any]:
    path = data_dir / name
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CadreError(f"the retail data folder must hold {name} as JSON, got {str(path)!r}: {exc}") from exc
    if not isinstance(loaded, dict):
        raise CadreError(f"{name} must be a JSON object keyed by id, got {type(loaded).__name__}")
    return loaded


def _rows(data_dir: Path) -> dict[str, list[dict[str, Any]]]:
    users = [
        {
            "user_id": user_id,
            "first_name": user["name"]["first_name"],
            "last_name": user["name"]["last_name"],
            "email": user["email"],
            **{c: user["address"].get(c) for c in ADDRESS_COLUMNS},
            "payment_methods": user["payment_methods"],
            "orders": user.get("orders", []),
        }
        for user_id, user in _read_json(data_dir, "users.json").items()
    ]
    orders = [
        {
            "order_id": order_id,
            "user_id": order["user_id"],
            "status": order["status"],
            **{c: order["address"].get(c) for c in ADDRESS_COLUMNS},
            "items": order["items"],
            "fulfillments": order.get("fulfillments", []),
            "payment_history": order.get("payment_history", []),
        }
        for order_id, order in _read_json(data_dir, "orders.json").items()
    ]
    products = [
        {"product_id": product_id, "name": product["name"], "variants": product["variants"]}
        for product_id, product in _read_json(data_dir, "products.json").items()
    ]
    return {"users": users, "orders": orders, "products": products}


def build_database(data_dir: Path, target: Path) -> dict[str, int]:
    """Write users.json, orders.json and products.json of `data_dir` into a new SQLite file; rows per table."""
    try:
        rows = _rows(data_dir)
    except (KeyError, TypeError, AttributeError) as exc:
        raise CadreError(f"the retail JSON in {str(data_dir)!r} must follow the retail schema: missing {exc}") from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    connection = sqlite3.connect(target)
    try:
        for table, columns in TABLES.items():
            connection.execute(f"CREATE TABLE {table} ({', '.join(f'{c} {t}' for c, t in columns.items())})")
            marks = ", ".join("?" for _ in columns)
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                [[_encode(c, row.get(c)) for c in columns] for row in rows[table]],
            )
        connection.commit()
    finally:
        connection.close()
    return {table: len(found) for table, found in rows.items()}


def _encode(column: str, value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if column in JSON_COLUMNS and value is not None else value


def snapshot(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Every table's rows by key, JSON columns decoded: what scoring compares between two runs."""
    connection = sqlite3.connect(path)
    try:
        tables: dict[str, dict[str, dict[str, Any]]] = {}
        for table, columns in TABLES.items():
            names = list(columns)
            cursor = connection.execute(f"SELECT {', '.join(names)} FROM {table}")
            tables[table] = {
                row[0]: {
                    c: json.loads(v) if c in JSON_COLUMNS and v is not None else v
                    for c, v in zip(names, row, strict=True)
                }
                for row in cursor
            }
        return tables
    finally:
        connection.close()
