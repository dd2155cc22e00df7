"""Validate agent spec files and keep deployed versions: immutable, numbered, comparable."""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from cadre.agents.actions import ActionRegistry
from cadre.agents.models import AgentSpec
from cadre.agents.store import AgentVersionRow
from cadre.errors import CadreError
from cadre.store import Database
from cadre.yamlfile import YamlProblem, load_model, parse_model


class SpecInvalid(YamlProblem):
    """An agent spec does not parse, does not fit the schema, or names actions that are not registered."""


class UnknownAgent(CadreError):
    """No deployed agent (or version) has that name."""


@dataclass(frozen=True)
class DeployedAgent:
    spec: AgentSpec
    version: int
    digest: str
    source: str
    deployed_by: str
    created_at: datetime


@dataclass(frozen=True)
class Deployment:
    agent: str
    version: int
    created: bool  # False: the same spec was already the latest version


def validate_text(text: str, actions: ActionRegistry, *, origin: str = "<text>") -> AgentSpec:
    return parse_model(
        text, AgentSpec, what="agent spec", origin=origin, error=SpecInvalid, context={"actions": set(actions.names())}
    )


def validate_file(path: Path, actions: ActionRegistry) -> AgentSpec:
    return load_model(path, AgentSpec, what="agent spec", error=SpecInvalid, context={"actions": set(actions.names())})


def _digest(spec: AgentSpec) -> str:
    canonical = json.dumps(spec.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class AgentVersions:
    """Deployed agent versions in the system of record."""

    def __init__(self, db: Database, actions: ActionRegistry) -> None:
        self._db = db
        self._actions = actions

    def deploy(self, path: Path, *, deployed_by: str = "role:admin") -> Deployment:
        """Store `path` as the agent's next version, unless it equals the latest one."""
        spec = validate_file(path, self._actions)
        source = path.read_text(encoding="utf-8")
        digest = _digest(spec)
        with self._db.session() as session:
            latest = session.scalars(
                select(AgentVersionRow)
                .where(AgentVersionRow.agent == spec.name)
                .order_by(AgentVersionRow.version.desc())
                .limit(1)
            ).first()
            if latest is not None and latest.digest == digest:
                return Deployment(spec.name, latest.version, created=False)
            version = (latest.version if latest else 0) + 1
            session.add(
                AgentVersionRow(
                    agent=spec.name,
                    version=version,
                    spec=spec.model_dump(mode="json"),
                    source=source,
                    digest=digest,
                    deployed_by=deployed_by,
                    created_at=datetime.now(UTC),
                )
            )
        return Deployment(spec.name, version, created=True)

    def get(self, name: str, version: int | None = None) -> DeployedAgent:
        query = select(AgentVersionRow).where(AgentVersionRow.agent == name)
        query = query.where(AgentVersionRow.version == version) if version else query
        with self._db.session() as session:
            row = session.scalars(query.order_by(AgentVersionRow.version.desc()).limit(1)).first()
        if row is None:
            known = ", ".join(a["name"] for a in self.list()) or "none deployed"
            what = f"agent {name!r} version {version}" if version else f"agent {name!r}"
            raise UnknownAgent(f"{what} is not deployed (agents: {known})", hint="deploy it with `cadre agents deploy`")
        return DeployedAgent(
            spec=AgentSpec.model_validate(row.spec),
            version=row.version,
            digest=row.digest,
            source=row.source,
            deployed_by=row.deployed_by,
            created_at=row.created_at,
        )

    def list(self) -> list[dict[str, Any]]:
        with self._db.session() as session:
            latest = (
                select(AgentVersionRow.agent, func.max(AgentVersionRow.version).label("version"))
                .group_by(AgentVersionRow.agent)
                .subquery()
            )
            rows = session.scalars(
                select(AgentVersionRow)
                .join(
                    latest,
                    (AgentVersionRow.agent == latest.c.agent) & (AgentVersionRow.version == latest.c.version),
                )
                .order_by(AgentVersionRow.agent)
            ).all()
        return [
            {
                "name": row.agent,
                "version": row.version,
                "description": row.spec["description"],
                "engine": row.spec["engine"],
                "languages": row.spec["languages"],
                "channels": row.spec["channels"],
                "topics": [t["name"] for t in row.spec["topics"]],
                "deployed_at": row.created_at.isoformat(),
            }
            for row in rows
        ]

    def diff(self, name: str, a: int, b: int) -> dict[str, Any]:
        """What changed from version `a` to `b`: the YAML as a unified diff, and the spec fields that differ."""
        first, second = self.get(name, a), self.get(name, b)
        lines = difflib.unified_diff(
            first.source.splitlines(keepends=True),
            second.source.splitlines(keepends=True),
            fromfile=f"{name}@{a}",
            tofile=f"{name}@{b}",
        )
        return {
            "agent": name,
            "from": a,
            "to": b,
            "changed": _changed_paths(first.spec.model_dump(mode="json"), second.spec.model_dump(mode="json")),
            "diff": "".join(lines),
        }


def _changed_paths(a: Any, b: Any, path: str = "") -> list[str]:
    """Dotted paths of the spec whose values differ; topics are matched by name, not position."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in sorted(set(a) | set(b)):
            out += _changed_paths(a.get(key), b.get(key), f"{path}.{key}" if path else key)
        return out
    if path == "topics" and isinstance(a, list) and isinstance(b, list):
        before, after = {t["name"]: t for t in a}, {t["name"]: t for t in b}
        out = []
        for topic in sorted(set(before) | set(after)):
            out += _changed_paths(before.get(topic), after.get(topic), f"topics.{topic}")
        return out
    return [] if a == b else [path]
