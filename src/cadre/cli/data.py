"""`cadre data …`: sources, federated queries, the catalog, governed reads, identities and audit."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from cadre.cli import _context
from cadre.cli._output import console, print_json, rows_table, status, stream_json_rows
from cadre.data.audit import entry_json
from cadre.data.reads import FilterValue
from cadre.errors import CatalogError, ConfigError

app = typer.Typer(
    help="The unified data layer: sources read in place, governed reads, identities, audit.", no_args_is_help=True
)
source_app = typer.Typer(help="Register and remove data sources.", no_args_is_help=True)
app.add_typer(source_app, name="source")

JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")


@source_app.command("add")
def source_add(
    name: str = typer.Argument(..., help="Name to query the source by, e.g. `crm`."),
    uri: str = typer.Argument(
        ...,
        help="sqlite:///file.db, postgresql://…, mysql://…, parquet:///dir-or-glob, "
        "csv:///dir-or-glob, s3://…, iceberg:///…, delta:///…",
    ),
    replace: bool = typer.Option(False, "--replace", help="Point an existing source at a new URI."),
    json_out: bool = JSON,
) -> None:
    """Register a source after checking it can be read (nothing is copied)."""
    info = _context.data_service().add_source(name, uri, replace=replace)
    if json_out:
        print_json({"name": info.name, "uri": info.uri, "kind": info.kind, "tables": list(info.tables)})
    else:
        console.print(f"Added source [bold]{info.name}[/] ({info.kind}) with tables: {', '.join(info.tables)}")


@source_app.command("remove")
def source_remove(name: str, json_out: bool = JSON) -> None:
    """Forget a source (the source itself is untouched)."""
    _context.data_service().remove_source(name)
    if json_out:
        print_json({"removed": name})
    else:
        console.print(f"Removed source [bold]{name}[/]")


@app.command("sources")
def sources(json_out: bool = JSON) -> None:
    """List registered sources with their tables, read from the sources now."""
    listed = _context.data_service().source_status()
    if json_out:
        print_json({"sources": listed})
        return
    table = Table(title="Data sources")
    for column in ("name", "kind", "status", "tables", "uri"):
        table.add_column(column, overflow="fold")
    for s in listed:
        table.add_row(
            s["name"],
            s["kind"],
            s["status"] if not s["error"] else f"[red]{s['error']}[/]",
            ", ".join(s["tables"]),
            s["uri"],
        )
    console.print(table)


@app.command("query")
def query(
    sql: str = typer.Argument(..., help="SQL over the attached sources, e.g. `SELECT count(*) FROM crm.accounts`."),
    json_out: bool = JSON,
    limit: int = typer.Option(50, "--limit", help="Rows shown in the table view (JSON streams every row)."),
) -> None:
    """Run SQL through DuckDB over every source in place (administrators only; audited)."""
    result = _context.data_service().query(sql)
    if json_out:
        stream_json_rows(result.columns, result.batches())
        return
    shown: list[tuple[Any, ...]] = []
    total = 0
    for row in result.rows():
        total += 1
        if len(shown) < limit:
            shown.append(row)
    console.print(
        rows_table(f"{total} row(s)" + (f", first {limit} shown" if total > limit else ""), result.columns, shown)
    )


@app.command("entities")
def entities(
    check: bool = typer.Option(True, "--check/--no-check", help="Check each entity against its source now."),
    json_out: bool = JSON,
) -> None:
    """The semantic catalog: entities, where they live, their fields and identities."""
    data = _context.data_service()
    status = data.catalog_status(check=check)
    listed, identities, problems = status["entities"], status["identities"], status["problems"]
    if json_out:
        print_json(status)
    else:
        _entities_table(data.settings.catalog_file, listed, identities)
    if problems:
        raise CatalogError(
            f"catalog {data.settings.catalog_file} does not match its sources: {problems[0]}"
            + (f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""),
            hint="fix the mapping in the catalog, then run `cadre data entities` again",
        )


def _entities_table(path: Path, listed: list[dict[str, Any]], identities: dict[str, Any]) -> None:
    table = Table(title=f"Catalog {path}")
    for column in ("entity", "source.table", "key", "fields", "status"):
        table.add_column(column, overflow="fold")
    for e in listed:
        status = "[red]" + "; ".join(e["problems"]) + "[/]" if e["problems"] else "ok"
        table.add_row(e["name"], f"{e['source']}.{e['table']}", e["key"], ", ".join(e["fields"]), status)
    console.print(table)
    for name, spec in identities.items():
        console.print(f"Identity [bold]{name}[/]: {', '.join(spec['members'])}")


def _parse_where(pairs: list[str]) -> dict[str, FilterValue]:
    where: dict[str, FilterValue] = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        if not sep or not field.strip():
            raise ConfigError(f"--where must look like `field=value`, got {pair!r}")
        field = field.strip()
        if field in where:  # the same field twice means "any of these values"
            previous = where[field]
            where[field] = [*previous, value] if isinstance(previous, list) else [str(previous), value]
        else:
            where[field] = value
    return where


@app.command("get")
def get(
    entity: str = typer.Argument(..., help="Entity name from the catalog, e.g. `Account`."),
    where: list[str] = typer.Option([], "--where", help="field=value; repeat for more (same field: any of)."),
    principal: str = typer.Option(..., "--as", help="Who is reading: role:NAME, user:KEY or agent:NAME."),
    purpose: str = typer.Option(..., "--purpose", help="Why, e.g. `support` or `sales`."),
    fields: str | None = typer.Option(None, "--fields", help="Comma-separated fields (default: all allowed)."),
    limit: int = typer.Option(100, "--limit", min=1, help="Most rows to return."),
    json_out: bool = JSON,
) -> None:
    """A typed, governed read: policies decide fields, rows and masks; every read is audited."""
    wanted = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
    result = _context.data_service().get(
        entity, principal=principal, purpose=purpose, where=_parse_where(where), fields=wanted, limit=limit
    )
    if json_out:
        print_json(
            {
                "entity": result.entity,
                "policy": result.policy,
                "fields": result.fields,
                "masked": result.masked,
                "row_count": len(result.rows),
                "truncated": result.truncated,
                "rows": result.rows,
            }
        )
        return
    title = f"{entity}: {len(result.rows)} row(s) under policy {result.policy!r}"
    if result.truncated:
        title += f" (more exist; raise --limit above {limit})"
    console.print(rows_table(title, result.fields, [list(r.values()) for r in result.rows]))


@app.command("resolve")
def resolve(
    identity: str | None = typer.Argument(None, help="Identity from the catalog, e.g. `Person`."),
    inputs: list[Path] = typer.Option([], "--input", help="CSV or Parquet file to resolve (repeatable)."),
    id_column: str | None = typer.Option(None, "--id-column", help="Column holding each record's id."),
    threshold: float | None = typer.Option(
        None,
        "--threshold",
        min=0.01,
        max=0.99,
        help="Match probability that links two records "
        "(default: the identity's `threshold` in the catalog, or 0.9 for --input files).",
    ),
    json_out: bool = JSON,
) -> None:
    """Link records of one identity across sources into unified profiles (or resolve files with --input)."""
    if inputs:
        _resolve_files(inputs, id_column, 0.9 if threshold is None else threshold, json_out, identity)
        return
    if identity is None:
        raise ConfigError("name an identity from the catalog (e.g. `Person`), or give files with --input")
    from cadre.data.identity import IdentityService

    data = _context.data_service()
    service = IdentityService(data)
    with status(f"Resolving {identity} across its sources…", quiet=json_out):
        summary = service.resolve(identity, threshold=threshold)
    examples = service.largest_profiles(identity)
    if json_out:
        largest = [{"profile_id": p, "records": n} for p, n in examples]
        print_json({**dataclasses.asdict(summary), "largest_profiles": largest})
        return
    console.print(
        f"[bold]{identity}[/]: {summary.records} records from {summary.records_by_member} → "
        f"{summary.profiles} unified profiles ({summary.multi_record_profiles} link 2+ records), "
        f"{summary.linked_pairs} linked pairs in {summary.seconds:.1f}s"
    )
    for profile_id, size in examples:
        console.print(f"  {profile_id}: {size} records  (cadre data profile {profile_id})")


def _resolve_files(
    inputs: list[Path], id_column: str | None, threshold: float, json_out: bool, identity: str | None
) -> None:
    if identity is not None:
        raise ConfigError("give either an identity name or --input files, not both")
    if not id_column:
        raise ConfigError("--id-column is required with --input (the column holding each record's id)")
    from cadre.data.resolve import resolve_files

    resolution = resolve_files(inputs, id_column=id_column, threshold=threshold)
    payload = {
        "clusters": resolution.clusters,
        "pairs": [{"a": p.a, "b": p.b, "probability": round(p.probability, 6)} for p in resolution.pairs],
    }
    if json_out:
        print_json(payload)
        return
    multi = [c for c in resolution.clusters if len(c) > 1]
    console.print(
        f"{resolution.records} records → {len(resolution.clusters)} clusters "
        f"({len(multi)} with 2+ records), {len(resolution.pairs)} linked pairs "
        f"in {resolution.seconds:.1f}s"
    )
    for cluster in multi[:10]:
        console.print("  " + ", ".join(cluster))


@app.command("profile")
def profile(
    profile_id: str = typer.Argument(..., help="A profile id printed by `cadre data resolve`."),
    principal: str = typer.Option("role:admin", "--as", help="Who is reading."),
    purpose: str = typer.Option("profile_review", "--purpose", help="Why."),
    json_out: bool = JSON,
) -> None:
    """Assemble a unified profile from its linked records, read in place now."""
    from cadre.data.profiles import assemble_profile

    unified = assemble_profile(_context.data_service(), profile_id, principal=principal, purpose=purpose)
    if json_out:
        print_json(unified)
        return
    console.print(f"[bold]{unified.identity} {unified.profile_id}[/]: {len(unified.records)} linked record(s)")
    table = Table(title="Merged fields (freshest value wins)")
    for column in ("field", "value", "from", "updated", "also seen"):
        table.add_column(column, overflow="fold")
    for name, fv in unified.fields.items():
        table.add_row(
            name,
            str(fv.value),
            f"{fv.entity} {fv.record_key} ({fv.source})",
            fv.updated_at or "",
            "; ".join(str(a["value"]) for a in fv.alternatives),
        )
    console.print(table)
    for record in unified.records:
        console.print(f"  {record['entity']} {record['record_key']} in {record['source']}")
    for gone in unified.missing:
        console.print(f"  [yellow]{gone['entity']} {gone['record_key']} is no longer in its source[/]")


@app.command("audit")
def audit(
    verify: bool = typer.Option(False, "--verify", help="Recompute the hash chain and report tampering."),
    limit: int = typer.Option(50, "--limit", min=1, help="Most recent entries to show."),
    principal: str | None = typer.Option(None, "--principal", help="Only entries of this principal."),
    json_out: bool = JSON,
) -> None:
    """The append-only audit log of reads and writes through the data layer."""
    log = _context.data_service().audit
    verification = log.verify() if verify else None
    entries = [entry_json(r) for r in log.entries(limit=limit, principal=principal)]
    if json_out:
        payload: dict[str, object] = {"entries": entries, "total": log.count()}
        if verification is not None:
            payload["verification"] = verification
        print_json(payload)
    else:
        console.print(
            rows_table(
                f"Audit log (last {len(entries)} of {log.count()})",
                ["seq", "at", "principal", "purpose", "entity", "rows", "decision", "policy"],
                [
                    [
                        e["seq"],
                        e["at"],
                        e["principal"],
                        e["purpose"],
                        e["entity"],
                        e["row_count"],
                        e["decision"],
                        e["policy"],
                    ]
                    for e in entries
                ],
            )
        )
        if verification is not None:
            if verification.ok:
                console.print(f"[green]Chain intact[/]: {verification.entries} entries verified.")
            else:
                console.print(f"[red]Chain broken at entry {verification.first_bad_seq}[/]: {verification.reason}")
    if verification is not None and not verification.ok:
        raise typer.Exit(1)
