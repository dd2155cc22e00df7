"""Incidents: what a firing rule opens, with its evidence, until a person acknowledges, annotates and resolves it;
and the worker that evaluates the rules on a schedule and opens them."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, cast

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from cadre.errors import CadreError, NotFound
from cadre.observability.alert_tables import IncidentEntryRow, IncidentRow
from cadre.observability.alerts import (
    AlertRule,
    MetricReader,
    Remembering,
    Verdict,
    event_figures,
    load_rules,
    rules_file,
    verdicts,
)
from cadre.observability.events import LIVE_STAGES
from cadre.observability.tables import EventRow
from cadre.observability.window import Window
from cadre.store import Database
from cadre.store.base import aware

if TYPE_CHECKING:
    from cadre.observability.notify import Notice, Notifications
    from cadre.settings import Settings

logger = logging.getLogger(__name__)

Status = Literal["open", "acknowledged", "resolved"]
EntryKind = Literal["opened", "fired", "cleared", "acknowledged", "note", "resolved"]
STATUSES: tuple[Status, ...] = ("open", "acknowledged", "resolved")
ALERTS = "alerts"  # who the worker's timeline entries are by
SERIES_POINTS = 12  # points per window in the evidence chart (the window and the one before it)
EXAMPLES = 5  # example conversations kept as evidence
LOW_CSAT = 2.0  # a CSAT at or under this is an example worth reading
LOW_GROUNDEDNESS = 0.5
MAX_NOTE = 5000


class IncidentNotFound(NotFound):
    """No incident has that id."""


class IncidentClosed(CadreError):
    """The incident is resolved: it can take notes, not acknowledgement or another resolution."""


@dataclass(frozen=True)
class IncidentEntry:
    at: datetime
    kind: EntryKind
    by: str
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "kind": self.kind, "by": self.by, "text": self.text}


@dataclass(frozen=True)
class Incident:
    id: int
    rule: str
    agent: str
    metric: str
    severity: str
    condition: str
    status: Status
    value: float | None
    previous: float | None
    firings: int
    opened_at: datetime
    last_fired_at: datetime
    cleared_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    evidence: dict[str, Any]
    notifications: list[dict[str, Any]]
    entries: list[IncidentEntry] = field(default_factory=list)  # filled by `Incidents.get`

    @property
    def unread(self) -> bool:
        """Nobody has acknowledged it yet: what the console counts beside its menu item."""
        return self.status == "open"

    def to_json(self) -> dict[str, Any]:
        def moment(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.id,
            "rule": self.rule,
            "agent": self.agent,
            "metric": self.metric,
            "severity": self.severity,
            "condition": self.condition,
            "status": self.status,
            "value": self.value,
            "previous": self.previous,
            "firings": self.firings,
            "opened_at": self.opened_at.isoformat(),
            "last_fired_at": self.last_fired_at.isoformat(),
            "cleared_at": moment(self.cleared_at),
            "acknowledged_at": moment(self.acknowledged_at),
            "acknowledged_by": self.acknowledged_by,
            "resolved_at": moment(self.resolved_at),
            "resolved_by": self.resolved_by,
            "evidence": self.evidence,
            "notifications": self.notifications,
            "entries": [entry.to_json() for entry in self.entries],
        }


@dataclass(frozen=True)
class Recorded:
    """What recording one verdict did to the incidents."""

    incident: Incident | None
    change: Literal["opened", "fired", "cleared", "none"]


class Incidents:
    """The incident store: firings open or update one unresolved incident per rule and agent; people act on it."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(
        self, verdict: Verdict, now: datetime, *, evidence: Callable[[Verdict], dict[str, Any]] | None = None
    ) -> Recorded:
        """A firing opens an incident or updates the unresolved one; a clear verdict marks it cleared (never
        resolved: people resolve); a quiet one changes nothing."""
        if verdict.state == "quiet":
            return Recorded(None, "none")
        now = now.astimezone(UTC)  # SQLite keeps a timestamp's digits, not its zone
        gathered: dict[str, Any] = {}
        if verdict.firing and evidence is not None and self._unresolved(verdict) is None:
            gathered = evidence(verdict)  # many queries: gathered before the write transaction, not inside it
        with self._db.session() as session:
            row = session.scalars(_unresolved_query(verdict)).first()
            if verdict.state == "clear":
                if row is None or row.cleared_at is not None:
                    return Recorded(None, "none")
                row.cleared_at = now
                _entry(session, row.id, now, "cleared", ALERTS, f"the condition no longer holds: {verdict.reason}")
                return Recorded(_incident(row), "cleared")
            if row is None:
                row = _opened(verdict, now, gathered)
                session.add(row)
                session.flush()
                _entry(session, row.id, now, "opened", ALERTS, verdict.reason)
                return Recorded(_incident(row), "opened")
            if row.cleared_at is not None:
                _entry(session, row.id, now, "fired", ALERTS, f"fired again: {verdict.reason}")
            row.cleared_at = None
            row.value, row.previous = verdict.value, verdict.previous
            row.firings += 1
            row.last_fired_at = now
            return Recorded(_incident(row), "fired")

    def _unresolved(self, verdict: Verdict) -> IncidentRow | None:
        with self._db.session() as session:
            return session.scalars(_unresolved_query(verdict)).first()

    def get(self, incident_id: int) -> Incident:
        with self._db.session() as session:
            row = session.get(IncidentRow, incident_id)
            if row is None:
                raise IncidentNotFound(f"incident must be an existing incident's id, got {incident_id!r}")
            entries = session.scalars(
                select(IncidentEntryRow)
                .where(IncidentEntryRow.incident_id == incident_id)
                .order_by(IncidentEntryRow.at, IncidentEntryRow.id)
            ).all()
            return _incident(row, [_entry_of(e) for e in entries])

    def list(
        self, *, status: Status | Literal["unresolved"] | None = None, agent: str | None = None, limit: int = 100
    ) -> list[Incident]:
        """Newest first."""
        query = select(IncidentRow).order_by(IncidentRow.opened_at.desc(), IncidentRow.id.desc()).limit(limit)
        if status == "unresolved":
            query = query.where(IncidentRow.status != "resolved")
        elif status is not None:
            query = query.where(IncidentRow.status == status)
        if agent:
            query = query.where(IncidentRow.agent == agent)
        with self._db.session() as session:
            return [_incident(row) for row in session.scalars(query).all()]

    def unread_count(self) -> int:
        with self._db.session() as session:
            found = session.scalar(select(func.count()).select_from(IncidentRow).where(IncidentRow.status == "open"))
            return int(found or 0)

    def acknowledge(self, incident_id: int, *, by: str, now: datetime | None = None) -> Incident:
        """Someone is on it. Acknowledging twice keeps the first acknowledgement."""
        at = (now or datetime.now(UTC)).astimezone(UTC)
        with self._db.session() as session:
            row = self._open_row(session, incident_id, "acknowledged")
            if row.status == "open":
                row.status, row.acknowledged_at, row.acknowledged_by = "acknowledged", at, by
                _entry(session, incident_id, at, "acknowledged", by, "")
        return self.get(incident_id)

    def note(self, incident_id: int, text: str, *, by: str, now: datetime | None = None) -> Incident:
        body = text.strip()
        if not body or len(body) > MAX_NOTE:
            raise CadreError(f"a note must be 1 to {MAX_NOTE} characters, got {len(body)}")
        with self._db.session() as session:
            if session.get(IncidentRow, incident_id) is None:
                raise IncidentNotFound(f"incident must be an existing incident's id, got {incident_id!r}")
            _entry(session, incident_id, (now or datetime.now(UTC)).astimezone(UTC), "note", by, body)
        return self.get(incident_id)

    def resolve(self, incident_id: int, *, by: str, note: str = "", now: datetime | None = None) -> Incident:
        """Closed by a person; the next firing of its rule opens a new incident."""
        at = (now or datetime.now(UTC)).astimezone(UTC)
        with self._db.session() as session:
            row = self._open_row(session, incident_id, "resolved")
            if row.acknowledged_at is None:  # resolving is also knowing about it
                row.acknowledged_at, row.acknowledged_by = at, by
            row.status, row.resolved_at, row.resolved_by = "resolved", at, by
            _entry(session, incident_id, at, "resolved", by, note.strip())
        return self.get(incident_id)

    def add_notices(self, incident_id: int, notices: Sequence[Notice]) -> None:
        """Keep each delivery attempt on the incident: a failed webhook or e-mail shows where people look."""
        if not notices:
            return
        with self._db.session() as session:
            row = session.get(IncidentRow, incident_id)
            if row is None:
                raise IncidentNotFound(f"incident must be an existing incident's id, got {incident_id!r}")
            # A new list, so the JSON column is seen as changed.
            row.notifications = [*row.notifications, *(notice.to_json() for notice in notices)]

    def _open_row(self, session: Any, incident_id: int, doing: str) -> IncidentRow:
        row = session.get(IncidentRow, incident_id)
        if row is None:
            raise IncidentNotFound(f"incident must be an existing incident's id, got {incident_id!r}")
        if row.status == "resolved":
            raise IncidentClosed(f"incident {incident_id} must be unresolved to be {doing}, got resolved")
        return cast(IncidentRow, row)


