"""Measure one command's peak memory and time, apart from everything else the benchmark process ran."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def peak_rss(command: list[str], env: dict[str, str], *, keep_output: bool = False) -> tuple[float, float, str]:
    """(peak resident MB, seconds, stdout if kept) of `command`.

    A fresh intermediate Python runs it, so RUSAGE_CHILDREN there covers this one command and no earlier
    child of the benchmark process.
    """
    output = "subprocess.PIPE" if keep_output else "subprocess.DEVNULL"
    probe = (
        "import resource, subprocess, sys; "
        f"done = subprocess.run(sys.argv[1:], check=True, stdout={output}, text=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print(done.stdout or '')"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe, *command], env=env, check=True, capture_output=True, text=True)
    first, _, rest = done.stdout.partition("\n")
    return int(first) / 1024, time.perf_counter() - started, rest


def save_results(results: dict[str, Any], out: Path, *, started: float, table: Callable[[dict[str, Any]], str]) -> None:
    """A benchmark's command-line ending: its run time recorded, its JSON written to `out`, its table printed."""
    results["bench_seconds"] = round(time.perf_counter() - started, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(table(results))
