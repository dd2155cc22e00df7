"""The dashboard's counts over events held as columns: what `cadre.observability.figures` counts with SQL over the
events table, counted with numpy over packed chunks (`cadre.observability.chunks`), field for field.

Distinct counts are over 64-bit digests of the ids; percentiles interpolate between closest ranks like PostgreSQL's
`percentile_cont`; a conversation-level event counts under the topic, language and channel it carries.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from cadre.observability.chunks import (
    ANSWERED,
    BY_AGENT,
    BY_HUMAN,
    CITED,
    EARLIEST,
    ERROR,
    FAILOVER,
    OTHER_KINDS,
    Columns,
    EventChunks,
)
from cadre.observability.tally import PERCENTILES, Latency, Tally, interpolated
from cadre.observability.window import DIMENSIONS, Window

_KIND = {kind: code for code, kind in enumerate(OTHER_KINDS)}
_ENDINGS = [_KIND[kind] for kind in ("conversation_resolved", "conversation_handed_off", "conversation_abandoned")]


@dataclass(frozen=True)
class Buckets:
    """A series' grouping: `count` equal slices of the window starting at `since`."""

    since: datetime
    width: timedelta
    count: int


Grouping = str | Buckets | None  # one of DIMENSIONS, time buckets, or the whole window


def _distinct(values: np.ndarray) -> int:
    # Sorting and counting the steps is many times faster than np.unique's hash table on a million digests.
    ordered = np.sort(values[values != 0])
    return int(np.count_nonzero(ordered[1:] != ordered[:-1])) + 1 if ordered.size else 0


def _count(mask: np.ndarray) -> int:
    return int(np.count_nonzero(mask))


def _mean(values: np.ndarray) -> float | None:
    present = values[~np.isnan(values)]
    return float(present.mean()) if present.size else None


def tally(columns: Columns) -> Tally:
    """The window's `Tally`, as `figures._tallies` counts it over the events table."""
    turns, others = columns.turns, columns.others
    flags, kind = turns["flags"], others["kind"]

    def of(name: str) -> np.ndarray:
        chosen: np.ndarray = others[kind == _KIND[name]]
        return chosen

    scored, csat, resolved, leads, meetings = (
        of(name) for name in ("turn_scored", "csat_given", "conversation_resolved", "lead_touched", "meeting_booked")
    )
    scores = csat["value"][~np.isnan(csat["value"])]
    return Tally(
        turns=len(turns),
        conversations=_distinct(turns["conversation"]),
        users=_distinct(turns["person"]),
        failed=_count(flags & ERROR),
        failovers=_count(flags & FAILOVER),
        cost_usd=float(np.nansum(turns["cost_usd"])),
        input_tokens=int(turns["input_tokens"].sum(dtype=np.int64)),
        output_tokens=int(turns["output_tokens"].sum(dtype=np.int64)),
        answered=_count(flags & ANSWERED),
        cited=_count(flags & CITED),
        scored=len(scored),
        groundedness=_mean(scored["groundedness"]),
        relevancy=_mean(scored["relevancy"]),
        csat_responses=len(scores),
        csat_total=float(scores.sum()),
        **{f"csat_{n}": _count((scores >= n - 0.5) & (scores < n + 0.5)) for n in range(1, 6)},
        rated=_distinct(csat["conversation"]),
        ended=_distinct(others["conversation"][np.isin(kind, _ENDINGS)]),
        deflected=_distinct(resolved["conversation"][resolved["by"] == BY_AGENT]),
        resolved_by_human=_distinct(resolved["conversation"][resolved["by"] == BY_HUMAN]),
        escalated=_distinct(of("conversation_handed_off")["conversation"]),
        abandoned=_distinct(of("conversation_abandoned")["conversation"]),
        lead_touches=len(leads),
        leads=_distinct(leads["person"]),
        emails=len(of("email_sent")),
        meetings=len(meetings),
        pipeline_usd=float(np.nansum(meetings["value"])),
    )


def latency(columns: Columns) -> Latency:
    measured = columns.turns["latency_ms"]
    ordered = np.sort(measured[~np.isnan(measured)])
    if not ordered.size:
        return Latency()
    p50, p95 = (interpolated(ordered, q) for q in PERCENTILES)  # type: ignore[arg-type]  # an array is a sequence
    return Latency(p50, p95)


def _mix(person: np.ndarray, conversation: np.ndarray) -> np.ndarray:
    """One 64-bit key per (person, conversation) pair (multiplication wraps, as a hash should)."""
    with np.errstate(over="ignore"):
        return person ^ (conversation * np.int64(-7046029254386353131))


