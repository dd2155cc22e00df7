"""A work folder holding the benchmark's own copy of the retail database, registered as a governed source."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Any

import yaml

from cadre.agents.actions import ActionContext
from cadre.benchmarks.tau_retail.dataset import TABLES, build_database, snapshot
from cadre.data.file_locks import writing
from cadre.data.service import DataService
from cadre.settings import Settings
from cadre.store import open_database
from cadre.store.database import Database

SOURCE = "retail"
AGENT = "agent:retail-agent"
PURPOSE = "retail-support"
ENTITIES = {"User": ("users", "user_id"), "Order": ("orders", "order_id"), "Product": ("products", "product_id")}
# The agent changes orders (status, items, payments, addresses) and users (address, gift card balances); never products.
WRITABLE = {
    "Order": [c for c in TABLES["orders"] if c not in ("order_id", "user_id")],
    "User": ["address1", "address2", "city", "state", "country", "zip", "payment_methods"],
}


def catalog_document() -> dict[str, Any]:
    return {
        "entities": {
            name: {
                "source": SOURCE,
                "table": table,
                "key": key,
                "description": f"retail benchmark {table}",
                "fields": {column: column for column in TABLES[table]},
            }
            for name, (table, key) in ENTITIES.items()
        }
    }


def policies_document() -> dict[str, Any]:
    reads = [
        {
            "name": f"agent-reads-{name.lower()}s",
            "principals": [AGENT],
            "purposes": [PURPOSE],
            "entity": name,
            "operations": ["read"],
        }
        for name in ENTITIES
    ]
    writes = [
        {
            "name": f"agent-writes-{name.lower()}s",
            "principals": [AGENT],
            "purposes": [PURPOSE],
            "entity": name,
            "operations": ["write"],
            "fields": fields,
        }
        for name, fields in WRITABLE.items()
    ]
    return {
        "roles": {"admin": "Operators of this Cadre installation", "agent": "The retail support agent"},
        "principals": {"agents": {"retail-agent": {"roles": ["agent"]}}},
        "policies": [*reads, *writes],
    }


class RetailWorkspace:
    """`folder/` gets `cadre.db`, `catalog.yaml`, `policies.yaml` and `sources/retail.db`, the benchmark's own copy
    of the database; `reset()` puts the pristine copy back before each task."""

    def __init__(self, folder: Path, data_dir: Path, settings: Settings, data: DataService, database: Database) -> None:
        self.folder = folder
        self.data_dir = data_dir  # the benchmark's files, read-only: the policy and the original JSON
        self.settings = settings
        self.data = data
        self.database = database  # the workspace's own system of record: the agent, its conversations, the audit
        self.live = folder / "sources" / "retail.db"
        self.pristine = folder / "sources" / "retail-pristine.db"

    @classmethod
    def create(cls, folder: Path, data_dir: Path) -> RetailWorkspace:
        folder = folder.resolve()
        folder.mkdir(parents=True, exist_ok=True)
        pristine = folder / "sources" / "retail-pristine.db"
        build_database(data_dir, pristine)
        (folder / "catalog.yaml").write_text(yaml.safe_dump(catalog_document(), sort_keys=False), encoding="utf-8")
        (folder / "policies.yaml").write_text(yaml.safe_dump(policies_document(), sort_keys=False), encoding="utf-8")
        settings = Settings(
            home=folder,
            database_url=None,
            catalog_path=folder / "catalog.yaml",
            policies_path=folder / "policies.yaml",
            # A model outage must fail the trial, not let the offline engine answer in the LLM agent's place.
            llm_on_failure="handoff",
        )
        database = open_database(settings)
        workspace = cls(folder, data_dir, settings, DataService(settings, database), database)
        workspace.reset()
        workspace.data.add_source(SOURCE, f"sqlite://{workspace.live}", replace=True)
        return workspace

    def reset(self) -> None:
        """Copy the pristine database over the live one, in place, and reattach it on the next read."""
        self.data.close()
        with writing(self.live):  # no read of the live file in this process may overlap the copy
            source = sqlite3.connect(self.pristine)
            target = sqlite3.connect(self.live)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()

    def context(self, conversation_id: str | None = None) -> ActionContext:
        return ActionContext(
            agent="retail-agent",
            conversation_id=conversation_id or uuid.uuid4().hex,
            principal=AGENT,
            purpose=PURPOSE,
            language="en",
            channel="benchmark",
            services={"data": self.data},
        )

    def snapshot(self) -> dict[str, dict[str, dict[str, Any]]]:
        return snapshot(self.live)

    def close(self) -> None:
        self.data.close()
        self.database.close()
