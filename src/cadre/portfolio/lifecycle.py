"""Gates on lifecycle stages: what an agent must show before it may be called a pilot or a hero, or be retired."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cadre.agents.rollout import Rollout
from cadre.agents.specs import AgentVersions, UnknownAgent
from cadre.portfolio.models import Stage, StageRefused
from cadre.store.base import aware


@dataclass(frozen=True)
class GateFacts:
    """What deployment and rollout say about an agent, as the gates read it."""

    version: int | None  # the latest deployed version; None: never deployed
    production: int | None  # the production version recorded by a rollout, if any
    promotion: dict[str, Any] | None  # the passing promotion that made `production` production, if any


def gate_facts(versions: AgentVersions, rollout: Rollout, name: str) -> GateFacts:
    try:
        version: int | None = versions.get(name).version
    except UnknownAgent:
        return GateFacts(None, None, None)
    history = rollout.history(name)
    plan = rollout.plan(name)
    production = plan.production if plan else None
    # A rollback to a version promoted earlier keeps that promotion: the version passed its gates once.
    promoted = [e for e in history if e.version == production and e.action == "promote"]
    if not promoted:
        return GateFacts(version, production, None)
    last = promoted[-1]
    return GateFacts(
        version, production, {"event": last.id, "version": production, "at": aware(last.at).isoformat(), "by": last.by}
    )


def check_stage(name: str, target: Stage, facts: GateFacts, *, why: str) -> dict[str, Any] | None:
    """The evidence the move to `target` rests on, or `StageRefused` naming the gate it fails."""
    if target == "proposed" and facts.version is not None:
        raise StageRefused(
            f"stage `proposed` is for use cases not built yet; {name!r} must not be deployed, got version "
            f"{facts.version}",
            hint="set `building`, or `retired` to stop it",
        )
    if target in ("pilot", "hero") and facts.version is None:
        raise StageRefused(
            f"stage `{target}` needs a deployed agent; {name!r} must be deployed first, got no version",
            hint="deploy it with `cadre agents deploy`",
        )
    if target == "hero":
        if facts.promotion is None:
            got = (
                f"production version {facts.production} was rolled out without gates"
                if facts.production
                else ("no production version recorded")
            )
            raise StageRefused(
                f"stage `hero` needs a production version that passed its promotion gates; {name!r} got {got}",
                hint=f"promote a version with `cadre agents promote {name} VERSION`",
            )
        return {"promotion": facts.promotion}
    if target == "retired" and not why.strip():
        raise StageRefused(f"retiring {name!r} must say why, got no reason", hint="pass `--why`")
    return {"version": facts.version} if facts.version is not None else None