def _pairs(turns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each person's distinct conversations as (person, pair key), the pairs without a person or conversation left
    out."""
    known = (turns["person"] != 0) & (turns["conversation"] != 0)
    people, conversations = turns["person"][known], turns["conversation"][known]
    keys, first = np.unique(_mix(people, conversations), return_index=True)
    return people[first], keys


def returning_users(window: Columns, before: Columns) -> int:
    """People active in the window with two conversations in it, or one in it and another before it."""
    people, pair_keys = _pairs(window.turns)
    distinct_people, conversations = np.unique(people, return_counts=True)
    several = _count(conversations > 1)
    once = np.isin(people, distinct_people[conversations == 1])
    single_people, single_keys = people[once], pair_keys[once]
    earlier_people, earlier_keys = _pairs(before.turns)
    known, counts = np.unique(earlier_people, return_counts=True)
    earlier = np.zeros(single_people.size, np.int64)
    if known.size:
        at = np.minimum(np.searchsorted(known, single_people), known.size - 1)
        hit = known[at] == single_people
        earlier[hit] = counts[at[hit]]
    other_earlier = earlier - np.isin(single_keys, earlier_keys)  # a conversation begun before the window is one
    return several + _count(other_earlier > 0)


def resolution_seconds(columns: Columns) -> float | None:
    """Mean time from a conversation's first live turn to its first resolution in the window."""
    resolved = columns.others[(columns.others["kind"] == _KIND["conversation_resolved"])]
    resolved = resolved[resolved["conversation"] != 0]
    if not resolved.size:
        return None
    resolved = resolved[np.lexsort((resolved["at"], resolved["conversation"]))]
    _, first = np.unique(resolved["conversation"], return_index=True)
    return _mean(resolved["at"][first] - resolved["first_turn_at"][first])


# ---------------------------------------------------------------------------------------------------- grouping


def _keys(columns: Columns, grouping: Grouping) -> tuple[np.ndarray, np.ndarray, list[Hashable]]:
    """Each turn's and other event's group, as an index into the returned group values."""
    if isinstance(grouping, Buckets):
        start, width = grouping.since.timestamp(), grouping.width.total_seconds()

        def bucket(at: np.ndarray) -> np.ndarray:
            return np.minimum(((at - start) / width).astype(np.int64), grouping.count - 1)

        return bucket(columns.turns["at"]), bucket(columns.others["at"]), list(range(grouping.count))
    position = DIMENSIONS.index(grouping or "agent")
    values: list[Hashable] = sorted({dims[position] for dims in columns.dims}, key=lambda v: (v is None, str(v)))
    code = np.array([values.index(dims[position]) for dims in columns.dims] or [0], np.int64)
    return code[columns.turn_dims], code[columns.other_dims], values


def grouped(columns: Columns, grouping: Grouping) -> dict[Hashable, Columns]:
    """The columns split by `grouping` (None: one group, keyed None); groups without an event are left out."""
    if grouping is None:
        return {None: columns}
    turn_keys, other_keys, values = _keys(columns, grouping)
    # One sort per column set, then each group is a slice of it, not a mask over every event.
    turn_order, other_order = np.argsort(turn_keys, kind="stable"), np.argsort(other_keys, kind="stable")
    turns, others = columns.turns[turn_order], columns.others[other_order]
    turn_dims, other_dims = columns.turn_dims[turn_order], columns.other_dims[other_order]
    turn_keys, other_keys = turn_keys[turn_order], other_keys[other_order]
    groups: dict[Hashable, Columns] = {}
    for index in np.union1d(turn_keys, other_keys):
        t = slice(*np.searchsorted(turn_keys, [index, index + 1]))
        o = slice(*np.searchsorted(other_keys, [index, index + 1]))
        groups[values[int(index)]] = Columns(turns[t], others[o], turn_dims[t], other_dims[o], columns.dims)
    return groups


class PackedCounts:
    """A window's counts from the packed chunks (and the events not packed yet), as `figures` asks for them."""

    def __init__(self, chunks: EventChunks, window: Window) -> None:
        self._chunks = chunks
        self._window = window
        everything = chunks.columns(window, dimensions=False)
        self.all_turns = len(everything.turns)
        self.columns = _matching(everything, window)
        self._groups: dict[Grouping, dict[Hashable, Columns]] = {}

    def _grouped(self, grouping: Grouping) -> dict[Hashable, Columns]:
        if grouping not in self._groups:  # tallies and latencies of one grouping split the events once
            self._groups[grouping] = grouped(self.columns, grouping)
        return self._groups[grouping]

    def tallies(self, grouping: Grouping) -> dict[Any, Tally]:
        return {key: tally(part) for key, part in self._grouped(grouping).items()}

    def latencies(self, grouping: Grouping) -> dict[Any, Latency]:
        return {key: latency(part) for key, part in self._grouped(grouping).items()}

    def returning_users(self) -> int:
        history = Window(since=EARLIEST, until=self._window.since, **self._window.filters)
        return returning_users(self.columns, self._chunks.columns(history, turns_only=True))

    def resolution_seconds(self) -> float | None:
        return resolution_seconds(self.columns)


def _matching(columns: Columns, window: Window) -> Columns:
    """The events of the window's agent, topic, language and channel (those it names)."""
    wanted = [(DIMENSIONS.index(name), value) for name, value in window.filters.items()]
    if not wanted:
        return columns
    keep = np.array([all(dims[p] == v for p, v in wanted) for dims in columns.dims] or [False])
    return columns.where(keep[columns.turn_dims], keep[columns.other_dims])
