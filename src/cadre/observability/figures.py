"""The dashboard's figures, counted with SQL over the live events of a window: summary, breakdowns, series, pages.

Only events of the live stages (production, pilot: what customers saw) count. The counts of a window come from two
passes of aggregates (`Tally`): one over its turns, one over its other events; latency percentiles, returning users
and time to resolution take one more query each. Conversation-level events (resolved, handed off, abandoned,
CSAT) count under the topic, language and channel they carry. The formulas are in docs/observability.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args

from sqlalchemy import ColumnElement, Float, Integer, Select, and_, case, cast, distinct, exists, func, or_, select
from sqlalchemy.orm import Session

from cadre.errors import CadreError, ConfigError
from cadre.observability.chunks import EventChunks
from cadre.observability.columnar import Buckets, Grouping, PackedCounts
from cadre.observability.config import ObservabilityConfig
from cadre.observability.events import EVENT_KINDS, LIVE_STAGES, RESOLVED_BY, first_live_turn_at
from cadre.observability.roi import Work, return_on_investment
from cadre.observability.score import performance_score
from cadre.observability.tables import EventRow as E
from cadre.observability.tally import PERCENTILES, Latency, Tally, interpolated, rate
from cadre.observability.window import DIMENSIONS, Window
from cadre.store import Database
from cadre.store.base import aware

_ENDINGS = ("conversation_resolved", "conversation_handed_off", "conversation_abandoned")


class UnknownMetric(CadreError):
    """A metric or breakdown name the dashboard does not compute."""


def _count(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _distinct(condition: ColumnElement[bool], column: Any) -> ColumnElement[Any]:
    return func.count(distinct(case((condition, column))))


_TURN = E.kind == "turn"
_SCORED = E.kind == "turn_scored"
_CSAT = E.kind == "csat_given"
_RESOLVED = E.kind == "conversation_resolved"
# Turns are most of the events: their figures are plain aggregates over the turn rows alone, and the other kinds
# (a fraction of the rows) are counted apart, so no turn row pays for the conditions of the rarer kinds.
_TURN_AGGREGATES: dict[str, ColumnElement[Any]] = {
    "turns": func.count(),
    "conversations": func.count(distinct(E.conversation_id)),
    "users": func.count(distinct(E.person)),
    "failed": _count(E.error.is_(True)),
    "failovers": _count(E.failover.is_(True)),
    "cost_usd": func.coalesce(func.sum(E.cost_usd), 0.0),
    "input_tokens": func.coalesce(func.sum(E.input_tokens), 0),
    "output_tokens": func.coalesce(func.sum(E.output_tokens), 0),
    "answered": _count(E.outcome == "answered"),
    "cited": _count(and_(E.outcome == "answered", E.cited)),
}
_OTHER_AGGREGATES: dict[str, ColumnElement[Any]] = {
    "scored": _count(_SCORED),
    "groundedness": func.avg(case((_SCORED, E.groundedness))),
    "relevancy": func.avg(case((_SCORED, E.relevancy))),
    "csat_responses": _count(and_(_CSAT, E.value.is_not(None))),
    "csat_total": func.coalesce(func.sum(case((_CSAT, E.value))), 0.0),
    **{f"csat_{n}": _count(and_(_CSAT, E.value >= n - 0.5, E.value < n + 0.5)) for n in range(1, 6)},
    "rated": _distinct(_CSAT, E.conversation_id),
    "ended": _distinct(E.kind.in_(_ENDINGS), E.conversation_id),
    "deflected": _distinct(and_(_RESOLVED, RESOLVED_BY == "agent"), E.conversation_id),
    "resolved_by_human": _distinct(and_(_RESOLVED, RESOLVED_BY == "human"), E.conversation_id),
    "escalated": _distinct(E.kind == "conversation_handed_off", E.conversation_id),
    "abandoned": _distinct(E.kind == "conversation_abandoned", E.conversation_id),
    "lead_touches": _count(E.kind == "lead_touched"),
    "leads": _distinct(E.kind == "lead_touched", E.person),
    "emails": _count(E.kind == "email_sent"),
    "meetings": _count(E.kind == "meeting_booked"),
    "pipeline_usd": func.coalesce(func.sum(case((E.kind == "meeting_booked", E.value))), 0.0),
}
_OTHER_KINDS = tuple(kind for kind in EVENT_KINDS if kind != "turn")


# ---------------------------------------------------------------------------------------------------- SQL pieces


def _utc(moment: datetime) -> datetime:
    # SQLite compares timestamps as text written in UTC: a bound moment in another zone must be converted first.
    return moment.astimezone(UTC)


def _conditions(window: Window) -> list[ColumnElement[bool]]:
    conditions = [E.at >= _utc(window.since), E.at < _utc(window.until), E.stage.in_(LIVE_STAGES)]
    return conditions + [getattr(E, name) == value for name, value in window.filters.items()]


def _epoch(column: Any, dialect: str) -> ColumnElement[float]:
    if dialect == "postgresql":
        return cast(func.extract("epoch", column), Float)
    # julianday() is off by microseconds, enough to put an event on the hour in the hour before.
    return func.unixepoch(column, "subsec")


def _bucket(window: Window, buckets: int, dialect: str) -> ColumnElement[int]:
    width = window.length.total_seconds() / buckets
    position = (_epoch(E.at, dialect) - _utc(window.since).timestamp()) / width
    # PostgreSQL rounds a cast to integer where SQLite truncates; positions are never negative here.
    return cast(func.floor(position), Integer) if dialect == "postgresql" else cast(position, Integer)


def _tallies(session: Session, window: Window, group: ColumnElement[Any] | None) -> dict[Any, Tally]:
    counted: dict[Any, dict[str, Any]] = {}
    for kinds, aggregates in (((E.kind == "turn"), _TURN_AGGREGATES), (E.kind.in_(_OTHER_KINDS), _OTHER_AGGREGATES)):
        columns = [expression.label(name) for name, expression in aggregates.items()]
        query: Select[Any] = select(*columns).where(*_conditions(window), kinds)
        if group is not None:
            query = query.add_columns(group.label("key")).group_by(group)
        for row in session.execute(query):
            key = row.key if group is not None else None
            counted.setdefault(key, {}).update(row._mapping)
    if group is None:
        return {None: Tally.of(counted.get(None, {}))}
    return {key: Tally.of(values) for key, values in counted.items()}


def _latencies(session: Session, window: Window, group: ColumnElement[Any] | None, dialect: str) -> dict[Any, Latency]:
    conditions = [*_conditions(window), _TURN, E.latency_ms.is_not(None)]
    key = group.label("key") if group is not None else None
    if dialect == "postgresql":
        cuts = [func.percentile_cont(q).within_group(E.latency_ms).label(f"q{i}") for i, q in enumerate(PERCENTILES)]
        query = select(*cuts, *([key] if key is not None else [])).where(*conditions)
        if group is not None:
            query = query.group_by(group)
        return {
            (row.key if group is not None else None): Latency(*(_float(getattr(row, f"q{i}")) for i in range(2)))
            for row in session.execute(query)
        }
    # SQLite has no percentile aggregate: the latency column alone comes back, and is ordered here.
    found: dict[Any, list[float]] = {}
    if group is None:
        found[None] = list(session.scalars(select(E.latency_ms).where(*conditions)))
    else:
        for row in session.execute(select(group, E.latency_ms).where(*conditions)):
            found.setdefault(row[0], []).append(row[1])
    result = {}
    for name, values in found.items():
        values.sort()
        result[name] = Latency(*(interpolated(values, q) for q in PERCENTILES))
    return result


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _returning_users(session: Session, window: Window) -> int:
    """People active in the window with more than one conversation up to its end: two in the window, or one before.

    The look back goes through the person index, one probe per person, so it costs what the window holds however
    long the history."""
    active = (
        select(
            E.person,
            func.count(distinct(E.conversation_id)).label("conversations"),
            func.min(E.conversation_id).label("conversation_id"),
        )
        .where(*_conditions(window), _TURN, E.person.is_not(None))
        .group_by(E.person)
        .subquery()
    )
    earlier = E.__table__.alias("earlier")
    before = [
        earlier.c.person == active.c.person,
        earlier.c.kind == "turn",
        earlier.c.stage.in_(LIVE_STAGES),
        earlier.c.at < _utc(window.since),
        earlier.c.conversation_id != active.c.conversation_id,
    ]
    before += [earlier.c[name] == value for name, value in window.filters.items()]
    returning = or_(active.c.conversations > 1, exists().where(*before))
    return int(session.scalar(select(func.count()).select_from(active).where(returning)) or 0)


def _resolution_seconds(session: Session, window: Window, dialect: str) -> float | None:
    """Mean time from a conversation's first live turn to its resolution, over conversations resolved in the window."""
    resolved = (
        select(E.conversation_id, func.min(E.at).label("resolved_at"))
        .where(*_conditions(window), _RESOLVED, E.conversation_id.is_not(None))
        .group_by(E.conversation_id)
        .subquery()
    )
    first = first_live_turn_at(resolved.c.conversation_id)
    seconds = _epoch(resolved.c.resolved_at, dialect) - _epoch(first, dialect)
    return _float(session.scalar(select(func.avg(seconds)).select_from(resolved)))


