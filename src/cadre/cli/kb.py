"""`cadre kb …`: ingest knowledge, search it (one query or a batch), and record curation decisions."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cadre.cli import _context
from cadre.cli._output import console, dumps, err_console, print_json, status
from cadre.errors import ConfigError
from cadre.knowledge.models import DecisionKind, SearchMode, SearchResponse

app = typer.Typer(help="The knowledge layer: ingestion, hybrid multilingual search, curation.", no_args_is_help=True)
JSON = typer.Option(False, "--json", help="Print JSON.")
COLLECTION = typer.Option(..., "--collection", help="Collection name, e.g. `help`.")


@contextmanager
def _chunk_progress(description: str, *, hidden: bool) -> Iterator[Callable[[str, int], None]]:
    """A progress bar on stderr fed by the knowledge layer's (event, chunks) callbacks: "total" sets its length."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, disable=hidden, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def progress(event: str, count: int) -> None:
            if event == "total":
                bar.update(task, total=count)
            else:
                bar.advance(task, count)

        yield progress


@app.command("ingest")
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders: Markdown, HTML, PDF, text, JSONL."),
    collection: str = COLLECTION,
    language: str = typer.Option("auto", "--language", help="`auto` to detect per document, or a code like `en`."),
    source_priority: int = typer.Option(0, "--source-priority", help="Higher wins when sources overlap."),
    json_out: bool = JSON,
) -> None:
    """Ingest documents; unchanged ones are skipped, changed ones re-indexed, vanished ones removed."""
    kb = _context.knowledge()
    with _chunk_progress(f"Embedding into {collection}", hidden=json_out) as progress:
        report = kb.ingest(
            paths, collection=collection, language=language, source_priority=source_priority, progress=progress
        )
    if json_out:
        print_json(report)
    else:
        console.print(
            f"[bold]{collection}[/]: {len(report.added)} added, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.removed)} removed; {report.chunks} chunks embedded "
            f"in {report.seconds:.1f}s"
        )
        for problem in report.problems:
            console.print(f"[yellow]skipped[/] {problem.error}", highlight=False)


@app.command("scan")
def scan(collection: str = COLLECTION, json_out: bool = JSON) -> None:
    """Score the collection's chunks for instructions aimed at a model (new, changed, or scored by an older
    detector); agents then read the stored score of what they retrieve instead of scanning it on every turn."""
    kb = _context.knowledge()
    with _chunk_progress(f"Scanning {collection}", hidden=json_out) as progress:
        report = kb.scan(collection, progress=progress)
    if json_out:
        print_json(report)
        return
    console.print(f"[bold]{collection}[/]: {report.scanned} chunks scanned in {report.seconds:.1f}s")
    for chunk in report.flagged:
        console.print(f"[yellow]flagged[/] {chunk} reads as instructions to a model; agents leave it out")


def _hits_json(response: SearchResponse) -> list[dict[str, Any]]:
    return [
        {
            "doc_id": h.doc_id,
            "chunk_id": h.chunk_id,
            "score": h.score,
            "title": h.title,
            "url": h.url,
            "text": h.text,
            "language": h.language,
            "heading_path": h.heading_path,
            "citation": dataclasses.asdict(h.citation),
        }
        for h in response.hits
    ]


@app.command("search")
def search(
    query: str | None = typer.Argument(None, help="What to look for."),
    collection: str = COLLECTION,
    k: int = typer.Option(5, "--k", min=1, max=100, help="How many results."),
    language: str | None = typer.Option(None, "--language", help="Only this language (default: the query's)."),
    mode: SearchMode = typer.Option("hybrid", "--mode", help="hybrid, keyword or vector."),
    batch: Path | None = typer.Option(None, "--batch", help='JSONL of {"id","query"}: one result line per query.'),
    json_out: bool = JSON,
) -> None:
    """Hybrid search with citations; a query in a language the collection lacks searches across languages."""
    kb = _context.knowledge()
    if batch is not None:
        if query is not None:
            raise ConfigError("give either a QUERY or --batch FILE, not both")
        _search_batch(kb, batch, collection=collection, k=k, language=language, mode=mode)
        return
    if query is None:
        raise ConfigError("give a QUERY, or --batch FILE with one JSON query per line")
    response = kb.search(query, collection=collection, k=k, language=language, mode=mode)
    if json_out:
        print_json(
            {
                "query": response.query,
                "collection": collection,
                "mode": mode,
                "query_language": response.query_language,
                "cross_lingual": response.cross_lingual,
                "note": response.note,
                "results": _hits_json(response),
            }
        )
        return
    if response.note:
        console.print(f"[yellow]{response.note}[/]")
    table = Table(title=f"{len(response.hits)} result(s) for {query!r} ({mode})")
    for column in ("#", "score", "document", "section", "text"):
        table.add_column(column, overflow="fold")
    for rank, hit in enumerate(response.hits, start=1):
        snippet = hit.text if len(hit.text) < 240 else hit.text[:237] + "…"
        table.add_row(
            str(rank),
            f"{hit.score:.4f}",
            f"{hit.title}\n{hit.url or hit.doc_id}",
            " > ".join(hit.heading_path),
            snippet,
        )
    console.print(table)


