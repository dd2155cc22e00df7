"""`cadre eval generate` and `cadre eval capture`: suites made from the knowledge base and from stored conversations."""

from __future__ import annotations

from pathlib import Path

import typer

from cadre.cli import _context
from cadre.cli._output import console, print_json
from cadre.errors import ConfigError

JSON = typer.Option(False, "--json", help="Print JSON.")
OUT = typer.Option(..., "--out", help="The suite file (YAML) to write.")
SEED = typer.Option(0, "--seed", help="The same seed and data make the same suite.")


def generate(
    collection: str = typer.Option(..., "--collection", help="The knowledge collection, e.g. `help`."),
    agent: str = typer.Option(..., "--agent", help="The deployed agent the suite is for."),
    count: int = typer.Option(..., "--count", help="How many cases."),
    languages: str | None = typer.Option(None, "--languages", help="e.g. `en,es,ja` (default: all the collection's)."),
    method: str = typer.Option(
        "auto", "--method", help="`offline` (templates), `llm` (the configured model), `auto` (llm when configured)."
    ),
    seed: int = SEED,
    out: Path = OUT,
    json_out: bool = JSON,
) -> None:
    """Write COUNT synthetic cases from the collection's articles: questions they answer, paraphrases, and
    questions they don't answer that must end with a hand-off. With an LLM configured the model writes them from
    the articles' passages; offline they are made from titles and headings."""
    from cadre.engines.config import chat_model_from_settings
    from cadre.evaluation.generate import Method, dump_suite, generate_suite, model_for

    chosen: Method = "offline" if method == "offline" else "llm" if method == "llm" else "auto"
    if chosen != method:
        raise ConfigError(f"--method must be offline, llm or auto, got {method!r}")
    _context.agent_versions().get(agent)  # an unknown agent fails here, not when the suite is run
    wanted = [code.strip() for code in languages.split(",") if code.strip()] if languages is not None else None
    if wanted is not None and not wanted:
        raise ConfigError(f"--languages must list language codes such as `en,es`, got {languages!r}")
    configured = None if chosen == "offline" else chat_model_from_settings(_context.settings())
    model = model_for(chosen, configured)
    made = generate_suite(
        _context.database(), collection=collection, agent=agent, count=count, languages=wanted, seed=seed, model=model
    )
    dump_suite(made.suite, out, header=made.header)
    body = made.to_json(out)
    if json_out:
        print_json(body)
        return
    kinds = ", ".join(f"{n} {kind}" for kind, n in body["by_kind"].items())
    languages_made = ", ".join(f"{lang} {n}" for lang, n in sorted(body["by_language"].items()))
    how = f"written by {body['model']}" if body["method"] == "llm" else "offline"
    console.print(f"[bold]{body['cases']}[/] cases for {agent} written to {out} ({kinds}; {languages_made}), {how}")
    skipped = {reason: n for reason, n in body.get("skipped", {}).items() if n}
    if skipped:
        listed = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in skipped.items())
        console.print(f"[yellow]skipped[/] {listed} ({body['model_calls']} model calls)", highlight=False)


def capture(
    conversation: list[str] = typer.Option([], "--conversation", help="A conversation id; repeat for more."),
    sample: int | None = typer.Option(None, "--sample", help="Draw N stored conversations, stratified."),
    agent: str | None = typer.Option(None, "--agent", help="Only this agent's conversations."),
    since: str | None = typer.Option(None, "--since", help="Only conversations started since (ISO date/time)."),
    seed: int = SEED,
    out: Path = OUT,
    append: bool = typer.Option(False, "--append", help="Add to the suite in --out instead of replacing it."),
    json_out: bool = JSON,
) -> None:
    """Turn stored conversations into regression cases, and people's corrections to them ("should say: …" feedback
    on a turn, a person's reply after a hand-off) into cases expecting the corrected facts."""
    from cadre.evaluation.capture import CORRECTION_FORMAT, capture_suite, parse_since, sample_conversations
    from cadre.evaluation.generate import dump_suite
    from cadre.evaluation.suites import load_suite

    if bool(conversation) == (sample is not None):
        raise ConfigError("capture needs either --conversation ID (repeatable) or --sample N, got both or neither")
    db = _context.database()
    if sample is not None:
        moment = parse_since(since) if since else None
        conversation = sample_conversations(db, sample, agent=agent, since=moment, seed=seed)
    existing = load_suite(out) if append and out.exists() else None
    made = capture_suite(db, conversation, agent=agent, existing=existing)
    dump_suite(made.suite, out, header=CORRECTION_FORMAT)
    body = made.to_json(out)
    if json_out:
        print_json(body)
        return
    console.print(
        f"[bold]{made.added}[/] cases added ({made.corrections} corrections) from {len(made.conversations)} "
        f"conversations to {out}, {body['cases']} in all"
    )
    for reason in made.skipped:
        console.print(f"[yellow]skipped[/] {reason}", highlight=False, markup=False)