def _all_live_turns(session: Session, window: Window) -> int:
    whole = Window(since=window.since, until=window.until)
    return int(session.scalar(select(func.count()).where(*_conditions(whole), _TURN)) or 0)


class _EventCounts:
    """A window's counts with SQL over the events table: exact to the moment, for windows of a few days."""

    def __init__(self, session: Session, window: Window, dialect: str) -> None:
        self._session, self._window, self._dialect = session, window, dialect

    def _group(self, grouping: Grouping) -> ColumnElement[Any] | None:
        if isinstance(grouping, Buckets):
            return _bucket(self._window, grouping.count, self._dialect)
        return None if grouping is None else getattr(E, grouping)

    def tallies(self, grouping: Grouping) -> dict[Any, Tally]:
        return _tallies(self._session, self._window, self._group(grouping))

    def latencies(self, grouping: Grouping) -> dict[Any, Latency]:
        return _latencies(self._session, self._window, self._group(grouping), self._dialect)

    def returning_users(self) -> int:
        return _returning_users(self._session, self._window)

    def resolution_seconds(self) -> float | None:
        return _resolution_seconds(self._session, self._window, self._dialect)

    @property
    def all_turns(self) -> int:
        return _all_live_turns(self._session, self._window)


Counts = _EventCounts | PackedCounts
Source = Literal["auto", "events", "chunks"]
SOURCES: tuple[Source, ...] = get_args(Source)
PACKED_FROM = timedelta(hours=48)  # longer windows are counted from the packed chunks of their past days