def _search_batch(kb: Any, path: Path, *, collection: str, k: int, language: str | None, mode: SearchMode) -> None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read --batch file {str(path)!r}: {exc.strerror or exc}") from exc
    queries: list[tuple[str, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            queries.append((str(record["id"]), str(record["query"])))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ConfigError(f'{path}:{number}: each line must be {{"id": …, "query": …}}, got {line[:80]!r}') from exc
    for query_id, query in queries:  # validated first, so a bad line 900 does not waste 899 searches
        response = kb.search(query, collection=collection, k=k, language=language, mode=mode)
        results = [
            {key: hit[key] for key in ("doc_id", "chunk_id", "score", "title", "url", "text")}
            for hit in _hits_json(response)
        ]
        sys.stdout.write(dumps({"id": query_id, "results": results}) + "\n")
    sys.stdout.flush()


@app.command("collections")
def collections(json_out: bool = JSON) -> None:
    """Collections with their documents per language and chunk counts."""
    listed = _context.knowledge().collections()
    if json_out:
        print_json({"collections": listed})
        return
    table = Table(title="Knowledge collections")
    for column in ("collection", "documents", "chunks", "languages"):
        table.add_column(column)
    for c in listed:
        languages = ", ".join(f"{k} {v}" for k, v in c["languages"].items())  # type: ignore[attr-defined]
        table.add_row(str(c["collection"]), str(c["documents"]), str(c["chunks"]), languages)
    console.print(table)


@app.command("decide")
def decide(
    kind: DecisionKind = typer.Argument(..., help="prefer A B… (A wins), deprecate A…, or merge A B… (into A)."),
    doc_ids: list[str] = typer.Argument(..., help="Document ids."),
    collection: str = COLLECTION,
    note: str | None = typer.Option(None, "--note", help="Why, for whoever reads the decision later."),
    json_out: bool = JSON,
) -> None:
    """Record a curation decision; retrieval honours it from the next query on."""
    decision = _context.knowledge().decide(kind, doc_ids, collection=collection, note=note)
    payload = {
        "id": decision.id,
        "kind": decision.kind,
        "doc_ids": decision.doc_ids,
        "collection": collection,
        "note": decision.note,
        "created_at": decision.created_at,
    }
    if json_out:
        print_json(payload)
    else:
        console.print(f"Decision {decision.id}: {kind} {', '.join(doc_ids)} in {collection}")


@app.command("curate")
def curate(
    collection: str = COLLECTION,
    stale_days: int = typer.Option(365, "--stale-days", min=1, help="Age past which a superseded document is stale."),
    json_out: bool = JSON,
) -> None:
    """Report near-duplicates, conflicting facts, stale documents, overlapping sources and passages written as
    instructions to a model (stored for review)."""
    from cadre.knowledge.curate import CurationSettings
    from cadre.knowledge.curate import curate as run_curation

    with status(f"Curating {collection}…", quiet=json_out):
        report = run_curation(_context.database(), collection, CurationSettings(stale_days=stale_days))
    if json_out:
        print_json(report)
        return
    console.print(f"[bold]{collection}[/]: {report['documents']} documents in {', '.join(report['languages'])}")
    for finding in report["near_duplicates"]:
        console.print(
            f"[yellow]near-duplicate[/] {' ~ '.join(finding['doc_ids'])} (similarity "
            f"{finding['similarity']}, {', '.join(finding['languages'])}): {finding['recommendation']}"
        )
    for finding in report["conflicts"]:
        a, b = finding["statements"]
        console.print(
            f"[red]conflict ({finding['fact_kind']})[/] {a['doc_id']}: {a['sentence']!r}  vs  "
            f"{b['doc_id']}: {b['sentence']!r} ({', '.join(finding['languages'])})",
            highlight=False,
        )
    for finding in report["stale"]:
        console.print(
            f"[magenta]stale[/] {finding['doc_id']} (updated {finding['updated_at']}), superseded by "
            f"{', '.join(finding['superseded_by'])}: {finding['reason']}"
        )
    for overlap in report["overlapping_sources"]:
        console.print(
            f"[cyan]overlapping sources[/] {' & '.join(overlap['sources'])}: "
            f"{overlap['duplicated_documents']} duplicated document(s)"
        )
    for finding in report["instructions"]:
        console.print(
            f"[red]instructions to a model[/] {finding['doc_id']} ({finding['language']}, chunk {finding['chunk']}, "
            f"score {finding['score']}): {finding['excerpt']!r}: {finding['recommendation']}",
            highlight=False,
        )
    if report["unscanned_chunks"]:
        console.print(
            f"{report['unscanned_chunks']} chunk(s) not scanned for instructions yet: "
            f"`cadre kb scan --collection {collection}`"
        )
    if not any(report[k] for k in ("near_duplicates", "conflicts", "stale", "overlapping_sources", "instructions")):
        console.print("[green]No problems found.[/]")