class Evidence:
    """What an incident keeps to be understood later: the metric over its window and the one before, and a few
    conversations worth reading (those that failed, went to a person or were rated low come first)."""

    def __init__(self, db: Database, reader: MetricReader) -> None:
        self._db = db
        self._reader = reader

    def __call__(self, verdict: Verdict) -> dict[str, Any]:
        rule = verdict.rule
        return {
            "window": verdict.window.to_json(),
            "reason": verdict.reason,
            "threshold": rule.threshold,
            "series": self.series(rule.metric, verdict.window),
            "conversations": self.examples(verdict.window, rule.metric),
        }

    def series(self, metric: str, window: Window) -> list[dict[str, Any]]:
        """The metric on each of `SERIES_POINTS` slices of the window and of the window before it."""
        start, step = window.before().since, window.length / SERIES_POINTS
        points = []
        for index in range(2 * SERIES_POINTS):
            since = start + step * index
            piece = Window(since, since + step, agent=window.agent)
            points.append(
                {"since": since.isoformat(), "until": piece.until.isoformat(), "value": self._value(metric, piece)}
            )
        return points

    def examples(self, window: Window, metric: str) -> list[dict[str, str]]:
        first = _FIRST_FOR.get(metric)
        reasons = sorted(_EXAMPLE_REASONS, key=lambda reason: reason != first)
        chosen: dict[str, str] = {}
        with self._db.session() as session:
            for reason in reasons:
                if len(chosen) >= EXAMPLES:
                    break
                latest = func.max(EventRow.at)
                query = (
                    select(EventRow.conversation_id, latest)
                    .where(
                        EventRow.agent == window.agent,
                        EventRow.at >= window.since.astimezone(UTC),
                        EventRow.at < window.until.astimezone(UTC),
                        EventRow.stage.in_(LIVE_STAGES),
                        EventRow.conversation_id.is_not(None),
                        _EXAMPLE_REASONS[reason],
                    )
                    .group_by(EventRow.conversation_id)
                    .order_by(latest.desc(), EventRow.conversation_id)
                    .limit(EXAMPLES)
                )
                if chosen:
                    query = query.where(EventRow.conversation_id.not_in(list(chosen)))
                for conversation_id in session.scalars(query).all():
                    if conversation_id is not None and len(chosen) < EXAMPLES:
                        chosen[conversation_id] = reason
        return [{"id": conversation_id, "why": reason} for conversation_id, reason in chosen.items()]

    def _value(self, metric: str, window: Window) -> float | None:
        try:
            return self._reader.value(metric, window)
        except CadreError as exc:  # a slice too small for a figure is no reason to lose the incident
            logger.warning("evidence for %s over %s: %s", metric, window.to_json(), exc.one_line())
            return None