@contextmanager
def counting(db: Database, window: Window, source: Source = "auto") -> Iterator[Counts]:
    """The window's counts from the events table or the packed chunks: `auto` takes the chunks for windows longer
    than `PACKED_FROM` that reach a packed day, the events table otherwise. Both count the same figures."""
    if source not in SOURCES:
        raise ConfigError(f"a figures source must be one of {', '.join(SOURCES)}, got {source!r}")
    chunks = EventChunks(db)
    if source == "chunks" or (
        source == "auto"
        and window.length > PACKED_FROM
        and chunks.packed_days(window.since.astimezone(UTC), window.until.astimezone(UTC))
    ):
        yield PackedCounts(chunks, window)
        return
    with db.session() as session:
        yield _EventCounts(session, window, db.dialect)


def _share(counts: Counts, window: Window, turns: int) -> float:
    if not window.filters:
        return 1.0
    return rate(turns, counts.all_turns) or 0.0


# ---------------------------------------------------------------------------------------------------- metrics

MetricOf = Callable[[Tally, Latency, ObservabilityConfig], float | None]


def _score_inputs(tally: Tally, latency: Latency) -> dict[str, float | None]:
    return {
        "deflection_rate": tally.deflection_rate,
        "groundedness": tally.groundedness,
        "relevancy": tally.relevancy,
        "csat": tally.csat,
        "latency_p95_ms": latency.p95_ms,
        "error_rate": tally.error_rate if tally.turns else None,
    }


