"""`cadre demo`: the sample company, unified and governed, a day of traffic through its agents, and the console."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import typer
from rich.panel import Panel

from cadre.cli import _context
from cadre.cli._demo_heroes import (
    agents_tour,
    console_access,
    day_recorded,
    render_access,
    render_agents,
    render_day,
    traffic_tour,
)
from cadre.cli._output import console, print_json, status
from cadre.cli.serve import run_server
from cadre.errors import ConfigError, PolicyDenied
from cadre.sample.install import install_sample
from cadre.sample.models import SampleSize

# `cadre.simulation` loads the agent runtime, which a demo that stops before its agents never needs to import.
DAY_CONVERSATIONS = 500


def demo(
    # The hero agents' shipped conversations name the small sample's customers, leads and accounts.
    size: SampleSize = typer.Option("small", "--size", help="Sample company size."),
    seed: int = typer.Option(7, "--seed", help="Sample company seed."),
    fresh: bool = typer.Option(
        True, "--fresh/--reuse", help="Recreate the sample company (a second at the small size), or reuse it."
    ),
    kb_languages: str = typer.Option(
        "all", "--kb-languages", help="Help-centre languages to ingest: `all`, `none`, or codes like `en,ja`."
    ),
    conversations: int = typer.Option(
        DAY_CONVERSATIONS, "--conversations", min=0, help="Customer conversations in the simulated day (0: none)."
    ),
    rerun_traffic: bool = typer.Option(
        False, "--rerun-traffic", help="Run the simulated day even if this home already has one."
    ),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="End by serving the console, or just exit."),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface the console listens on."),
    port: int = typer.Option(8400, "--port", min=1, max=65535, help="Port the console listens on."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Create the sample company, resolve identities, show governed reads, run a day of traffic through the hero
    agents, and serve the console with a login."""
    data = _context.data_service()
    summary: dict[str, Any] = {"home": str(data.settings.resolved_home)}
    sources_dir = data.settings.sources_dir
    if fresh or not (sources_dir.exists() and any(sources_dir.iterdir())):
        with status("Creating the sample company…", quiet=json_out):
            installed = install_sample(data, size=size, seed=seed, force=True)
        summary["sample"] = {
            "size": installed.size,
            "seed": installed.seed,
            "counts": installed.counts,
            "seconds": installed.seconds,
        }
    else:
        summary["sample"] = {"reused": str(sources_dir)}
    summary["sources"] = {name: tables for name, tables in data.federation.tables.items()}

    from cadre.data.identity import IdentityService

    identities = IdentityService(data)
    summary["identities"] = {}
    for name in data.catalog.identities:
        with status(f"Resolving {name}…", quiet=json_out):
            result = identities.resolve(name)
        largest = identities.largest_profiles(name, limit=1)
        summary["identities"][name] = {
            **dataclasses.asdict(result),
            "example_profile": largest[0][0] if largest else None,
        }

    summary["governance"] = _governance_tour(data)
    summary["knowledge"] = _knowledge_tour(sources_dir / "knowledge", kb_languages, json_out)
    if summary["knowledge"]["collections"].get("help"):
        summary["agents"] = agents_tour(json_out)
    toured = "agents" in summary
    if conversations and (toured or day_recorded()):
        # A fresh company gets a new day; a reused one keeps the day already there unless asked for another.
        again = toured and (fresh or rerun_traffic)
        summary["day"] = traffic_tour(conversations=conversations, seed=seed, quiet=json_out, again=again)
    summary["console"] = console_access(host, port)
    verification = data.audit.verify()
    summary["audit"] = {"entries": verification.entries, "chain_intact": verification.ok}
    if json_out:
        print_json(summary)
    else:
        _render(summary)
    if serve:
        from cadre.jobs.schedule import schedules

        # The demo has no mail server: the SDR pass ran above against a local one, and `cadre sales run` runs it again.
        periodic = [every for every in schedules(_context.settings()) if every.job != "cadre.sales_pass"]
        run_server(host, port, periodic=periodic)


def _governance_tour(data: Any) -> list[dict[str, Any]]:
    """Three reads that show what governance does: a masked read, a team-filtered read, a denial."""
    seller = data.get(
        "User",
        principal="role:admin",
        purpose="administration",
        where={"role": "seller"},
        fields=["user_id", "team"],
        limit=1,
    ).rows
    steps: list[dict[str, Any]] = []
    if seller:
        who = f"user:{seller[0]['user_id']}"
        for entity, purpose in (("Account", "sales"), ("Contact", "sales"), ("Invoice", "sales")):
            try:
                read = data.get(entity, principal=who, purpose=purpose, limit=3)
                steps.append(
                    {
                        "as": who,
                        "team": seller[0]["team"],
                        "entity": entity,
                        "purpose": purpose,
                        "decision": "allowed",
                        "policy": read.policy,
                        "masked": read.masked,
                        "example": read.rows[0] if read.rows else None,
                    }
                )
            except PolicyDenied as exc:
                steps.append(
                    {"as": who, "entity": entity, "purpose": purpose, "decision": "denied", "reason": str(exc)}
                )
    return steps


