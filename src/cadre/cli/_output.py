"""How the CLI speaks: JSON on stdout for machines, Rich for people, one-line errors on stderr."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
import math
import sys
import uuid
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


def status(message: str, *, quiet: bool) -> AbstractContextManager[Any]:
    """A spinner for people; nothing when the output is JSON, so stdout stays parseable."""
    return nullcontext() if quiet else console.status(message)


def to_jsonable(value: Any) -> Any:
    """Plain JSON types for anything the data layer returns (dates, decimals, dataclasses, paths)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (uuid.UUID, Path)):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if hasattr(value, "model_dump"):
        return to_jsonable(value.model_dump(mode="json"))
    return value


def dumps(value: Any) -> str:
    return json.dumps(to_jsonable(value), ensure_ascii=False)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def stream_json_rows(columns: Sequence[str], batches: Iterable[Sequence[Sequence[Any]]]) -> int:
    """Write `{"columns": [...], "rows": [...], "row_count": N}` row by row, never holding all rows."""
    out = sys.stdout
    out.write('{"columns": ' + json.dumps(list(columns)) + ', "rows": [')
    count = 0
    for batch in batches:
        for row in batch:
            out.write(("\n  " if count == 0 else ",\n  ") + dumps(list(row)))
            count += 1
        out.flush()
    out.write(("\n" if count else "") + '], "row_count": ' + str(count) + "}\n")
    out.flush()
    return count


def rows_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    """A table of rows, or, when the columns would not fit the terminal, one `field | value` block per row."""
    cells = [["" if v is None else str(to_jsonable(v)) for v in row] for row in rows]
    if len(columns) * 12 <= console.width:
        table = Table(title=title)
        for column in columns:
            table.add_column(str(column), overflow="fold")
        for row in cells:
            table.add_row(*row)
        return table
    table = Table(title=title, show_header=False, show_lines=True)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for row in cells:
        table.add_row("\n".join(map(str, columns)), "\n".join(value.replace("\n", " ") for value in row))
    return table


def exit_invalid(file: Path, problems: list[str], *, json_out: bool) -> NoReturn:
    """Report every problem of a YAML file that did not validate (as JSON, or a list on stderr) and exit 2."""
    import typer

    if json_out:
        print_json({"valid": False, "file": str(file), "problems": problems})
    else:
        err_console.print(f"[bold red]{file}[/]: {len(problems)} problem(s)", highlight=False)
        for problem in problems:
            err_console.print(f"  {problem}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)
