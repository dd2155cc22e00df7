"""τ-bench retail through Cadre: gold actions replayed through Cadre's retail actions, and conversations with an LLM.

    .venv/bin/python -m bench.tau_retail [--data-dir ../shared/data] [--out bench/results/tau_retail.json]

Replay (no model): for the dev and the train tasks of `<data-dir>/tau-bench/retail`, each task's gold actions run
in order through Cadre's retail actions (governed, audited writes to the benchmark's own SQLite copy of the
database, reset before each task). Reported per split: tasks, actions, actions refused, expected outputs found in
the tool results, seconds, and which actions were refused beside the ones τ-bench's own tools refuse.

Full mode runs only when an LLM is configured (`CADRE_LLM_BASE_URL`): the dev tasks, one trial each, as
conversations between the LLM-simulated user and the retail agent deployed in the workspace, through Cadre's
runtime; scored as τ-bench scores them (final database and expected outputs), pass^1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._measure import save_results

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "bench" / "results" / "tau_retail.json"
SPLITS = ("dev", "train")
# The gold actions τ-bench's own retail tools refuse (sierra-research/tau-bench @59a200c, run on the same task files
# outside Cadre, 2026-11-30): all 20 for a gift card that cannot cover the amount; none on dev. (task index, action)
ORIGINAL_REFUSALS: dict[str, list[tuple[int, str]]] = {
    "dev": [],
    "train": [
        (24, "modify_pending_order_payment"),
        (27, "modify_pending_order_payment"),
        (81, "modify_pending_order_items"),
        (148, "modify_pending_order_payment"),
        (161, "modify_pending_order_items"),
        (214, "exchange_delivered_order_items"),
        (229, "modify_pending_order_items"),
        (252, "exchange_delivered_order_items"),
        (253, "modify_pending_order_payment"),
        (288, "exchange_delivered_order_items"),
        (314, "modify_pending_order_items"),
        (349, "modify_pending_order_items"),
        (351, "modify_pending_order_payment"),
        (351, "modify_pending_order_items"),
        (369, "modify_pending_order_payment"),
        (376, "modify_pending_order_items"),
        (427, "modify_pending_order_payment"),
        (431, "modify_pending_order_payment"),
        (441, "modify_pending_order_items"),
        (469, "modify_pending_order_payment"),
    ],
}
TARGET = {
    "replay": "every gold action τ-bench's tools accept succeeds, the ones they refuse are refused; every expected "
    "output appears in the tool results",
    "full": "pass^k reported beside the published tool-calling agents' (Yao et al., 2024, and its leaderboard: "
    "test split)",
}


def replay_split(data_dir: Path, split: str) -> dict[str, Any]:
    from cadre.benchmarks.tau_retail import RetailWorkspace, load_tasks, replay_tasks

    tasks = load_tasks(data_dir / f"tasks_{split}.json")
    with tempfile.TemporaryDirectory() as work:
        workspace = RetailWorkspace.create(Path(work), data_dir)
        try:
            started = time.perf_counter()
            report = replay_tasks(workspace, tasks, keep_errors=len(tasks))
            seconds = time.perf_counter() - started
        finally:
            workspace.close()
    refused = [(e["task"], e["action"]) for e in report.errors]
    figures = {k: v for k, v in report.as_dict().items() if k != "errors"}
    return {
        **figures,
        "seconds": round(seconds, 1),
        "refused_by_gift_card_rule": sum(1 for e in report.errors if "gift card" in (e["error"] or "")),
        "same_refusals_as_tau_bench_tools": sorted(refused) == sorted(ORIGINAL_REFUSALS[split]),
        "refusals": [f"task {task} {action}" for task, action in refused],
    }


def full_mode(data_dir: Path) -> dict[str, Any] | str:
    from cadre.benchmarks.tau_retail import RetailWorkspace, load_tasks, run_conversations
    from cadre.engines.config import chat_model_from_settings
    from cadre.settings import load_settings

    model = chat_model_from_settings(load_settings())
    if model is None:
        return "skipped: no LLM configured"
    tasks = load_tasks(data_dir / "tasks_dev.json")
    with tempfile.TemporaryDirectory() as work:
        workspace = RetailWorkspace.create(Path(work), data_dir)
        try:
            started = time.perf_counter()
            report = run_conversations(workspace, tasks, model=model, trials=1)
            seconds = time.perf_counter() - started
        finally:
            workspace.close()
    figures = {k: v for k, v in report.as_dict().items() if k != "conversations"}
    return {"split": "dev", "model": model.name, **figures, "seconds": round(seconds, 1)}


def run(data_dir: Path) -> dict[str, Any]:
    retail = data_dir / "tau-bench" / "retail"
    return {
        "data": str(retail),
        "target": TARGET,
        "baseline": "τ-bench's own retail tools on the same gold actions (sierra-research/tau-bench @59a200c)",
        "replay": {split: replay_split(retail, split) for split in SPLITS},
        "full": full_mode(retail),
    }


def markdown_table(results: dict[str, Any]) -> str:
    lines = [
        "## τ-bench retail (gold actions replayed through Cadre's retail actions)",
        "",
        "| split | tasks | actions | refused | refused by τ-bench's tools | same refusals | outputs found | seconds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for split, f in results["replay"].items():
        lines.append(
            f"| {split} | {f['tasks']} | {f['actions']} | {f['action_errors']} | {len(ORIGINAL_REFUSALS[split])} "
            f"| {'yes' if f['same_refusals_as_tau_bench_tools'] else 'NO'} "
            f"| {f['outputs_found']} / {f['outputs_expected']} | {f['seconds']} |"
        )
    full = results["full"]
    if isinstance(full, str):
        lines += ["", f"Full mode (conversations with an LLM-simulated user): {full}."]
    else:
        lines += ["", f"Full mode, dev, {full['model']}: pass^1 {full['pass_hat']['1']} in {full['seconds']} s."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = run(args.data_dir)
    save_results(results, args.out, started=started, table=markdown_table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