DEMO_QUERIES = (
    ("help", "How do I set up single sign-on?"),
    ("help", "¿Cómo descargo mis facturas?"),
    ("help", "パスワードをリセットする方法"),
    ("sales", "What discount can a seller give on Enterprise?"),
)


def _knowledge_tour(folder: Path, languages: str, quiet: bool) -> dict[str, Any]:
    """Ingest the help centre and the sales collateral, search them in three languages, and curate."""
    from cadre.knowledge.curate import curate

    kb = _context.knowledge()
    tour: dict[str, Any] = {"collections": {}, "searches": [], "curation": {}}
    if languages == "none":
        return tour
    for collection in ("help", "sales"):
        if not (folder / collection).exists():
            continue
        paths = [folder / collection]
        if languages != "all" and collection == "help":
            paths = [folder / collection / code.strip() for code in languages.split(",") if code.strip()]
            missing = [str(p) for p in paths if not p.exists()]
            if missing:
                raise ConfigError(f"--kb-languages names languages the help centre lacks: {', '.join(missing)}")
        with status(f"Ingesting the {collection} collection…", quiet=quiet):
            report = kb.ingest(paths, collection=collection)
        with status(f"Scanning the {collection} collection for instructions to a model…", quiet=quiet):
            scanned = kb.scan(collection)
        tour["collections"][collection] = {
            "added": len(report.added),
            "updated": len(report.updated),
            "unchanged": len(report.unchanged),
            "chunks_embedded": report.chunks,
            "seconds": report.seconds,
            "problems": len(report.problems),
            "chunks_scanned": scanned.scanned,
            "flagged": scanned.flagged,
        }
    for collection, query in DEMO_QUERIES:
        if collection not in tour["collections"]:
            continue
        response = kb.search(query, collection=collection, k=1)
        top = response.hits[0] if response.hits else None
        tour["searches"].append(
            {
                "collection": collection,
                "query": query,
                "language": response.query_language,
                "cross_lingual": response.cross_lingual,
                "top": {"doc_id": top.doc_id, "title": top.title, "language": top.language, "url": top.url}
                if top
                else None,
            }
        )
    if "help" in tour["collections"]:
        curation = curate(_context.database(), "help")
        tour["curation"] = {
            key: len(curation[key]) for key in ("near_duplicates", "conflicts", "stale", "instructions")
        }
    return tour


def _render(summary: dict[str, Any]) -> None:
    sample = summary["sample"]
    lines = [f"Cadre home: {summary['home']}"]
    if "counts" in sample:
        counts = ", ".join(f"{k} {v:,}" for k, v in sample["counts"].items())
        lines.append(f"Sample company ({sample['size']}, seed {sample['seed']}) in {sample['seconds']:.1f}s: {counts}")
    else:
        lines.append(f"Sample company reused from {sample['reused']} (without --reuse it is recreated)")
    for name, tables in summary["sources"].items():
        lines.append(f"Source {name}: {', '.join(tables)} (read in place)")
    for name, result in summary["identities"].items():
        lines.append(
            f"Identity {name}: {result['records']:,} records → {result['profiles']:,} unified profiles "
            f"({result['multi_record_profiles']:,} link 2+ records) in {result['seconds']:.1f}s; "
            f"try `cadre data profile {result['example_profile']}`"
        )
    for step in summary["governance"]:
        if step["decision"] == "allowed":
            masked = f", masked {', '.join(step['masked'])}" if step["masked"] else ""
            lines.append(
                f"{step['as']} (team {step['team']}) reads {step['entity']} for {step['purpose']}: "
                f"allowed by {step['policy']!r}{masked}"
            )
        else:
            lines.append(f"{step['as']} reads {step['entity']} for {step['purpose']}: denied — {step['reason']}")
    knowledge = summary["knowledge"]
    for name, c in knowledge["collections"].items():
        lines.append(
            f"Knowledge {name}: {c['added'] + c['updated'] + c['unchanged']} documents "
            f"({c['chunks_embedded']} chunks embedded now, in {c['seconds']:.1f}s; {c['chunks_scanned']} scanned for "
            f"instructions to a model, {len(c['flagged'])} flagged)"
        )
    for search in knowledge["searches"]:
        top = search["top"]
        found = f"{top['title']} [{top['language']}]" if top else "nothing"
        lines.append(f"  {search['query']!r} ({search['language'] or '?'}) → {found}")
    if knowledge["curation"]:
        c = knowledge["curation"]
        lines.append(
            f"Curation of help: {c['near_duplicates']} near-duplicate(s), {c['conflicts']} conflict(s), "
            f"{c['stale']} stale page(s), {c['instructions']} passage(s) written as instructions to a model "
            "(`cadre kb curate --collection help`)"
        )
    if "agents" in summary:
        lines.extend(render_agents(summary["agents"]))
    lines.extend(render_day(summary.get("day", {})))
    audit = summary["audit"]
    lines.append(
        f"Audit log: {audit['entries']:,} entries, hash chain "
        f"{'intact' if audit['chain_intact'] else 'BROKEN'} (`cadre data audit --verify`)"
    )
    lines.extend(render_access(summary["console"]))
    console.print(Panel("\n".join(lines), title="Cadre demo", expand=False))
