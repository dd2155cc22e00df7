"""The sample company's fixed calendar: a constant "today" and timestamp helpers (epoch seconds, UTC)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

# Every generated timestamp is relative to this instant, so output never depends on the wall clock.
TODAY = datetime(2026, 11, 24, tzinfo=UTC)
NOW = int(TODAY.timestamp())
DAY = 86_400
YEAR = 365 * DAY

Seconds = npt.NDArray[np.int64]


def iso(seconds: int) -> str:
    """ISO 8601 in UTC with a `Z`, e.g. `2026-11-24T09:30:00Z`."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_day(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d")


def iso_many(seconds: Seconds) -> list[str]:
    text = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
    return [f"{value}Z" for value in text.tolist()]


def between(rng: np.random.Generator, start: int | Seconds, end: int | Seconds, size: int) -> Seconds:
    """Uniform instants in [start, end), whole seconds."""
    span = np.maximum(np.asarray(end, dtype=np.int64) - np.asarray(start, dtype=np.int64), 1)
    offset = (rng.random(size) * span).astype(np.int64)
    return np.asarray(start, dtype=np.int64) + offset
