"""Event chunks: past days' live events packed as columns, so a window of weeks is counted in memory, not row by row.

A chunk holds one UTC day of one agent, topic, language and channel: per turn its moment, conversation and person
(64-bit digests), latency, cost, tokens and flags; per other event its kind, moment, conversation, person, value,
scores, who resolved it and when its conversation's first live turn was. That is every input of every figure, so a
long window counts exactly what the SQL over the events counts, for any sub-range, filter, breakdown or series
(`cadre.observability.columnar`). A turn packs into 49 bytes (another event 58) instead of a row and five indexes.

`EventChunks.pack()` (the `cadre.pack_events` periodic job, or `cadre observe pack`) writes the chunks of every past
day that received events since the last pack. A day is packed whole, in one transaction, up to the newest event id
it saw, once no writer in flight can still commit a smaller one; events recorded later for that day (a replayed or
late day) are read from the events table until the next pack rewrites the day. The current day is never packed: it
is still being written.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

import numpy as np
from sqlalchemy import case, delete, func, insert, literal, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from cadre.observability.events import EVENT_KINDS, LIVE_STAGES, RESOLVED_BY, first_live_turn_at
from cadre.observability.tables import EventChunkDayRow, EventChunkRow
from cadre.observability.tables import EventRow as E
from cadre.observability.window import Window
from cadre.store import Database
from cadre.store.base import aware

log = logging.getLogger(__name__)

TURN_COLUMNS = np.dtype(
    [
        ("at", "<f8"),  # seconds since the epoch
        ("conversation", "<i8"),  # `digest` of the conversation id; 0 when none
        ("person", "<i8"),
        ("latency_ms", "<f8"),  # NaN when not measured
        ("cost_usd", "<f8"),
        ("input_tokens", "<i4"),
        ("output_tokens", "<i4"),
        ("flags", "u1"),
    ]
)
OTHER_COLUMNS = np.dtype(
    [
        ("at", "<f8"),
        ("kind", "i1"),  # the position in OTHER_KINDS
        ("conversation", "<i8"),
        ("person", "<i8"),
        ("value", "<f8"),
        ("groundedness", "<f8"),
        ("relevancy", "<f8"),
        ("by", "i1"),  # who resolved a conversation: BY_AGENT, BY_HUMAN or 0
        ("first_turn_at", "<f8"),  # a resolution: its conversation's first live turn; NaN otherwise or unknown
    ]
)
ERROR, FAILOVER, ANSWERED, CITED = 1, 2, 4, 8
BY_AGENT, BY_HUMAN = 1, 2
OTHER_KINDS: tuple[str, ...] = tuple(kind for kind in EVENT_KINDS if kind != "turn")
DAY = timedelta(days=1)
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)  # before any event
_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout expires
Dims = tuple[str | None, str | None, str | None, str | None]  # agent, topic, language, channel


def digest(key: str | None) -> int:
    """A 64-bit digest of an id: distinct counts over digests equal those over ids (a collision among a billion
    ids has odds of about 1 in 40). 0 stands for no id."""
    if key is None:
        return 0
    value = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little", signed=True)
    return value or 1


def day_of(moment: datetime) -> datetime:
    """The UTC midnight starting the moment's day."""
    utc = aware(moment).astimezone(UTC)
    return datetime.combine(utc.date(), time(), tzinfo=UTC)


