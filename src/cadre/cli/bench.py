"""`cadre bench tau`: external benchmarks run through Cadre's agents, actions and governed data layer."""

from __future__ import annotations

from pathlib import Path

import typer

from cadre.cli import _context
from cadre.cli._output import console, err_console, print_json, status
from cadre.errors import CadreError

app = typer.Typer(help="Run public benchmarks against Cadre.", no_args_is_help=True)

DEFAULT_DATA_DIR = Path("../shared/data/tau-bench/retail")


@app.command("tau")
def tau(
    domain: str = typer.Option("retail", "--domain", help="The τ-bench domain; only `retail` is supported."),
    tasks: Path | None = typer.Option(None, "--tasks", help="Tasks JSON file (default: DATA_DIR/tasks_dev.json)."),
    data_dir: Path = typer.Option(DEFAULT_DATA_DIR, "--data-dir", help="Folder with the domain's database and tasks."),
    work_dir: Path = typer.Option(
        Path(".cadre-bench/tau-retail"), "--work-dir", help="Where the benchmark's own workspace and database go."
    ),
    trials: int = typer.Option(1, "--trials", min=1, help="Conversations per task, for pass^k."),
    replay: bool = typer.Option(False, "--replay", help="Run each task's gold actions instead of a conversation."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Bring τ-bench's retail domain into a Cadre workspace and replay its tasks, or deploy the retail agent there
    and run each task as a conversation with an LLM-simulated user through Cadre's runtime."""
    if domain != "retail":
        raise CadreError(f"--domain must be 'retail', got {domain!r}")
    from cadre.benchmarks.tau_retail import RetailWorkspace, load_tasks, replay_tasks
    from cadre.engines.config import chat_model_from_settings

    model = None if replay else chat_model_from_settings(_context.settings())
    if not replay and model is None:
        err_console.print(
            "error: a τ-bench conversation needs an LLM, and none is configured "
            "(set CADRE_LLM_BASE_URL, or pass --replay to run the gold actions)",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(2)
    task_list = load_tasks(tasks or data_dir / "tasks_dev.json")
    with status("Building the benchmark's own copy of the retail database…", quiet=json_out):
        workspace = RetailWorkspace.create(work_dir, data_dir)
    try:
        header = {
            "domain": domain,
            "tasks_file": str(tasks or data_dir / "tasks_dev.json"),
            "database": f"{workspace.live} (the benchmark's own copy of {data_dir}, reset before each task)",
        }
        if replay:
            with status(f"Replaying the gold actions of {len(task_list)} tasks…", quiet=json_out):
                figures = replay_tasks(workspace, task_list).as_dict()
        else:
            from cadre.benchmarks.tau_retail.conversation import run_conversations

            assert model is not None
            running = f"Running {len(task_list)} tasks through the deployed retail agent, {trials} trial(s) each…"
            with status(running, quiet=json_out):
                figures = run_conversations(workspace, task_list, model=model, trials=trials).as_dict()
    finally:
        workspace.close()
    if json_out:
        print_json({**header, **figures})
        return
    console.print(f"Database: {header['database']}")
    for name, value in figures.items():
        if name not in ("errors", "conversations"):  # in --json; the conversations are in the workspace's store
            console.print(f"  {name:<20} {value}")
    for error in figures.get("errors", []):
        console.print(f"  [yellow]task {error['task']} {error['action']}: {error['error']}[/]", highlight=False)
