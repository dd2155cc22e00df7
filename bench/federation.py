"""Federation benchmark: an aggregate over 20M Parquet rows through Cadre vs plain DuckDB, and peak memory.

Usage: python -m bench.federation [--rows 20000000] [--out bench/results/federation.json]
The data is generated once into bench/.data/ (ignored by git) and reused by later runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from bench._measure import peak_rss

ROOT = Path(__file__).resolve().parent
AGGREGATE = (
    "SELECT country, status, count(*) AS orders, sum(amount) AS revenue, avg(quantity) AS avg_qty "
    "FROM {relation} GROUP BY country, status ORDER BY country, status"
)
REPEATS = 5


def generate(path: Path, rows: int) -> Path:
    """20M order rows (~1 GB of Parquet): written by DuckDB itself, deterministically, in row groups."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    duckdb.connect().execute(f"""
        COPY (
          SELECT i AS order_id,
                 (hash(i) % 200000)::BIGINT AS customer_id,
                 (hash(i * 7) % 500)::INTEGER AS product_id,
                 1 + (hash(i * 13) % 20)::INTEGER AS quantity,
                 round(((hash(i * 17) % 1000000) / 100.0), 2)::DOUBLE AS amount,
                 ['US','DE','FR','ES','IT','BR','JP','GB'][1 + (hash(i * 19) % 8)::INTEGER] AS country,
                 ['paid','open','refunded','cancelled'][1 + (hash(i * 23) % 4)::INTEGER] AS status,
                 TIMESTAMP '2024-01-01' + to_seconds((hash(i * 29) % 60000000)::BIGINT) AS ordered_at,
                 md5(i::VARCHAR) || md5((i * 31)::VARCHAR) AS reference
          FROM range({rows}) t(i)
        ) TO '{partial}' (FORMAT parquet)
    """)
    partial.rename(path)
    return path


def time_plain_duckdb(path: Path) -> list[float]:
    times = []
    for _ in range(REPEATS):
        connection = duckdb.connect(config={"threads": 2})
        started = time.perf_counter()
        connection.execute(AGGREGATE.format(relation=f"read_parquet('{path}')")).fetchall()
        times.append(time.perf_counter() - started)
        connection.close()
    return times


def time_cadre(path: Path, home: Path) -> list[float]:
    from cadre.data.service import DataService
    from cadre.settings import Settings
    from cadre.store import open_database

    settings = Settings(home=home)
    db = open_database(settings)
    DataService(settings, db).sources.add("warehouse", f"parquet://{path}", replace=True)
    times = []
    for _ in range(REPEATS):
        service = DataService(settings, db)  # a fresh federation each time: attach cost is counted
        started = time.perf_counter()
        list(service.query(AGGREGATE.format(relation="warehouse")).rows())
        times.append(time.perf_counter() - started)
        service.close()
    db.close()
    return times


def run(rows: int = 20_000_000, data_dir: Path | None = None) -> dict[str, Any]:
    data_dir = data_dir or ROOT / ".data"
    started = time.perf_counter()
    path = generate(data_dir / f"orders-{rows}.parquet", rows)
    generation_s = time.perf_counter() - started
    size_mb = path.stat().st_size / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        plain = time_plain_duckdb(path)
        cadre = time_cadre(path, home)
        env = {**os.environ, "CADRE_HOME": str(home)}
        cli = str(Path(sys.executable).with_name("cadre"))
        aggregate_rss, _, _ = peak_rss([cli, "data", "query", AGGREGATE.format(relation="warehouse"), "--json"], env)
        # Streams 1% of the rows as JSON to a pipe after scanning the whole file: memory stays flat.
        scan_sql = "SELECT * FROM warehouse WHERE order_id % 100 = 0"
        scan_rss, scan_s, _ = peak_rss([cli, "data", "query", scan_sql, "--json"], env)
    ratio = statistics.median(cadre) / statistics.median(plain)
    return {
        "rows": rows,
        "parquet_mb": round(size_mb, 1),
        "generation_s": round(generation_s, 2),
        "query": AGGREGATE.format(relation="<orders>"),
        "plain_duckdb_s": {"median": round(statistics.median(plain), 3), "runs": [round(t, 3) for t in plain]},
        "cadre_s": {"median": round(statistics.median(cadre), 3), "runs": [round(t, 3) for t in cadre]},
        "ratio": round(ratio, 3),
        "target_ratio": 1.2,
        "meets_target": ratio <= 1.2,
        "peak_rss_mb_aggregate_cli": round(aggregate_rss, 1),
        "peak_rss_mb_streaming_scan_cli": round(scan_rss, 1),
        "streaming_scan": {"sql": scan_sql, "rows": rows // 100, "seconds": round(scan_s, 2)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "federation.json")
    args = parser.parse_args()
    result = run(args.rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
