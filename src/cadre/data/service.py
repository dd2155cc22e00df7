"""The data layer's front door: sources, catalog, governance and audit behind one service."""

from __future__ import annotations

import threading
from functools import cached_property
from typing import Any

from cadre.data.audit import AuditEntry, AuditLog
from cadre.data.catalog import entity as catalog_entity
from cadre.data.catalog import load_catalog
from cadre.data.federation import Federation, QueryResult
from cadre.data.models import Catalog, Operation, Policy, PolicySet, Principal, SourceInfo
from cadre.data.policies import Grant, authorize, load_policies, resolve_principal
from cadre.data.reads import FilterValue, ReadResult, read_entity
from cadre.data.sources import SourceRegistry, redact_uri
from cadre.data.writes import Scalar, insert_row, update_row
from cadre.errors import CadreError, PolicyDenied
from cadre.settings import Settings
from cadre.store import Database

SYSTEM_PRINCIPAL = Principal(ref="system:cadre", roles=("system",))


class DataService:
    """Everything that reads company data goes through here, so every read is governed and audited."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
        self.sources = SourceRegistry(db, home=settings.resolved_home)
        self.audit = AuditLog(db)
        self._federation: Federation | None = None
        self._opening = threading.Lock()  # two first requests at once must not open two federations

    # ------------------------------------------------------------------ lazily loaded parts

    @cached_property
    def catalog(self) -> Catalog:
        return load_catalog(self.settings.catalog_file)

    @cached_property
    def policies(self) -> PolicySet:
        return load_policies(self.settings.policies_file)

    @property
    def federation(self) -> Federation:
        if self._federation is None:
            with self._opening:
                if self._federation is None:
                    self._federation = Federation.open(
                        self.sources.list(),
                        memory_limit=self.settings.duckdb_memory_limit,
                        threads=self.settings.duckdb_threads,
                        temp_directory=self.settings.resolved_home / "tmp",
                    )
        return self._federation

    def close(self) -> None:
        if self._federation is not None:
            self._federation.close()
            self._federation = None

    def source_status(self) -> list[dict[str, Any]]:
        """Each registered source with its tables, read from the source now; passwords in URIs redacted."""
        federation = self.federation
        listed: list[dict[str, Any]] = []
        for info in self.sources.list():
            error = federation.unavailable.get(info.name)
            listed.append(
                {
                    "name": info.name,
                    "kind": info.kind,
                    "uri": redact_uri(info.uri),
                    "status": "unavailable" if error else "ok",
                    "error": error.one_line() if error else None,
                    "tables": federation.tables.get(info.name, []),
                }
            )
        return listed

    def catalog_status(self, *, check: bool) -> dict[str, Any]:
        """The catalog's entities (where they live, their fields), its identities, and, when `check`ed against the
        sources now, the problems found (each entity lists its own)."""
        from cadre.data.catalog import check_catalog

        problems = check_catalog(self.catalog, self.federation) if check else []
        entities = [
            {
                "name": name,
                "source": m.source,
                "table": m.table,
                "key": m.key,
                "updated_at": m.updated_at,
                "description": m.description,
                "fields": {f: fm.column for f, fm in m.fields.items()},
                "problems": [p for p in problems if p.startswith(f"entity `{name}`")],
            }
            for name, m in self.catalog.entities.items()
        ]
        identities = {
            name: {
                "members": [m.entity for m in spec.members],
                "compare": dict(spec.compare),
                "threshold": spec.threshold,
            }
            for name, spec in self.catalog.identities.items()
        }
        return {"entities": entities, "identities": identities, "problems": problems}

    # ------------------------------------------------------------------ sources (writes, audited)

    def add_source(self, name: str, uri: str, *, replace: bool = False, principal: str = "role:admin") -> SourceInfo:
        """Register a source for every later query; the registration is audited as a write."""
        info = self.sources.add(name, uri, replace=replace)
        self.record_write(
            principal,
            entity="(source)",
            fields=["name", "uri"],
            rows=1,
            detail=f"{'re-pointed' if replace else 'added'} {name} -> {redact_uri(info.uri)}",
        )
        self.close()  # the next query attaches the new source
        return info

    def remove_source(self, name: str, *, principal: str = "role:admin") -> None:
        self.sources.remove(name)
        self.record_write(principal, entity="(source)", fields=["name"], rows=1, detail=f"removed {name}")
        self.close()

    def record_write(
        self, principal: str, *, entity: str, fields: list[str], rows: int, detail: str, purpose: str = "administration"
    ) -> None:
        self.audit.record(
            AuditEntry(
                principal=principal,
                purpose=purpose,
                operation="write",
                entity=entity,
                fields=fields,
                row_count=rows,
                decision="allowed",
                detail=detail,
            )
        )

    # ------------------------------------------------------------------ principals

    def principal(self, ref: str) -> Principal:
        return resolve_principal(ref, self.policies, self._lookup_user)

    def _lookup_user(self, key: str) -> dict[str, str] | None:
        directory = self.policies.principals.users
        assert directory is not None
        mapping = catalog_entity(self.catalog, directory.entity)
        wanted = [directory.key, directory.role_field, *directory.attributes]
        grant_fields = tuple(dict.fromkeys(f for f in wanted if f in mapping.fields))
        directory_grant = Grant(
            policy=Policy(name="principal-directory", principals=["*"], purposes=["*"], entity=directory.entity),
            fields=grant_fields,
        )
        result = read_entity(
            self.federation,
            entity_name=directory.entity,
            entity=mapping,
            grant=directory_grant,
            where={directory.key: key},
            fields=list(grant_fields),
            limit=1,
        )
        self._audit(
            SYSTEM_PRINCIPAL,
            "identify_principal",
            directory.entity,
            list(grant_fields),
            len(result.rows),
            "allowed",
            "principal-directory",
            None,
        )
        return {k: str(v) for k, v in result.rows[0].items() if v is not None} if result.rows else None

    # ------------------------------------------------------------------ reads

    def get(
        self,
        entity_name: str,
        *,
        principal: str | Principal,
        purpose: str,
        where: dict[str, FilterValue] | None = None,
        fields: list[str] | None = None,
        limit: int | None = 100,
    ) -> ReadResult:
        """A governed read of one entity; denials and failures are audited like successes."""
        who = principal if isinstance(principal, Principal) else self.principal(principal)
        mapping = catalog_entity(self.catalog, entity_name)
        where = dict(where or {})
        unknown = sorted(set(where) - set(mapping.fields))
        if unknown:
            raise CadreError(
                f"`{entity_name}` has no field(s) {unknown} to filter on (fields: {', '.join(mapping.fields)})"
            )
        requested = list(fields or [])
        try:
            grant = authorize(self.policies, who, purpose=purpose, entity_name=entity_name, entity=mapping)
            result = read_entity(
                self.federation,
                entity_name=entity_name,
                entity=mapping,
                grant=grant,
                where=where,
                fields=fields,
                limit=limit,
            )
        except PolicyDenied as exc:
            self._audit(who, purpose, entity_name, requested, 0, "denied", None, exc.one_line())
            raise
        except CadreError as exc:
            self._audit(who, purpose, entity_name, requested, 0, "failed", None, exc.one_line())
            raise
        detail = _describe_filters(where, grant.row_filter)
        self._audit(who, purpose, entity_name, result.fields, len(result.rows), "allowed", result.policy, detail)
        return result

    # ------------------------------------------------------------------ writes

    def insert(
        self, entity_name: str, values: dict[str, Scalar], *, principal: str | Principal, purpose: str
    ) -> dict[str, Scalar]:
        """Create one row in the entity's source, under a policy that allows `write`; audited either way."""
        return self._write("insert", entity_name, values, principal=principal, purpose=purpose, key=None)

    def update(
        self, entity_name: str, key: Scalar, values: dict[str, Scalar], *, principal: str | Principal, purpose: str
    ) -> dict[str, Scalar]:
        """Change fields of the row with this key, if the write policy's rows include it; audited either way."""
        return self._write("update", entity_name, values, principal=principal, purpose=purpose, key=key)

    def _write(
        self,
        kind: str,
        entity_name: str,
        values: dict[str, Scalar],
        *,
        principal: str | Principal,
        purpose: str,
        key: Scalar,
    ) -> dict[str, Scalar]:
        who = principal if isinstance(principal, Principal) else self.principal(principal)
        mapping = catalog_entity(self.catalog, entity_name)
        fields = sorted(values)
        row_key = values.get(mapping.key) if key is None else key
        detail = f"{kind} {mapping.key}={row_key}"
        try:
            grant = authorize(
                self.policies, who, purpose=purpose, entity_name=entity_name, entity=mapping, operation="write"
            )
            source = self.sources.get(mapping.source)
            if kind == "insert":
                written = insert_row(source, entity_name=entity_name, entity=mapping, grant=grant, values=values)
            else:
                written = update_row(
                    source, entity_name=entity_name, entity=mapping, grant=grant, key=key, values=values
                )
        except PolicyDenied as exc:
            self._audit(who, purpose, entity_name, fields, 0, "denied", None, f"{detail}: {exc.one_line()}", "write")
            raise
        except CadreError as exc:
            self._audit(who, purpose, entity_name, fields, 0, "failed", None, f"{detail}: {exc.one_line()}", "write")
            raise
        self._audit(who, purpose, entity_name, sorted(written), 1, "allowed", grant.policy.name, detail, "write")
        return written

    def _audit(
        self,
        who: Principal,
        purpose: str,
        entity: str,
        fields: list[str],
        rows: int,
        decision: Any,
        policy: str | None,
        detail: str | None,
        operation: Operation = "read",
    ) -> None:
        self.audit.record(
            AuditEntry(
                principal=who.ref,
                purpose=purpose,
                operation=operation,
                entity=entity,
                fields=fields,
                row_count=rows,
                decision=decision,
                policy=policy,
                detail=detail,
            )
        )

    def query(self, sql: str, *, principal: str = "role:admin", purpose: str = "analysis") -> QueryResult:
        """Raw SQL for operators (never for models): allowed to administrators only, and audited."""
        who = self.principal(principal)
        if "admin" not in who.roles:
            self._audit_sql(who, purpose, sql, "denied")
            raise PolicyDenied(
                f"raw SQL is for administrators; {principal} (roles: {', '.join(who.roles)}) "
                "must use typed reads (`cadre data get`)"
            )
        try:
            result = self.federation.query(sql)
        except CadreError as exc:
            self._audit_sql(who, purpose, sql, "failed", 0, exc.one_line())
            raise
        # Rows stream, so the entry is written once the reader has them all (or stops early).
        result.on_finish = lambda count: self._audit_sql(who, purpose, sql, "allowed", count, None)
        return result

    def _audit_sql(
        self, who: Principal, purpose: str, sql: str, decision: Any, rows: int = 0, error: str | None = None
    ) -> None:
        detail = sql[:2000] if error is None else f"{sql[:2000]} -- {error}"
        self.audit.record(
            AuditEntry(
                principal=who.ref,
                purpose=purpose,
                operation="query",
                entity="(sql)",
                fields=[],
                row_count=rows,
                decision=decision,
                detail=detail,
            )
        )


def _describe_filters(where: dict[str, FilterValue], row_filter: dict[str, str]) -> str | None:
    parts = [f"{k}={v!r}" for k, v in where.items()]
    parts += [f"row filter {k}={v!r}" for k, v in row_filter.items()]
    return "; ".join(parts) or None
