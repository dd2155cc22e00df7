"""`cadre eval …`: the shipped suites, running a suite through an agent with its metrics stored, comparing runs."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cadre.cli import _context, _eval_make
from cadre.cli._output import console, err_console, print_json, rows_table
from cadre.errors import ConfigError

if TYPE_CHECKING:  # the runtime imports engines and guardrails: only `eval run` pays for them
    from cadre.agents.runtime import Runtime
    from cadre.evaluation.judge import Judge

app = typer.Typer(help="Evaluate agents: suites of conversations with expectations.", no_args_is_help=True)
app.command("generate")(_eval_make.generate)
app.command("capture")(_eval_make.capture)
JSON = typer.Option(False, "--json", help="Print JSON.")


@app.command("suites")
def suites(json_out: bool = JSON) -> None:
    """The suites shipped with the sample company, one per hero agent."""
    from cadre.evaluation.suites import shipped_suites

    found = shipped_suites()
    if json_out:
        print_json(found)
    else:
        console.print(rows_table("Shipped suites", ["agent", "path"], [[s["agent"], s["path"]] for s in found]))


@app.command("run")
def run(
    suite: Path = typer.Argument(..., help="A suite file (YAML), e.g. one `cadre eval suites` lists."),
    agent: str | None = typer.Option(None, "--agent", help="NAME or NAME@VERSION (default: the suite's agent)."),
    engine: str | None = typer.Option(None, "--engine", help="Run on this engine instead of the spec's."),
    repeat: int = typer.Option(1, "--repeat", min=1, help="Run each case K times and report pass^k for k = 1..K."),
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="Cases run at once (default: one per core, at most 4)."
    ),
    judge: str = typer.Option(
        "offline",
        "--judge",
        help="How groundedness and relevancy are scored: `offline` (sentence support, embeddings) or `llm` "
        "(the configured LLM with a rubric).",
    ),
    json_out: bool = JSON,
) -> None:
    """Run every case of SUITE through the agent, check and score each reply, store the run and print its metrics."""
    from cadre.evaluation.runner import CaseResult, canonical_suite, default_workers, run_suite, store_run
    from cadre.evaluation.suites import load_suite

    loaded = load_suite(suite)
    name, version = _agent_ref(agent) if agent else (loaded.agent, None)
    judged = _judge(judge)
    runtime = _context.runtime()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # The bar draws on stderr, so `--json` output on stdout stays clean while a long run still shows progress.
    with _worker_runtimes() as worker_runtime, Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(f"Running {suite.name} on {name}", total=len(loaded.cases) * repeat)

        def advance(_: CaseResult) -> None:
            bar.advance(task)

        result = run_suite(
            runtime,
            loaded,
            suite_name=canonical_suite(suite),
            agent=name,
            version=version,
            engine=engine,
            repeat=repeat,
            workers=workers or default_workers(),
            worker_runtime=worker_runtime,
            judge=judged,
            on_case=advance,
        )
    store_run(_context.database(), result)
    body = result.to_json()
    if json_out:
        print_json(body)
        return
    failed = [r for r in result.results if not r.passed]
    console.print(
        f"[bold]{body['passed']}/{body['cases']}[/] cases passed ({body['pass_rate']:.0%}) on {name} "
        f"v{result.version} ({result.engine}) in {body['seconds']:.1f}s — run {result.run_id}"
    )
    console.print(_metrics_table(body))
    for case in failed:
        trial = f" (trial {case.trial})" if repeat > 1 else ""
        console.print(f"[red]✗ {case.id}{trial}[/]", highlight=False)
        for failure in case.failures:
            console.print(f"    {failure}", highlight=False, markup=False)


@app.command("compare")
def compare(
    run_a: str = typer.Argument(..., help="The baseline run id (`cadre eval run` prints it)."),
    run_b: str = typer.Argument(..., help="The run compared against it."),
    json_out: bool = JSON,
) -> None:
    """Per-metric deltas of RUN_B against RUN_A, the cases that regressed and improved, and a significance note."""
    from cadre.evaluation.compare import compare_runs
    from cadre.evaluation.runner import load_run

    db = _context.database()
    body = compare_runs(load_run(db, run_a), load_run(db, run_b))
    if json_out:
        print_json(body)
        return
    rows = [
        [metric, _shown(d["a"]), _shown(d["b"]), _shown(d["delta"], signed=True), _verdict(d["better"])]
        for metric, d in body["metrics"].items()
    ]
    console.print(rows_table(f"{body['a']['agent']} run B vs run A", ["metric", "A", "B", "Δ", ""], rows))
    for kind, colour in (("regressed", "red"), ("improved", "green")):
        for case in body[kind]:
            console.print(f"[{colour}]{kind}: {case['id']}[/] {case['a']:.0%} → {case['b']:.0%}", highlight=False)
    console.print(body["significance"]["note"], highlight=False)


def _metrics_table(body: dict[str, Any]) -> Table:
    """The run's figures, one row per metric with its method."""
    rows: list[list[str]] = []
    for metric, figure in body["metrics"].items():
        if metric == "latency_ms":
            value = f"p50 {_shown(figure['p50'])} · p95 {_shown(figure['p95'])}"
        elif metric == "tokens":
            value = f"{figure['input']} in · {figure['output']} out"
        elif metric == "judge_cost_usd":
            tokens = figure["tokens"]
            value = f"{_shown(figure['value'])} ({tokens['input']} in · {tokens['output']} out"
            value += f"; {figure['unpriced']} turns unpriced)" if figure["unpriced"] else ")"
        else:
            value = _shown(figure["value"])
        if figure.get("unjudged"):
            value += f" ({figure['unjudged']} turns unjudged)"
        rows.append([metric, value, figure["method"]])
    for k, value in body["pass_hat_k"].items():
        rows.append([f"pass^{k}", _shown(value), "C(c,k)/C(n,k) per case over its trials, mean over cases"])
    return rows_table("Metrics", ["metric", "value", "method"], rows)


def _judge(method: str) -> Judge | None:
    """None for the offline methods; the LLM judge on the configured endpoints for `llm`."""
    if method == "offline":
        return None
    if method == "llm":
        from cadre.evaluation.judge import judge_from_settings

        return judge_from_settings(_context.settings())
    raise ConfigError(f"--judge must be `offline` or `llm`, got {method!r}")


@contextmanager
def _worker_runtimes() -> Iterator[Callable[[], Runtime]]:
    """Builds each worker thread its own runtime over the shared store (a data service's DuckDB connection must
    not be shared by concurrent turns; reads and writes of one SQLite source are ordered by the data layer).
    Closes their data services afterwards."""
    from cadre.agents.setup import build_runtime
    from cadre.data.service import DataService

    opened: list[DataService] = []
    registry = _context.actions()
    building = threading.Lock()

    def build() -> Runtime:
        settings, db = _context.settings(), _context.database()
        data = DataService(settings, db)
        with building:
            opened.append(data)
        return build_runtime(settings, db, _context.knowledge(), data=data, actions=registry)

    try:
        yield build
    finally:
        for data in opened:
            data.close()


def _shown(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.4g}" if signed else f"{value:.4g}"


def _verdict(better: bool | None) -> str:
    return "" if better is None else ("better" if better else "worse")


def _agent_ref(ref: str) -> tuple[str, int | None]:
    name, sep, version = ref.partition("@")
    if not sep:
        return name, None
    if not version.isdigit() or int(version) < 1:
        raise ConfigError(f"--agent must be NAME or NAME@VERSION with a version ≥ 1, got {ref!r}")
    return name, int(version)