_EXAMPLE_REASONS: dict[str, ColumnElement[bool]] = {
    "failed": and_(EventRow.kind == "turn", or_(EventRow.outcome == "failed", EventRow.error.is_(True))),
    "handed off": or_(
        EventRow.kind == "conversation_handed_off", and_(EventRow.kind == "turn", EventRow.outcome == "handed_off")
    ),
    "low CSAT": and_(EventRow.kind == "csat_given", EventRow.value <= LOW_CSAT),
    "poorly grounded": and_(EventRow.kind == "turn_scored", EventRow.groundedness < LOW_GROUNDEDNESS),
    "abandoned": EventRow.kind == "conversation_abandoned",
    "recent": EventRow.kind == "turn",
}
# The examples that explain a metric best are read first; the others follow in the order above.
_FIRST_FOR = {
    "escalation_rate": "handed off",
    "deflection_rate": "handed off",
    "csat": "low CSAT",
    "groundedness": "poorly grounded",
    "relevancy": "poorly grounded",
    "abandonment_rate": "abandoned",
}


def active_agents(db: Database, since: datetime, until: datetime) -> list[str]:
    """Agents that served customers between `since` and `until`: whom a rule for every agent watches."""
    with db.session() as session:
        found = session.scalars(
            select(EventRow.agent)
            .where(
                EventRow.at >= since.astimezone(UTC),
                EventRow.at < until.astimezone(UTC),
                EventRow.stage.in_(LIVE_STAGES),
            )
            .distinct()
            .order_by(EventRow.agent)
        ).all()
    return list(found)


@dataclass(frozen=True)
class Evaluation:
    """One pass of the worker: every verdict, and what it changed."""

    at: datetime
    verdicts: list[Verdict]
    opened: list[Incident]
    fired: list[Incident]
    cleared: list[Incident]

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "verdicts": [verdict.to_json() for verdict in self.verdicts],
            "opened": [incident.to_json() for incident in self.opened],
            "fired": [incident.id for incident in self.fired],
            "cleared": [incident.id for incident in self.cleared],
        }


