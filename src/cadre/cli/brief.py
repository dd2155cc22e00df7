"""`cadre brief ACCOUNT --as SELLER`: an account briefing document, read under the seller's own policy."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import typer

from cadre.cli import _context
from cadre.cli._output import err_console, print_json, status
from cadre.errors import ConfigError
from cadre.heroes.briefing import build_briefing, to_markdown, to_pdf

NOW_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"]


class BriefFormat(StrEnum):
    md = "md"
    pdf = "pdf"


def brief(
    account: str = typer.Argument(..., help="Account id (A00012) or name."),
    seller: str = typer.Option(..., "--as", help="The seller it is for: a user id (U0008 or user:U0008)."),
    format: BriefFormat = typer.Option(BriefFormat.md, "--format", help="md or pdf."),
    out: Path | None = typer.Option(None, "--out", help="File to write; default: stdout (md) or brief-ACCOUNT.pdf."),
    competitor: str | None = typer.Option(None, "--competitor", help="Add this competitor's battlecard."),
    now: datetime | None = typer.Option(
        None, "--now", formats=NOW_FORMATS, help="The time the briefing is as of (ISO 8601; UTC unless zoned)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the briefing's content and sources as JSON."),
) -> None:
    """Write an account briefing (summary, health, deals, cases, contacts, touches, battlecards, sources).

    Only accounts of the seller's own team: another team's account exits with code 2."""
    principal = seller if seller.startswith("user:") else f"user:{seller}"
    moment = (now.replace(tzinfo=UTC) if now.tzinfo is None else now) if now else datetime.now(UTC)
    with status("Preparing the briefing…", quiet=as_json or out is None):
        briefing = build_briefing(
            _context.data_service(),
            _context.knowledge(),
            principal=principal,
            account=account,
            now=moment,
            competitor=competitor,
        )
    path = out
    if format is BriefFormat.pdf:
        path = out or Path(f"brief-{briefing.facts.account_id}.pdf")
        if str(path) == "-":
            raise ConfigError("`--out` must be a file for `--format pdf`, got '-'")
        note = to_pdf(briefing, path)
        if note:
            err_console.print(f"[yellow]warning:[/] {note}", highlight=False)
    elif out is not None:
        out.write_text(to_markdown(briefing), encoding="utf-8")
    if as_json:
        print_json({**briefing.to_json(), "format": format.value, "path": str(path) if path else None})
    elif path is None:
        sys.stdout.write(to_markdown(briefing))
    else:
        err_console.print(f"wrote {path}", highlight=False)
