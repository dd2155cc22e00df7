"""Load: simulated customers hold multi-turn conversations with `cadre serve` over the API for a fixed time.

    .venv/bin/python -m bench.load [--store sqlite|postgresql] [--levels 2,4,8] [--seconds 30] [--servers N]

A home with the small sample company, its English help centre and the service agent (offline engine) is built in a
temporary folder; `cadre serve` runs as real processes on 127.0.0.1 (one on SQLite; on PostgreSQL, `--servers`
processes sharing a throwaway database). At each concurrency level, that many customers each open a conversation,
ask three questions in it one after the other (each waits for its reply, as people do), and start again, until the
level's time is up. Afterwards the database is checked: every message the server accepted (answered 200) must have
its turn completed and its question and reply stored exactly once (`lost`, `duplicated`). The highest level held
with no error and nothing lost is the sustained rate. Results go to `bench/results/load-<store>.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
QUESTIONS = (
    "How do I reset my password?",
    "Can I export my invoices as PDF?",
    "How do I invite a new user to my team?",
    "What does the Business plan include?",
    "How do I set up single sign-on?",
    "Where can I change my billing address?",
)
TURNS_PER_CONVERSATION = 3
STARTUP_S = 90.0


def _percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def _cadre(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cadre.cli", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"cadre {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def _prepare(home: Path, env: dict[str, str]) -> str:
    """The sample company, its English help centre and the service agent; returns an admin key."""
    from cadre.agents.registry import load_actions
    from cadre.agents.specs import AgentVersions
    from cadre.data.service import DataService
    from cadre.knowledge.service import KnowledgeBase
    from cadre.sample.install import deploy_sample_agents, install_sample
    from cadre.settings import Settings
    from cadre.store import open_database

    settings = Settings(home=home, database_url=env.get("CADRE_DATABASE_URL"))
    db = open_database(settings)
    data = DataService(settings, db)
    install_sample(data, size="small", seed=7)
    with as_file(files("cadre.sample")) as sample:
        KnowledgeBase(db).ingest([Path(sample) / "kb" / "help" / "en"], collection="help")
    deploy_sample_agents(AgentVersions(db, load_actions()), ["service"])
    data.close()
    db.close()
    created = json.loads(_cadre(env, "keys", "create", "--role", "admin", "--json"))
    return str(created["key"])


@contextmanager
def _servers(env: dict[str, str], count: int, logs: Path) -> Iterator[list[str]]:
    from cadre.testing.ports import free_port

    processes: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    try:
        for n in range(count):
            port = free_port()
            with (logs / f"server-{n}.log").open("wb") as log:
                command = [sys.executable, "-m", "cadre.cli", "serve", "--port", str(port), "--log-level", "warning"]
                processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))
            urls.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + STARTUP_S
        for url in urls:
            while True:
                try:
                    if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"`cadre serve` at {url} did not start in {STARTUP_S:.0f} s (see {logs})")
                time.sleep(0.5)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


async def _customer(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], until: float, number: int, tally: dict[str, Any]
) -> None:
    asked = number
    while time.monotonic() < until:
        try:
            opened = await client.post(f"{url}/api/conversations", json={"agent": "service"}, headers=headers)
        except httpx.HTTPError as exc:
            tally["errors"].append(f"open: {type(exc).__name__}")
            continue
        if opened.status_code != 201:
            tally["errors"].append(f"open: {opened.status_code}")
            continue
        conversation = opened.json()["conversation_id"]
        for _ in range(TURNS_PER_CONVERSATION):
            if time.monotonic() >= until:
                break
            question = QUESTIONS[asked % len(QUESTIONS)]
            asked += 1
            started = time.perf_counter()
            try:
                answered = await client.post(
                    f"{url}/api/conversations/{conversation}/messages", json={"message": question}, headers=headers
                )
            except httpx.HTTPError as exc:
                tally["errors"].append(f"message: {type(exc).__name__}")
                break
            if answered.status_code != 200:
                tally["errors"].append(f"message: {answered.status_code}")
                break
            tally["latencies"].append((time.perf_counter() - started) * 1000)
            tally["accepted"].append((conversation, answered.json()["turn_id"], question))


def _warm_up(url: str, headers: dict[str, str]) -> None:
    opened = httpx.post(f"{url}/api/conversations", json={"agent": "service"}, headers=headers, timeout=120)
    conversation = opened.json()["conversation_id"]
    for question in QUESTIONS:
        httpx.post(
            f"{url}/api/conversations/{conversation}/messages",
            json={"message": question},
            headers=headers,
            timeout=120,
        ).raise_for_status()


async def _level(urls: Sequence[str], headers: dict[str, str], customers: int, seconds: float) -> dict[str, Any]:
    tally: dict[str, Any] = {"latencies": [], "accepted": [], "errors": []}
    limits = httpx.Limits(max_connections=customers * 2, max_keepalive_connections=customers * 2)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        started = time.monotonic()
        until = started + seconds
        await asyncio.gather(
            *(_customer(client, urls[n % len(urls)], headers, until, n, tally) for n in range(customers))
        )
        elapsed = time.monotonic() - started
    return {**tally, "seconds": elapsed}


def _check(db_url: str | None, home: Path, accepted: list[tuple[str, str, str]]) -> dict[str, int]:
    """Every accepted message: its turn completed, its question and its reply stored exactly once."""
    from sqlalchemy import func, select

    from cadre.agents.store import MessageRow, TurnRow
    from cadre.settings import Settings
    from cadre.store import open_database

    db = open_database(Settings(home=home, database_url=db_url))
    lost = duplicated = 0
    try:
        with db.session() as session:
            for start in range(0, len(accepted), 500):
                batch = accepted[start : start + 500]
                turn_ids = [turn for _, turn, _ in batch]
                completed = set(
                    session.scalars(select(TurnRow.id).where(TurnRow.id.in_(turn_ids), TurnRow.status == "completed"))
                )
                counts = dict(
                    session.execute(
                        select(MessageRow.turn_id, func.count())
                        .where(MessageRow.turn_id.in_(turn_ids))
                        .group_by(MessageRow.turn_id)
                    ).all()
                )
                for turn in turn_ids:
                    stored = counts.get(turn, 0)
                    if turn not in completed or stored < 2:
                        lost += 1
                    elif stored > 2:
                        duplicated += 1
    finally:
        db.close()
    return {"lost": lost, "duplicated": duplicated}


FOOTPRINT_TABLES = ("turns", "conversation_messages", "conversations", "events", "spans", "audit_log")


def _footprint(db_url: str | None, home: Path) -> dict[str, Any]:
    """Rows in the tables a turn writes, and the database's size: divided by the turns, the cost of one turn."""
    from sqlalchemy import text

    from cadre.settings import Settings
    from cadre.store import open_database

    db = open_database(Settings(home=home, database_url=db_url))
    try:
        with db.session() as session:
            rows = {
                table: int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
                for table in FOOTPRINT_TABLES
            }
            if db.dialect == "postgresql":
                size = int(session.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
            else:
                pages = int(session.execute(text("PRAGMA page_count")).scalar_one())
                size = pages * int(session.execute(text("PRAGMA page_size")).scalar_one())
    finally:
        db.close()
    return {"rows": rows, "bytes": size}


def run(
    _data_dir: Path | None = None,
    *,
    store: str = "sqlite",
    levels: Sequence[int] = (2, 4, 8),
    seconds: float = 30.0,
    servers: int | None = None,
) -> dict[str, Any]:
    processes = servers or (1 if store == "sqlite" else 2)
    if store == "sqlite" and processes != 1:
        raise SystemExit("SQLite is served by one process: --servers must be 1 with --store sqlite")
    with ExitStack() as stack:
        home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cadre-load-")))
        env = {**os.environ, "CADRE_HOME": str(home / "home"), "CADRE_LIVE_SCORE_SHARE": "0.2"}
        # Load, not rate limiting, is measured: every customer shares the one admin key.
        env["CADRE_RATE_LIMIT_KEY_PER_MINUTE"] = "1000000"
        if store == "postgresql":
            from cadre.testing.postgres import ThrowawayPostgres

            postgres = stack.enter_context(ThrowawayPostgres())
            env["CADRE_DATABASE_URL"] = postgres.create_database("cadre_load")
        key = _prepare(home / "home", env)
        headers = {"Authorization": f"Bearer {key}"}
        urls = stack.enter_context(_servers(env, processes, home))
        # A first turn per server loads its embedding model and warms its caches: not what customers wait for.
        for url in urls:
            _warm_up(url, headers)
        before = _footprint(env.get("CADRE_DATABASE_URL"), home / "home")
        results: list[dict[str, Any]] = []
        for customers in levels:
            measured = asyncio.run(_level(urls, headers, customers, seconds))
            checked = _check(env.get("CADRE_DATABASE_URL"), home / "home", measured["accepted"])
            turns = len(measured["accepted"])
            results.append(
                {
                    "customers": customers,
                    "turns": turns,
                    "turns_per_s": round(turns / measured["seconds"], 2),
                    "p50_ms": _percentile(measured["latencies"], 0.50),
                    "p95_ms": _percentile(measured["latencies"], 0.95),
                    "p99_ms": _percentile(measured["latencies"], 0.99),
                    "errors": len(measured["errors"]),
                    "error_kinds": sorted(set(measured["errors"]))[:5],
                    **checked,
                }
            )
        after = _footprint(env.get("CADRE_DATABASE_URL"), home / "home")
    turns_total = sum(r["turns"] for r in results) or 1
    per_turn = {
        "rows": {t: round((after["rows"][t] - before["rows"][t]) / turns_total, 2) for t in FOOTPRINT_TABLES},
        "bytes": round((after["bytes"] - before["bytes"]) / turns_total),
    }
    held = [r for r in results if r["errors"] == 0 and r["lost"] == 0 and r["duplicated"] == 0]
    best = max(held, key=lambda r: r["turns_per_s"]) if held else None
    return {
        "store": store,
        "servers": processes,
        "seconds_per_level": seconds,
        "turns_per_conversation": TURNS_PER_CONVERSATION,
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "levels": results,
        "per_turn": per_turn,  # rows written and database growth per turn, for docs/scaling.md
        "sustained": best,
        # The headline figures (the keys): the highest level held with no error and nothing lost.
        **(
            {k: best[k] for k in ("turns_per_s", "p50_ms", "p95_ms", "p99_ms", "errors", "lost", "duplicated")}
            if best
            else {"turns_per_s": 0.0, "errors": sum(r["errors"] for r in results)}
        ),
    }


def save(store: str, results: dict[str, Any]) -> Path:
    """Write one store's figures to `bench/results/load-<store>.json` (what the issue asks to be committed)."""
    out = RESULTS / f"load-{store}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--levels", default="2,4,8", help="concurrent customers per level, comma-separated")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long each level runs")
    parser.add_argument("--servers", type=int, default=None, help="server processes (PostgreSQL only; default 2)")
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.levels.split(",") if n.strip()]
    results = run(store=args.store, levels=levels, seconds=args.seconds, servers=args.servers)
    save(args.store, results)
    print(json.dumps({k: v for k, v in results.items() if k != "levels"}, indent=2))
    for level in results["levels"]:
        print(level)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