class AlertWorker:
    """Evaluates the rules, records incidents and sends notifications for the new ones. `run_once` is the unit of
    work a scheduler calls; `start` runs it on a thread every `interval_s` until `stop`."""

    def __init__(
        self,
        db: Database,
        *,
        rules: Callable[[], Sequence[AlertRule]],
        reader: MetricReader,
        notifications: Notifications | None = None,
    ) -> None:
        self._db = db
        self._rules = rules  # read each pass, so an edited rules file applies without a restart
        self._reader = reader
        self._notifications = notifications
        self.incidents = Incidents(db)
        self._evidence = Evidence(db, reader)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def from_settings(cls, settings: Settings, db: Database) -> AlertWorker:
        from cadre.observability.notify import Notifications

        return cls(
            db,
            rules=lambda: load_rules(rules_file(settings)),
            reader=event_figures(db, settings),
            notifications=Notifications.from_settings(settings),
        )

    def run_once(self, now: datetime | None = None) -> Evaluation:
        at = aware(now or datetime.now(UTC)).astimezone(UTC)
        rules = list(self._rules())
        longest = max((rule.window * (2 if rule.compare else 1) for rule in rules), default=timedelta(0))
        agents = active_agents(self._db, at - longest, at) if any(rule.agent is None for rule in rules) else []
        reader = Remembering(self._reader)  # one pass, one answer per metric and window; the next pass asks again
        found = verdicts(rules, reader, at, agents=agents)
        changes: dict[str, list[Incident]] = {"opened": [], "fired": [], "cleared": []}
        for verdict in found:
            recorded = self.incidents.record(verdict, at, evidence=self._evidence)
            if recorded.incident is None or recorded.change == "none":
                continue
            changes[recorded.change].append(recorded.incident)
            if recorded.change == "opened" and self._notifications is not None:
                notices = self._notifications.send(recorded.incident, verdict.rule.notify)
                self.incidents.add_notices(recorded.incident.id, notices)
        opened = [self.incidents.get(incident.id) for incident in changes["opened"]]
        return Evaluation(at, found, opened, changes["fired"], changes["cleared"])

    def start(self, interval_s: float) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise CadreError("the alert worker must be stopped before it starts again, got one running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, args=(interval_s,), name="cadre-alerts", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self, interval_s: float) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # one failed pass (a bad rules file, a database hiccup) must not end the worker
                logger.exception("alert evaluation failed; the next pass runs in %.0f s", interval_s)
            self._stop.wait(interval_s)


def _unresolved_query(verdict: Verdict) -> Select[IncidentRow]:
    """The incident of the verdict's rule and agent that nobody resolved yet (at most one, by construction)."""
    return (
        select(IncidentRow)
        .where(
            IncidentRow.rule == verdict.rule.name,
            IncidentRow.agent == verdict.agent,
            IncidentRow.status != "resolved",
        )
        .order_by(IncidentRow.id.desc())
        .limit(1)
    )


def _opened(verdict: Verdict, now: datetime, evidence: dict[str, Any]) -> IncidentRow:
    rule = verdict.rule
    return IncidentRow(
        rule=rule.name,
        agent=verdict.agent,
        metric=rule.metric,
        severity=rule.severity,
        condition=rule.condition()[:300],
        status="open",
        value=verdict.value,
        previous=verdict.previous,
        firings=1,
        opened_at=now,
        last_fired_at=now,
        evidence=evidence,
        notifications=[],
    )


def _entry(session: Any, incident_id: int, at: datetime, kind: EntryKind, by: str, text: str) -> None:
    session.add(IncidentEntryRow(incident_id=incident_id, at=at, kind=kind, by=by, text=text))


def _entry_of(row: IncidentEntryRow) -> IncidentEntry:
    return IncidentEntry(at=aware(row.at), kind=cast(EntryKind, row.kind), by=row.by, text=row.text)


def _incident(row: IncidentRow, entries: list[IncidentEntry] | None = None) -> Incident:
    def moment(value: datetime | None) -> datetime | None:
        return aware(value) if value else None

    return Incident(
        id=row.id,
        rule=row.rule,
        agent=row.agent,
        metric=row.metric,
        severity=row.severity,
        condition=row.condition,
        status=cast(Status, row.status),
        value=row.value,
        previous=row.previous,
        firings=row.firings,
        opened_at=aware(row.opened_at),
        last_fired_at=aware(row.last_fired_at),
        cleared_at=moment(row.cleared_at),
        acknowledged_at=moment(row.acknowledged_at),
        acknowledged_by=row.acknowledged_by,
        resolved_at=moment(row.resolved_at),
        resolved_by=row.resolved_by,
        evidence=dict(row.evidence),
        notifications=list(row.notifications),
        entries=entries or [],
    )
