"""Cadre's own background jobs: the periodic passes and the on-demand work the console and API hand off.

Each is safe to deliver twice. Periodic passes are `exclusive` (never two at once) and decide from the store
what is still to do: the quiet sweep skips conversations that already have an ending, the alert pass updates
open incidents rather than opening new ones, the SDR pass sends each touch once per message key, the pack replaces
whole days, the knowledge scan scores only chunks no detector of its version scored. Ingestion skips documents
whose content hash is unchanged; a promotion that already made the version production does nothing; an
evaluation run is stored only when it completes, so an interrupted one leaves nothing to double, and one enqueued
with its run id is not run again once stored; a simulated day that finished is remembered and not simulated
again."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from cadre.errors import ConfigError, NotFound, UnknownPrincipal
from cadre.jobs.registry import job
from cadre.jobs.services import JobServices

log = logging.getLogger(__name__)


@job("cadre.quiet_sweep", queue="periodic", exclusive=True)
def quiet_sweep(services: JobServices, *, now: datetime) -> dict[str, int]:
    """End live conversations that went quiet: resolved by the agent, or abandoned."""
    from cadre.agents.conversations import ConversationStore
    from cadre.observability.closing import sweep_quiet
    from cadre.observability.events import EventStore

    db = services.db
    return sweep_quiet(db, EventStore(db), ConversationStore(db), now=now).to_json()


@job("cadre.alerts", queue="periodic", exclusive=True)
def alerts(services: JobServices, *, now: datetime) -> dict[str, Any]:
    """Evaluate the alert rules once: open, re-fire or clear incidents and notify about new ones."""
    from cadre.observability.incidents import AlertWorker

    evaluation = AlertWorker.from_settings(services.settings, services.db).run_once(now)
    body = evaluation.to_json()
    return {
        "at": body["at"],
        "opened": len(body["opened"]),
        "fired": len(body["fired"]),
        "cleared": len(body["cleared"]),
    }


@job("cadre.pack_events", queue="periodic", exclusive=True)
def pack_events(services: JobServices, *, now: datetime) -> dict[str, int]:
    """Pack the past days' new live events into chunks, so the dashboard's long windows stay fast."""
    from cadre.observability.chunks import EventChunks

    return EventChunks(services.db).pack(now=now).to_json()


@job("cadre.scan_knowledge", queue="periodic", exclusive=True)
def scan_knowledge(services: JobServices, *, now: datetime) -> dict[str, Any]:
    """Scan every collection's chunks that no detector of this version scored (after an upgrade of Cadre, or an
    ingestion that did not scan), so turns read stored scores; a collection with nothing new costs one query."""
    knowledge = services.knowledge
    reports = [knowledge.scan(str(c["collection"])) for c in knowledge.collections()]
    return {"scanned": sum(r.scanned for r in reports), "flagged": sum(len(r.flagged) for r in reports)}


@job("cadre.sales_pass", queue="periodic", exclusive=True)
def sales_pass(services: JobServices, *, now: datetime) -> dict[str, Any]:
    """What `cadre sales run` does: qualify open leads and send the touches that are due."""
    from cadre.sales.service import SalesService

    service = SalesService.from_settings(services.settings, services.db, services.data, knowledge=services.knowledge)
    try:
        report = service.run(now=now)
    except UnknownPrincipal as exc:
        # An installation without the SDR agent has no leads to work: every 15 minutes is not a failure.
        log.info("the SDR pass skipped: %s", exc.one_line())
        return {"skipped": exc.one_line()}
    return {key: report[key] for key in ("open_leads", "leads_touched", "emails_sent")}


@job("cadre.ingest", retries=2)
def ingest(services: JobServices, *, folder: str, collection: str, language: str = "auto") -> dict[str, Any]:
    """Ingest a folder (or one file) into a knowledge collection, then scan its new chunks for instructions aimed
    at a model (agents read the stored scores)."""
    path = Path(folder)
    if not path.exists():
        raise ConfigError(f"the folder to ingest must exist, got {folder!r}")
    report = services.knowledge.ingest([path], collection=collection, language=language)
    counts = {name: len(getattr(report, name)) for name in ("added", "updated", "unchanged", "removed", "problems")}
    scanned = services.knowledge.scan(collection)
    return {"collection": collection, **counts, "chunks": report.chunks, "flagged": scanned.flagged}


@job("cadre.eval_run")
def eval_run(
    services: JobServices,
    *,
    suite: str,
    agent: str | None = None,
    version: int | None = None,
    engine: str | None = None,
    run_id: str | None = None,
) -> dict[str, Any]:
    """Run an evaluation suite against an agent version and store the run, as `cadre eval run` does. Given a
    `run_id` (the enqueuer's), a delivery after the run was stored returns it instead of running the suite again:
    a worker may die between storing the run and the queue hearing the job is done."""
    from cadre.evaluation.runner import canonical_suite, load_run, run_suite, store_run
    from cadre.evaluation.suites import load_suite

    keys = ("run_id", "suite", "version", "cases", "passed")
    if run_id is not None:
        try:
            stored = load_run(services.db, run_id)
        except NotFound:
            pass
        else:
            return {**{key: stored[key] for key in keys}, "already": True}
    path = Path(suite)
    loaded = load_suite(path)
    with services.runtime() as runtime:
        result = run_suite(
            runtime,
            loaded,
            suite_name=canonical_suite(path),
            agent=agent or loaded.agent,
            version=version,
            engine=engine,
            run_id=run_id,
        )
    store_run(services.db, result)
    body = result.to_json()
    return {key: body[key] for key in keys}


@job("cadre.promote")
def promote(services: JobServices, *, agent: str, version: int, by: str) -> dict[str, Any]:
    """Run the version's gate suite and make it production if every gate passes, as `cadre agents promote` does."""
    from cadre.agents.promotion import promote as run_promotion

    rollout = services.rollout()
    plan = rollout.plan(agent)
    if plan is not None and plan.production == version:
        return {"agent": agent, "version": version, "promoted": True, "already": True}
    with services.runtime() as runtime:
        done = run_promotion(runtime, rollout, services.db, agent, version, by=by)
    return {"agent": agent, "version": version, "promoted": done.promoted, "failing": [c.metric for c in done.failing]}


@job("cadre.simulate_day")
def simulate_day(services: JobServices, *, conversations: int = 500, seed: int = 7) -> dict[str, Any]:
    """A simulated day of the sample company's traffic through the real runtime (load and demo data). A finished
    day is remembered by its seed and size, so a second delivery does not add a second day."""
    from cadre.server.services import Services
    from cadre.simulation import simulate_day as run_day

    marker = services.settings.resolved_home / "jobs" / f"simulated-day-{seed}-{conversations}.json"
    if marker.exists():
        return {**json.loads(marker.read_text(encoding="utf-8")), "already": True}
    with services.runtime() as runtime:
        injected = {"runtime": runtime, "data": services.data, "knowledge": services.knowledge}
        summary = run_day(
            runtime, Services(services.settings, services.db, injected=injected), conversations=conversations, seed=seed
        )
    body = {key: value for key, value in summary.to_json().items() if key in ("conversations", "turns", "handed_off")}
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps(body), encoding="utf-8")
    return body