METRICS: dict[str, str] = {
    "conversations": "conversations with at least one live turn in the window",
    "turns": "live turns in the window",
    "deflection_rate": "conversations resolved by the agent / conversations ended (resolved, handed off, abandoned)",
    "escalation_rate": "conversations handed off to a person / conversations ended",
    "abandonment_rate": "conversations the customer left / conversations ended",
    "groundedness": "average groundedness (0..1) of the sampled, scored live turns",
    "relevancy": "average answer relevancy (0..1) of the sampled, scored live turns",
    "citation_rate": "answered turns citing a source / answered turns",
    "csat": "average CSAT answer (1..5)",
    "error_rate": "failed turns / turns",
    "failover_rate": "turns answered after a model failover / turns",
    "latency_p50_ms": "median turn latency in milliseconds",
    "latency_p95_ms": "95th percentile of turn latency in milliseconds",
    "cost_per_conversation_usd": "model cost (tokens * price) / conversations",
    "score": "the overall performance score, 0..100 (see cadre.observability.score)",
}
_METRIC_OF: dict[str, MetricOf] = {
    "conversations": lambda t, _l, _c: float(t.conversations),
    "turns": lambda t, _l, _c: float(t.turns),
    "deflection_rate": lambda t, _l, _c: t.deflection_rate,
    "escalation_rate": lambda t, _l, _c: t.escalation_rate,
    "abandonment_rate": lambda t, _l, _c: t.abandonment_rate,
    "groundedness": lambda t, _l, _c: t.groundedness,
    "relevancy": lambda t, _l, _c: t.relevancy,
    "citation_rate": lambda t, _l, _c: t.citation_rate,
    "csat": lambda t, _l, _c: t.csat,
    "error_rate": lambda t, _l, _c: t.error_rate,
    "failover_rate": lambda t, _l, _c: t.failover_rate,
    "latency_p50_ms": lambda _t, latency, _c: latency.p50_ms,
    "latency_p95_ms": lambda _t, latency, _c: latency.p95_ms,
    "cost_per_conversation_usd": lambda t, _l, _c: t.cost_per_conversation_usd,
    "score": lambda t, latency, c: performance_score(_score_inputs(t, latency), c.score)["value"],
}
_NEEDS_LATENCY = frozenset({"latency_p50_ms", "latency_p95_ms", "score"})


def _metric(name: str) -> MetricOf:
    if name not in _METRIC_OF:
        raise UnknownMetric(f"metric must be one of {', '.join(sorted(METRICS))}, got {name!r}")
    return _METRIC_OF[name]


class EventFigures:
    """One figure of one window, as alert rules ask for it: `EventFigures(db).value("escalation_rate", window)`."""

    def __init__(self, db: Database, *, config: ObservabilityConfig | None = None) -> None:
        self._db = db
        self._config = config or ObservabilityConfig()

    def value(self, metric: str, window: Window) -> float | None:
        """The metric over the window; None when it has nothing to divide by (no turns, no ended conversation …)."""
        of = _metric(metric)
        with counting(self._db, window) as counts:
            tally = counts.tallies(None)[None]
            latency = counts.latencies(None).get(None, Latency()) if metric in _NEEDS_LATENCY else Latency()
        return of(tally, latency, self._config)


# ---------------------------------------------------------------------------------------------------- the figures


def summary(db: Database, window: Window, config: ObservabilityConfig, *, source: Source = "auto") -> dict[str, Any]:
    """Every figure of the dashboard for one window, under the keys the CLI's `--json` and the console share."""
    with counting(db, window, source) as counts:
        tally = counts.tallies(None)[None]
        latency = counts.latencies(None).get(None, Latency())
        returning = counts.returning_users()
        resolution = counts.resolution_seconds()
        share = _share(counts, window, tally.turns)
    handled_by_humans = min(tally.escalated, tally.conversations)
    handled_by_agent = tally.conversations - handled_by_humans
    return {
        "window": {**window.to_json(), "days": round(window.length.total_seconds() / 86400, 6)},
        "roi": _roi(tally, config, window.length, share),
        "latency": {
            "p50_ms": _rounded(latency.p50_ms),
            "p95_ms": _rounded(latency.p95_ms),
            "time_to_resolution_s": _rounded(resolution),
            "resolved": tally.deflected + tally.resolved_by_human,
        },
        "errors": {
            "turns": tally.turns,
            "failed_turns": tally.failed,
            "error_rate": _rounded(tally.error_rate),
            "failovers": tally.failovers,
            "failover_rate": _rounded(tally.failover_rate),
        },
        "relevancy": {
            "groundedness": _rounded(tally.groundedness),
            "relevancy": _rounded(tally.relevancy),
            "sample_size": tally.scored,
            "citation_rate": _rounded(tally.citation_rate),
            "answered_turns": tally.answered,
            "cited_turns": tally.cited,
        },
        "csat": {
            "average": _rounded(tally.csat),
            "distribution": {str(n): getattr(tally, f"csat_{n}") for n in range(1, 6)},
            "responses": tally.csat_responses,
            "rated_conversations": tally.rated,
            "response_rate": _rounded(rate(tally.rated, tally.conversations)),
        },
        "adoption": {
            "conversations": tally.conversations,
            "turns": tally.turns,
            "unique_users": tally.users,
            "returning_users": returning,
            "handled_by_agent": handled_by_agent,
            "handled_by_humans": handled_by_humans,
            "agent_share": _rounded(rate(handled_by_agent, tally.conversations)),
            "human_share": _rounded(rate(handled_by_humans, tally.conversations)),
        },
        "deflection": _ending(tally.deflection_rate, tally.ended, deflected=tally.deflected),
        "escalation": _ending(tally.escalation_rate, tally.ended, escalated=tally.escalated),
        "abandonment": _ending(tally.abandonment_rate, tally.ended, abandoned=tally.abandoned),
        "sdr": _sdr(tally),
        "score": performance_score(_score_inputs(tally, latency), config.score),
    }


