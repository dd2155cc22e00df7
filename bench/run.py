"""`make bench`: run every benchmark, write bench/results/*.json and a Markdown summary beside them."""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
DEFAULT_DATA = ROOT.parent.parent / "shared" / "data"


def _identity(data_dir: Path) -> dict[str, Any]:
    from bench import identity

    return identity.run(data_dir)


def _federation(_data_dir: Path) -> dict[str, Any]:
    from bench import federation

    return federation.run()


def _retrieval(data_dir: Path) -> dict[str, Any]:
    from bench import retrieval

    return retrieval.run(data_dir)


def _knowledge(_data_dir: Path) -> dict[str, Any]:
    from bench import knowledge

    return knowledge.run()


def _pii(data_dir: Path) -> dict[str, Any]:
    from bench import pii

    return pii.run(data_dir)


def _injection(data_dir: Path) -> dict[str, Any]:
    from bench import injection

    return injection.run(data_dir)


def _turns(_data_dir: Path) -> dict[str, Any]:
    from bench import turns

    return turns.run()


def _dashboard(data_dir: Path) -> dict[str, Any]:
    from bench import dashboard

    return dashboard.run(data_dir)


def _load(data_dir: Path) -> dict[str, Any]:
    from bench import load

    # Each store's figures are also written on their own, as `load-<store>.json`.
    results = {store: load.run(data_dir, store=store) for store in ("sqlite", "postgresql")}
    for store, figures in results.items():
        load.save(store, figures)
    return results


def _tau_retail(data_dir: Path) -> dict[str, Any]:
    from bench import tau_retail

    return tau_retail.run(data_dir)


BENCHMARKS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "identity": _identity,
    "federation": _federation,
    "retrieval": _retrieval,
    "knowledge": _knowledge,
    "pii": _pii,
    "injection": _injection,
    "turns": _turns,
    "dashboard": _dashboard,
    "load": _load,
    "tau_retail": _tau_retail,
}