@dataclass
class Columns:
    """Events as columns, each turn and other event with the index of its dimensions in `dims`."""

    turns: np.ndarray = field(default_factory=lambda: np.empty(0, TURN_COLUMNS))
    others: np.ndarray = field(default_factory=lambda: np.empty(0, OTHER_COLUMNS))
    turn_dims: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))
    other_dims: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))
    dims: list[Dims] = field(default_factory=list)

    @classmethod
    def joined(cls, parts: Sequence[Part]) -> Columns:
        """One set of columns from packed parts; equal dimensions share one index."""
        index: dict[Dims, int] = {}
        for part in parts:
            index.setdefault(part.dims, len(index))
        codes = np.array([index[part.dims] for part in parts], np.int32)
        # One buffer per column set: concatenating thousands of small structured arrays costs more than the counting.
        turns = np.frombuffer(b"".join(part.turns for part in parts), TURN_COLUMNS)
        others = np.frombuffer(b"".join(part.others for part in parts), OTHER_COLUMNS)
        turn_counts = [len(part.turns) // TURN_COLUMNS.itemsize for part in parts]
        other_counts = [len(part.others) // OTHER_COLUMNS.itemsize for part in parts]
        return cls(turns, others, np.repeat(codes, turn_counts), np.repeat(codes, other_counts), list(index))

    def where(self, turns: np.ndarray, others: np.ndarray) -> Columns:
        """The events the two masks keep."""
        return Columns(
            self.turns[turns], self.others[others], self.turn_dims[turns], self.other_dims[others], self.dims
        )


@dataclass(frozen=True)
class Part:
    """Packed columns of one agent, topic, language and channel: TURN_COLUMNS and OTHER_COLUMNS records as bytes."""

    dims: Dims
    turns: bytes
    others: bytes

    @classmethod
    def of(cls, dims: Dims, turns: np.ndarray, others: np.ndarray) -> Part:
        return cls(dims, turns.tobytes(), others.tobytes())

    def between(self, since: datetime, until: datetime) -> Part:
        start, end = since.timestamp(), until.timestamp()
        turns, others = np.frombuffer(self.turns, TURN_COLUMNS), np.frombuffer(self.others, OTHER_COLUMNS)
        return Part.of(
            self.dims,
            turns[(turns["at"] >= start) & (turns["at"] < end)],
            others[(others["at"] >= start) & (others["at"] < end)],
        )


# ---------------------------------------------------------------------------------------------------- from events

_EVENT_COLUMNS = (
    E.id,
    E.at,
    E.kind,
    E.agent,
    E.topic,
    E.language,
    E.channel,
    E.conversation_id,
    E.person,
    E.outcome,
    E.latency_ms,
    E.cost_usd,
    E.input_tokens,
    E.output_tokens,
    E.value,
    E.groundedness,
    E.relevancy,
    E.cited,
    E.error,
    E.failover,
    RESOLVED_BY.label("by"),
    # Only for resolutions: time to resolution needs the conversation's first turn.
    case((E.kind == "conversation_resolved", first_live_turn_at(E.conversation_id))).label("first_turn_at"),
)
_PACKED = select(EventChunkDayRow.day, EventChunkDayRow.through_id)
_KIND_CODE = {kind: code for code, kind in enumerate(OTHER_KINDS)}
_NAN = float("nan")


def _epoch(value: Any) -> float:
    if value is None:
        return _NAN
    # An aggregate over a timestamp comes back from SQLite as text.
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return aware(moment).timestamp()


def _number(value: Any) -> float:
    return _NAN if value is None else float(value)


def _flags(row: Any) -> int:
    answered = row.outcome == "answered"
    return (
        (ERROR if row.error else 0)
        | (FAILOVER if row.failover else 0)
        | (ANSWERED if answered else 0)
        | (CITED if answered and row.cited else 0)
    )


def columns_of(rows: Iterable[Any]) -> list[Part]:
    """Event rows (selected with `_EVENT_COLUMNS`) as columns, one part per agent, topic, language and channel."""
    turns: dict[Dims, list[tuple[Any, ...]]] = {}
    others: dict[Dims, list[tuple[Any, ...]]] = {}
    for row in rows:
        dims = (row.agent, row.topic, row.language, row.channel)
        at, conversation, person = _epoch(row.at), digest(row.conversation_id), digest(row.person)
        values: tuple[Any, ...]
        if row.kind == "turn":
            values = (
                at,
                conversation,
                person,
                _number(row.latency_ms),
                _number(row.cost_usd),
                row.input_tokens or 0,
                row.output_tokens or 0,
                _flags(row),
            )
            turns.setdefault(dims, []).append(values)
            others.setdefault(dims, [])
        else:
            by = {"agent": BY_AGENT, "human": BY_HUMAN}.get(row.by or "", 0)
            values = (
                at,
                _KIND_CODE[row.kind],
                conversation,
                person,
                _number(row.value),
                _number(row.groundedness),
                _number(row.relevancy),
                by,
                _epoch(row.first_turn_at),
            )
            others.setdefault(dims, []).append(values)
            turns.setdefault(dims, [])
    return [
        Part.of(dims, np.array(turns[dims], dtype=TURN_COLUMNS), np.array(others[dims], dtype=OTHER_COLUMNS))
        for dims in turns
    ]


def _stored(value: str | None) -> str:
    return value or ""


def _read(value: str) -> str | None:
    return value or None


def _live_events(*conditions: Any) -> Any:
    return select(*_EVENT_COLUMNS).where(E.stage.in_(LIVE_STAGES), *conditions)


# ---------------------------------------------------------------------------------------------------- the store


@dataclass(frozen=True)
class PackReport:
    days: int = 0  # days (re)packed
    events: int = 0
    chunks: int = 0
    through_id: int = 0
    deferred: bool = False  # writers in flight outlasted the wait: nothing packed, the next pass tries again

    def to_json(self) -> dict[str, int | bool]:
        return {
            "days": self.days,
            "events": self.events,
            "chunks": self.chunks,
            "through_id": self.through_id,
            "deferred": self.deferred,
        }


class EventChunks:
    """The packed days of the event store: `pack()` writes them, `columns(window)` reads a window back as columns."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # --------------------------------------------------------------------------------------------- writing

    def pack(self, *, now: datetime | None = None, wait_s: float = 1.0) -> PackReport:
        """Pack every day before today (UTC) that has live events not yet in its chunks. Safe to run again, and
        two passes at once only repeat work: each day is replaced whole in its own transaction. A pass that
        waits more than `wait_s` for the event writers in flight packs nothing and leaves it to the next (while
        it waits, new event writes queue behind it: the wait stays short)."""
        today = day_of(now or datetime.now(UTC))
        newest = self._settled_newest(wait_s)
        if newest is None:
            log.warning("events are being written in a long transaction: packing waits for the next pass")
            return PackReport(deferred=True)
        with self._db.session() as session:
            packed = {day_of(day): through for day, through in session.execute(_PACKED)}
            live = (E.at < today, E.stage.in_(LIVE_STAGES))
            # Events recorded since the last pack, through the primary key, and the days after the last packed one
            # (the first pack, or a day that was still today then), through the time index.
            recent = select(E.at).where(E.id > min(packed.values(), default=0), E.id <= newest, *live)
            unpacked = select(E.at).where(E.at >= max(packed, default=EARLIEST) + DAY, E.id <= newest, *live)
            dirty = sorted({day_of(at) for query in (recent, unpacked) for at in session.scalars(query)})
        report = PackReport(through_id=newest)
        for day in dirty:
            try:
                events, chunks = self._pack_day(day, newest)
            except (IntegrityError, OperationalError) as exc:
                # Another pass wrote the day first (the unique key or SQLite's write lock said so): it is packed.
                log.warning("day %s was packed by another pass: %s", day.date(), str(exc).splitlines()[0])
                continue
            report = PackReport(report.days + 1, report.events + events, report.chunks + chunks, newest)
        self.raise_through(newest)
        if report.days:
            log.info("packed %d days (%d events, %d chunks)", report.days, report.events, report.chunks)
        return report

    def _settled_newest(self, wait_s: float) -> int | None:
        """The newest event id below which no event can appear any more, or None when that cannot be known within
        `wait_s`. PostgreSQL hands out ids before commit, so a transaction still open (an import of past days, say)
        may commit a smaller id after a larger one: a pack through the larger one would never read it. A SHARE lock
        on the events waits for the writers in flight and holds new ones back while the newest id is read; new
        writers then take larger ids. SQLite writes one transaction at a time, in id order."""
        try:
            with self._db.session() as session:
                if session.connection().dialect.name == "postgresql":
                    session.execute(text(f"SET LOCAL lock_timeout = '{max(1, round(wait_s * 1000))}ms'"))
                    session.execute(text(f"LOCK TABLE {E.__tablename__} IN SHARE MODE"))
                return session.scalar(select(func.max(E.id))) or 0
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
                return None
            raise

    def raise_through(self, newest: int) -> None:
        """Every packed day holds its events up to `newest`, which a pass that scanned the events up to it knows:
        a later one would have made the day dirty. Only ever raised: a pass that started later may have packed a
        day further already."""
        with self._db.session() as session:
            session.execute(
                update(EventChunkDayRow).where(EventChunkDayRow.through_id < newest).values(through_id=newest)
            )

    def _pack_day(self, day: datetime, through_id: int) -> tuple[int, int]:
        with self._db.session() as session:
            rows = session.execute(_live_events(E.at >= day, E.at < day + DAY, E.id <= through_id)).all()
            parts = columns_of(rows)
            session.execute(delete(EventChunkRow).where(EventChunkRow.day == day))
            session.execute(delete(EventChunkDayRow).where(EventChunkDayRow.day == day))
            if parts:
                session.execute(
                    insert(EventChunkRow),
                    [
                        {
                            "day": day,
                            "agent": part.dims[0],
                            "topic": _stored(part.dims[1]),
                            "language": _stored(part.dims[2]),
                            "channel": _stored(part.dims[3]),
                            "turns": len(part.turns) // TURN_COLUMNS.itemsize,
                            "others": len(part.others) // OTHER_COLUMNS.itemsize,
                            "turn_columns": part.turns,
                            "other_columns": part.others,
                        }
                        for part in parts
                    ],
                )
            packed_at = datetime.now(UTC)
            session.execute(
                insert(EventChunkDayRow),
                [{"day": day, "through_id": through_id, "events": len(rows), "packed_at": packed_at}],
            )
        return len(rows), len(parts)

    # --------------------------------------------------------------------------------------------- reading

    def packed_days(self, since: datetime, until: datetime) -> dict[datetime, int]:
        """The packed days overlapping [since, until), each with the event id its chunks hold events up to."""
        with self._db.session() as session:
            rows = session.execute(
                select(EventChunkDayRow.day, EventChunkDayRow.through_id).where(
                    EventChunkDayRow.day > since - DAY, EventChunkDayRow.day < until
                )
            )
            return {day_of(day): through for day, through in rows}

    def columns(self, window: Window, *, dimensions: bool = True, turns_only: bool = False) -> Columns:
        """Every live event of the window (of its agent, topic, language and channel unless `dimensions` is
        False; only its turns if `turns_only`) as columns: packed days from their chunks, the rest from the events
        table."""
        since, until = window.since.astimezone(UTC), window.until.astimezone(UTC)
        packed = self.packed_days(since, until)
        wanted = window.filters if dimensions else {}
        parts: list[Part] = []
        with self._db.session() as session:
            if packed:
                chunks = select(
                    EventChunkRow.day,
                    EventChunkRow.agent,
                    EventChunkRow.topic,
                    EventChunkRow.language,
                    EventChunkRow.channel,
                    EventChunkRow.turn_columns,
                    (literal(b"") if turns_only else EventChunkRow.other_columns).label("other_columns"),
                ).where(
                    EventChunkRow.day.in_(list(packed)), *(getattr(EventChunkRow, k) == v for k, v in wanted.items())
                )
                for row in _rows(session, chunks):
                    dims = (row.agent, _read(row.topic), _read(row.language), _read(row.channel))
                    part = Part(dims, row.turn_columns, row.other_columns)
                    day = day_of(row.day)
                    parts.append(part if since <= day and day + DAY <= until else part.between(since, until))
            filters = [getattr(E, k) == v for k, v in wanted.items()] + ([E.kind == "turn"] if turns_only else [])
            for start, end in _gaps(since, until, sorted(packed)):
                parts += columns_of(session.execute(_live_events(E.at >= start, E.at < end, *filters)))
            if packed:
                # Events recorded for a packed day after its pack, through the primary key.
                late = session.execute(
                    _live_events(E.id > min(packed.values()), E.at >= since, E.at < until, *filters)
                ).all()
                parts += columns_of(row for row in late if packed.get(day_of(row.at), row.id) < row.id)
        return Columns.joined(parts)


def _rows(session: Session, statement: Select[*tuple[Any, ...]]) -> Iterable[Any]:
    """The statement's rows, bytes in binary on PostgreSQL: its text format would send every chunk as hex, twice the
    bytes and four times the time."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return session.execute(statement)
    from psycopg.rows import namedtuple_row

    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    driver = connection.connection.driver_connection
    with driver.cursor(binary=True, row_factory=namedtuple_row) as cursor:  # type: ignore[union-attr]
        cursor.execute(str(compiled), compiled.params)
        rows: list[Any] = cursor.fetchall()
    return rows


def _gaps(since: datetime, until: datetime, days: Sequence[datetime]) -> list[tuple[datetime, datetime]]:
    """The parts of [since, until) outside the given (sorted) days."""
    gaps, start = [], since
    for day in days:
        if day > start:
            gaps.append((start, min(day, until)))
        start = max(start, day + DAY)
    if start < until:
        gaps.append((start, until))
    return [(a, b) for a, b in gaps if a < b]