def breakdown(
    db: Database, window: Window, by: str, config: ObservabilityConfig, *, source: Source = "auto"
) -> list[dict[str, Any]]:
    """The main figures per agent, topic, language or channel, the busiest group first."""
    if by not in DIMENSIONS:
        raise UnknownMetric(f"a breakdown must be by one of {', '.join(DIMENSIONS)}, got {by!r}")
    with counting(db, window, source) as counts:
        tallies = counts.tallies(by)
        latencies = counts.latencies(by)
        all_turns = counts.all_turns if window.filters else sum(t.turns for t in tallies.values())
    rows = []
    for key, tally in tallies.items():
        latency = latencies.get(key, Latency())
        share = rate(tally.turns, all_turns) or 0.0
        rows.append(
            {
                by: key,
                "conversations": tally.conversations,
                "turns": tally.turns,
                "deflection_rate": _rounded(tally.deflection_rate),
                "escalation_rate": _rounded(tally.escalation_rate),
                "abandonment_rate": _rounded(tally.abandonment_rate),
                "csat": _rounded(tally.csat),
                "p50_ms": _rounded(latency.p50_ms),
                "p95_ms": _rounded(latency.p95_ms),
                "cost_usd": round(tally.cost_usd, 4),
                "net_usd": _roi(tally, config, window.length, share)["net_usd"],
                "score": performance_score(_score_inputs(tally, latency), config.score)["value"],
            }
        )
    return sorted(rows, key=lambda row: (-row["conversations"], -row["turns"], str(row[by])))


def series(
    db: Database,
    window: Window,
    metric: str,
    buckets: int,
    *,
    config: ObservabilityConfig | None = None,
    source: Source = "auto",
) -> list[tuple[datetime, float | None]]:
    """The metric in `buckets` equal slices of the window, each with its start; None where it has no data."""
    of = _metric(metric)
    if not 1 <= buckets <= 1000:
        raise ConfigError(f"buckets must be between 1 and 1000, got {buckets}")
    chosen = config or ObservabilityConfig()
    width = window.length / buckets
    grouping = Buckets(window.since, width, buckets)
    with counting(db, window, source) as counts:
        tallies = counts.tallies(grouping)
        latencies = counts.latencies(grouping) if metric in _NEEDS_LATENCY else {}
    by_index: dict[int, tuple[Tally, Latency]] = {}
    for key, tally in tallies.items():
        index = min(int(key), buckets - 1)  # a float's last digit may push the very end of a window one too far
        by_index[index] = (tally, latencies.get(key, Latency()))
    empty = (Tally(), Latency())
    return [(window.since + width * i, of(*by_index.get(i, empty), chosen)) for i in range(buckets)]


