"""`cadre guard scan`: prompt-injection and PII findings for one text or a JSONL batch."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cadre.cli._output import console, dumps, print_json
from cadre.errors import ConfigError

if TYPE_CHECKING:  # the detectors load only when a scan runs
    from cadre.guardrails.injection import InjectionDetector, InjectionVerdict, InputKind

KINDS: tuple[InputKind, ...] = ("user", "document")

app = typer.Typer(help="Guardrails: scan text for prompt injection and personal data.", no_args_is_help=True)


def _finding(text: str, verdict: InjectionVerdict) -> dict[str, Any]:
    from cadre.guardrails.pii import detect_pii

    return {
        "injection": verdict.injection,
        "injection_score": round(verdict.score, 4),
        "reasons": list(verdict.reasons),
        "pii": [{"type": s.type, "start": s.start, "end": s.end} for s in detect_pii(text)],
    }


@app.command("scan")
def scan(
    text: str | None = typer.Argument(None, help="The text to scan."),
    kind: str = typer.Option("user", "--kind", help="`user` (a message) or `document` (retrieved text)."),
    batch: Path | None = typer.Option(None, "--batch", help='JSONL of {"id","text","kind"?}: one result line each.'),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Is there an instruction aimed at the model, and which personal data, with character offsets."""
    from cadre.guardrails.injection import InjectionDetector

    if kind not in KINDS:
        raise ConfigError(f"--kind must be one of {', '.join(KINDS)}, got {kind!r}")
    detector = InjectionDetector()
    if batch is not None:
        if text is not None:
            raise ConfigError("give either a TEXT or --batch FILE, not both")
        _scan_batch(detector, batch)
        return
    if text is None:
        raise ConfigError("give a TEXT, or --batch FILE with one JSON object per line")
    finding = _finding(text, detector.scan(text, kind=kind))
    if json_out:
        print_json(finding)
        return
    verdict = "[bold red]injection[/]" if finding["injection"] else "[green]no injection[/]"
    console.print(f"{verdict} (score {finding['injection_score']:.2f}) {'; '.join(finding['reasons'])}")
    for span in finding["pii"]:
        console.print(f"  {span['type']}: {text[span['start'] : span['end']]!r} at {span['start']}..{span['end']}")


def _scan_batch(detector: InjectionDetector, path: Path) -> None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read --batch file {str(path)!r}: {exc}") from exc
    records: list[tuple[str, str, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            kind = record.get("kind", "user")
            if kind not in KINDS:
                raise ValueError(f"kind must be user or document, got {kind!r}")
            records.append((str(record["id"]), str(record["text"]), kind))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(f'{path}:{number}: each line must be {{"id", "text", "kind"?}} ({exc})') from exc
    # Validated first, then scanned in batches per kind so the embedder sees many windows at once.
    results: dict[int, InjectionVerdict] = {}
    for kind in KINDS:
        chosen = [i for i, r in enumerate(records) if r[2] == kind]
        for i, verdict in zip(chosen, detector.scan_many([records[i][1] for i in chosen], kind=kind), strict=True):
            results[i] = verdict
    for i, (record_id, text, _) in enumerate(records):
        sys.stdout.write(dumps({"id": record_id, **_finding(text, results[i])}) + "\n")
    sys.stdout.flush()
