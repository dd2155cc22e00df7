"""Conversations end quietly: a customer who got an answer and left was served (deflected), one who left while
the agent was still asking something gave up (abandoned). Nobody says goodbye, so a sweep decides after a quiet
spell, from the events alone, and counts each ending once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func, select

from cadre.observability.events import LIVE_STAGES, Event, EventSink
from cadre.observability.tables import EventRow
from cadre.store import Database
from cadre.store.base import aware

QUIET = timedelta(minutes=30)  # no message for this long after the agent's last reply: the conversation is over
LOOKBACK = timedelta(days=7)  # older silent conversations were swept by earlier runs
ENDINGS = ("conversation_resolved", "conversation_abandoned", "conversation_handed_off")
SERVED = "answered"  # the last reply answered; "asked", "refused" and "failed" left the customer waiting


class Closer(Protocol):
    """The conversations' owner, told which conversations ended so a person's next message starts a new one."""

    def close(self, conversation_ids: list[str]) -> int: ...


@dataclass
class Swept:
    resolved: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, int]:
        return {"resolved": len(self.resolved), "abandoned": len(self.abandoned)}


def sweep_quiet(db: Database, events: EventSink, closer: Closer, *, now: datetime, quiet: timedelta = QUIET) -> Swept:
    """End every live conversation whose last turn is older than `quiet` and that has no ending since."""
    cutoff, since = now - quiet, now - quiet - LOOKBACK
    with db.session() as session:
        last_turns = (
            select(EventRow.conversation_id, func.max(EventRow.at).label("last_at"))
            .where(EventRow.kind == "turn", EventRow.stage.in_(LIVE_STAGES), EventRow.at >= since)
            .group_by(EventRow.conversation_id)
            .having(func.max(EventRow.at) < cutoff)
            .subquery()
        )
        rows = session.execute(
            select(EventRow)
            .join(
                last_turns,
                (EventRow.conversation_id == last_turns.c.conversation_id) & (EventRow.at == last_turns.c.last_at),
            )
            .where(EventRow.kind == "turn")
            .order_by(EventRow.at, EventRow.id)
        ).scalars()
        last = {row.conversation_id: row for row in rows if row.conversation_id}
        ended = dict(
            session.execute(
                select(EventRow.conversation_id, EventRow.kind)
                .join(last_turns, EventRow.conversation_id == last_turns.c.conversation_id)
                .where(EventRow.kind.in_(ENDINGS), EventRow.at >= last_turns.c.last_at)
            ).all()
        )
    swept = Swept()
    endings: list[Event] = []
    for conversation_id, turn in last.items():
        if conversation_id in ended or turn.outcome == "handed_off":
            continue  # ended already, or a person owns it now and will resolve it
        served = turn.outcome == SERVED
        (swept.resolved if served else swept.abandoned).append(conversation_id)
        endings.append(
            Event(
                kind="conversation_resolved" if served else "conversation_abandoned",
                agent=turn.agent,
                at=aware(turn.at) + quiet,
                agent_version=turn.agent_version,
                stage=turn.stage,  # type: ignore[arg-type]  # a live stage: the query kept only those
                conversation_id=conversation_id,
                topic=turn.topic,
                language=turn.language,
                channel=turn.channel,
                person=turn.person,
                data={"by": "agent"} if served else {"last_outcome": turn.outcome},
            )
        )
    events.record(endings)
    # Closing again what an earlier sweep ended is harmless (only open conversations close) and finishes a sweep
    # that stopped between recording its endings and closing their conversations.
    earlier = [key for key, kind in ended.items() if key is not None and kind != "conversation_handed_off"]
    closer.close(swept.resolved + swept.abandoned + earlier)
    return swept