def conversations(db: Database, window: Window, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Conversations with live events in the window, the latest first: the dashboard's drill-down to one of them."""
    if limit < 1 or offset < 0:
        raise ConfigError(f"a page must have limit ≥ 1 and offset ≥ 0, got limit={limit}, offset={offset}")
    conditions = [*_conditions(window), E.conversation_id.is_not(None)]
    needed = offset + limit
    # The newest events are read through the time index until the page's conversations are all seen, so a page
    # costs what it shows, not what the window holds.
    scan = max(8 * needed, 256)
    with db.session() as session:
        while True:
            found = session.scalars(
                select(E.conversation_id).where(*conditions).order_by(E.at.desc(), E.id.desc()).limit(scan)
            ).all()
            ids = list(dict.fromkeys(found))
            if len(ids) >= needed or len(found) < scan:
                break
            scan *= 4
        page = [i for i in ids[offset:needed] if i is not None]
        if not page:
            return []
        details = {row.conversation_id: row for row in session.execute(_details(conditions, page))}
    return [_conversation(details[i]) for i in page if i in details]


def latest_live_event(
    db: Database,
    *,
    agent: str | None = None,
    topic: str | None = None,
    language: str | None = None,
    channel: str | None = None,
    excluding: tuple[str, ...] = (),
) -> datetime | None:
    """When the last live event (of this agent, topic, language, channel, when named; not of the kinds
    `excluding`) happened."""
    wanted = {"agent": agent, "topic": topic, "language": language, "channel": channel}
    conditions = [E.stage.in_(LIVE_STAGES)] + [getattr(E, k) == v for k, v in wanted.items() if v is not None]
    if excluding:
        conditions.append(E.kind.not_in(excluding))
    with db.session() as session:
        at = session.scalar(select(E.at).where(*conditions).order_by(E.at.desc()).limit(1))
    return None if at is None else aware(at)


def default_end(db: Database, **filters: str | None) -> datetime:
    """The minute after the latest live event, or now when there is none: a replayed or simulated day shows as it
    happened, not as an empty window ending at this moment. Scheduled outreach (an SDR cadence's touches and
    e-mails, which may be planned days ahead) does not move the end while anything else happened."""
    agent, topic, language, channel = (filters.get(name) for name in ("agent", "topic", "language", "channel"))
    latest = latest_live_event(
        db, agent=agent, topic=topic, language=language, channel=channel, excluding=OUTREACH
    ) or latest_live_event(db, agent=agent, topic=topic, language=language, channel=channel)
    if latest is None:
        return datetime.now(UTC)
    return latest.replace(second=0, microsecond=0) + timedelta(minutes=1)


OUTREACH = ("lead_touched", "email_sent")


def default_window(db: Database, period: timedelta, **filters: str | None) -> Window:
    """The `period` ending at `default_end`, with the same filters."""
    end = default_end(db, **filters)
    return Window(since=end - period, until=end, **filters)


# ---------------------------------------------------------------------------------------------------- sections


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _ending(rate: float | None, ended: int, **count: int) -> dict[str, Any]:
    return {"rate": _rounded(rate), **count, "ended": ended}


def _roi(tally: Tally, config: ObservabilityConfig, length: timedelta, share: float) -> dict[str, Any]:
    work = Work(
        deflected=tally.deflected,
        lead_touches=tally.lead_touches,
        model_cost_usd=tally.cost_usd,
        conversations=tally.conversations,
        infrastructure_share=share,
    )
    return return_on_investment(work, config.costs, length)


def _sdr(tally: Tally) -> dict[str, Any] | None:
    if not (tally.lead_touches or tally.meetings):
        return None
    return {
        "leads_covered": tally.leads,
        "lead_touches": tally.lead_touches,
        "meetings_booked": tally.meetings,
        "pipeline_usd": round(tally.pipeline_usd, 2),
        "emails_sent": tally.emails,
    }


def _details(conditions: list[ColumnElement[bool]], page: list[str]) -> Select[Any]:
    def flag(condition: ColumnElement[bool]) -> ColumnElement[Any]:
        return func.max(case((condition, 1), else_=0))

    return (
        select(
            E.conversation_id,
            func.max(E.agent).label("agent"),
            func.max(case((_TURN, E.topic))).label("topic"),
            func.max(case((_TURN, E.language))).label("language"),
            func.max(case((_TURN, E.channel))).label("channel"),
            _count(_TURN).label("turns"),
            func.min(E.at).label("started"),
            func.max(E.at).label("last_event"),
            func.avg(case((_CSAT, E.value))).label("csat"),
            flag(and_(_RESOLVED, RESOLVED_BY == "agent")).label("by_agent"),
            flag(and_(_RESOLVED, RESOLVED_BY == "human")).label("by_human"),
            flag(E.kind == "conversation_abandoned").label("abandoned"),
            flag(E.kind == "conversation_handed_off").label("handed_off"),
        )
        .where(*conditions, E.conversation_id.in_(page))
        .group_by(E.conversation_id)
    )


def _conversation(row: Any) -> dict[str, Any]:
    if row.by_agent:
        outcome = "resolved_by_agent"
    elif row.by_human:
        outcome = "resolved_by_human"
    elif row.abandoned:
        outcome = "abandoned"
    elif row.handed_off:
        outcome = "handed_off"
    else:
        outcome = "open"
    return {
        "conversation_id": row.conversation_id,
        "agent": row.agent,
        "topic": row.topic,
        "language": row.language,
        "channel": row.channel,
        "outcome": outcome,
        "turns": int(row.turns),
        "csat": _float(row.csat),
        "started": _moment(row.started),
        "last_event": _moment(row.last_event),
    }


def _moment(value: Any) -> datetime:
    # An aggregate over a timestamp comes back from SQLite as text.
    return aware(value if isinstance(value, datetime) else datetime.fromisoformat(value))