def summary_table(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {platform.machine()}, {platform.python_version()}; "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
    ]
    identity = results.get("identity")
    if identity:
        lines += [
            "## Identity resolution (pairwise)",
            "",
            "| dataset | records | precision | recall | F1 | seconds | target | baseline F1 |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, r in identity.get("datasets", identity).items():
            if not isinstance(r, dict) or "f1" not in r:
                note = r.get("skipped") if isinstance(r, dict) else r
                lines.append(f"| {name} | - | - | - | - | - | - | skipped: {note} |")
                continue
            baseline = r.get("baseline") or {}
            target = r.get("target") or {}
            if isinstance(target, dict):
                target = ", ".join(
                    f"F1 ≥ {v}" if k == "f1" else f"≤ {v} s" if k == "seconds" else f"{k} {v}"
                    for k, v in target.items()
                )
            lines.append(
                f"| {name} | {r['records']:,} | {r['precision']:.4f} | {r['recall']:.4f} | "
                f"{r['f1']:.4f} | {r['seconds']:.2f} | {target or '-'} | "
                f"{baseline.get('f1', '-') if isinstance(baseline, dict) else baseline} |"
            )
        lines.append("")
    federation = results.get("federation")
    if federation:
        lines += [
            "## Federation (zero copy)",
            "",
            "| figure | value |",
            "|---|---|",
            f"| rows / Parquet size | {federation['rows']:,} / {federation['parquet_mb']:,} MB |",
            f"| aggregate, plain DuckDB (median of 5) | {federation['plain_duckdb_s']['median']} s |",
            f"| aggregate, through Cadre (median of 5) | {federation['cadre_s']['median']} s |",
            f"| ratio (target ≤ {federation['target_ratio']}) | {federation['ratio']} |",
            f"| peak RSS, `cadre data query` aggregate | {federation['peak_rss_mb_aggregate_cli']} MB |",
            f"| peak RSS, streaming scan of the whole file to JSON | "
            f"{federation['peak_rss_mb_streaming_scan_cli']} MB |",
            "",
        ]
    retrieval = results.get("retrieval")
    if retrieval:
        from bench.retrieval import markdown_table

        lines += [
            "## Multilingual retrieval (XQuAD: each question's gold paragraph among its language's 240)",
            "",
            markdown_table(retrieval),
            "",
        ]
    knowledge = results.get("knowledge")
    if knowledge:
        ingest, latency = knowledge["ingestion"], knowledge["latency"]
        lines += [
            "## Knowledge ingestion and query latency",
            "",
            "| figure | value |",
            "|---|---|",
            f"| help centre ingested | {ingest['documents']} documents, {ingest['chunks']} chunks |",
            f"| raw model throughput (same texts) | {ingest['raw_model_chunks_per_s']} chunks/s |",
            f"| end-to-end ingestion | {ingest['ingest_chunks_per_s']} chunks/s |",
            f"| ratio (target ≥ {ingest['target_ratio']}) | {ingest['ratio']} |",
            f"| peak RSS of `cadre kb ingest` | {ingest['peak_rss_mb']} MB |",
        ]
        if "scan" in ingest:
            scan = ingest["scan"]
            lines.append(
                f"| `cadre kb scan` (instructions aimed at a model), after ingestion | {scan['chunks']} chunks in "
                f"{scan['seconds']} s ({scan['chunks_per_s']} chunks/s), {len(scan['flagged'])} flagged |"
            )
        lines += [
            f"| query latency at {latency['chunks']:,} chunks, p50 / p95 "
            f"(target p95 ≤ {latency['target_p95_ms']} ms) | "
            + ", ".join(
                f"{m} {latency[m]['p50_ms']} / {latency[m]['p95_ms']} ms" for m in ("hybrid", "keyword", "vector")
            )
            + " |",
        ]
        if "hybrid_cross_lingual" in latency:
            cross = latency["hybrid_cross_lingual"]
            lines.append(
                f"| hybrid, queries in a language the collection lacks, p50 / p95 | "
                f"{cross['p50_ms']} / {cross['p95_ms']} ms |"
            )
        if "keyword_pruning" in latency:
            lines.append(
                "| keyword top-10 agreement, rarest terms vs every term | "
                f"{latency['keyword_pruning']['top10_overlap_mean']} |"
            )
        lines.append("")
    pii = results.get("pii")
    if pii:
        from bench.pii import markdown_table as pii_table

        lines += ["## PII detection (presidio-research synthetic sentences, span level)", "", pii_table(pii), ""]
    injection = results.get("injection")
    if injection:
        from bench.injection import markdown_table as injection_table

        lines += [
            "## Prompt injection (benign accuracy; attacks hidden in documents)",
            "",
            injection_table(injection),
            "",
        ]
    turns = results.get("turns")
    if turns:
        offline, overhead = turns["offline"], turns["llm_overhead"]
        lines += [
            "## Turn latency (sample service agent, in-process)",
            "",
            "| figure | value |",
            "|---|---|",
            f"| offline engine, p50 / p95 | {offline['p50_ms']} / {offline['p95_ms']} ms |",
            "| offline stages, p50 | " + ", ".join(f"{k} {v} ms" for k, v in offline["stages_p50_ms"].items()) + " |",
            f"| LLM turn against an instant local endpoint, p50 | {overhead['turn_p50_ms']} ms "
            f"(model {overhead['model_p50_ms']} ms, retrieval {overhead['retrieval_p50_ms']} ms) |",
            f"| runtime overhead beyond retrieval and model, p50 / p95 (target p50 ≤ "
            f"{overhead['target']['overhead_p50_ms']} ms) | {overhead['overhead_p50_ms']} / "
            f"{overhead['overhead_p95_ms']} ms |",
            f"| of which embedding inference (routing, injection scans, grounding), p50 | "
            f"{overhead['of_which_embedding_p50_ms']} ms |",
            f"| orchestration (language, masking, engine loop, store), p50 | {overhead['orchestration_p50_ms']} ms |",
            "",
        ]
    dashboard = results.get("dashboard")
    if dashboard:
        lines += [
            f"## Dashboard queries at {dashboard['turns']:,} synthetic turns (median seconds; target "
            f"≤ {dashboard['target_s']} s each)",
            "",
            "| store | window | turns in window | summary | breakdown by topic | series (p95) | conversations page |",
            "|---|---|---|---|---|---|---|",
        ]
        for store, measured in dashboard["stores"].items():
            for window, queries in measured["queries"].items():
                lines.append(
                    f"| {store} | {window} | {queries['turns_in_window']:,} | {queries['summary']['median_s']} | "
                    f"{queries['breakdown_topic']['median_s']} | {queries['series_p95_48']['median_s']} | "
                    f"{queries['conversations_page']['median_s']} |"
                )
        met = ", ".join(f"{window} {'yes' if ok else 'no'}" for window, ok in dashboard["target_met"].items())
        lines += ["", f"Target met per window: {met}.", ""]
    load = results.get("load")
    if load:
        lines += [
            "## Load: simulated customers over the API (offline engine; 3-turn conversations)",
            "",
            "| store | servers | customers | turns/s | p50 / p95 / p99 ms | errors | lost | duplicated |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for store, figures in load.items():
            for level in figures["levels"]:
                lines.append(
                    f"| {store} | {figures['servers']} | {level['customers']} | {level['turns_per_s']} | "
                    f"{level['p50_ms']} / {level['p95_ms']} / {level['p99_ms']} | {level['errors']} | "
                    f"{level['lost']} | {level['duplicated']} |"
                )
        lines.append("")
    tau = results.get("tau_retail")
    if tau:
        lines += [
            "## τ-bench retail (gold actions replayed through Cadre's retail actions)",
            "",
            "| split | tasks | actions | action errors | outputs found / expected | seconds |",
            "|---|---|---|---|---|---|",
        ]
        for split, replay in tau["replay"].items():
            if isinstance(replay, dict) and "tasks" in replay:
                lines.append(
                    f"| {split} | {replay['tasks']} | {replay['actions']} | {replay['action_errors']} | "
                    f"{replay['outputs_found']} / {replay['outputs_expected']} | {replay['seconds']} |"
                )
        lines += ["", f"Full mode (LLM-simulated users, pass^k): {tau.get('full')}", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA, help="public benchmark data folder")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS), help="run only these")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, Any]] = {}
    for name in args.only or list(BENCHMARKS):
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        results[name] = BENCHMARKS[name](args.data_dir)
        results[name]["bench_seconds"] = round(time.perf_counter() - started, 1)
        (RESULTS / f"{name}.json").write_text(json.dumps(results[name], indent=2) + "\n")
    for name in BENCHMARKS:  # keep earlier figures of benchmarks not rerun this time in the summary
        path = RESULTS / f"{name}.json"
        if name not in results and path.exists():
            results[name] = json.loads(path.read_text())
    table = summary_table(results)
    (RESULTS / "README.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
