"""Run a planned day of traffic through the real runtime and leave it in the system of record, with feedback."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cadre.agents.runtime import Runtime, TurnRequest, TurnResult
from cadre.channels.feedback import FeedbackStore
from cadre.guardrails.limits import InputRejected
from cadre.observability.closing import QUIET, sweep_quiet
from cadre.observability.events import EventStore
from cadre.server.services import Services
from cadre.simulation.cast import Cast, load_cast
from cadre.simulation.models import LANGUAGES, TrafficSummary, Visit
from cadre.simulation.plan import DEMO_INCIDENT, Incident, plan_day

Progress = Callable[[int, int], None]  # (visits done, visits planned)
DEFAULT_CONVERSATIONS = 500


def simulate_day(
    runtime: Runtime,
    services: Services,
    *,
    conversations: int = DEFAULT_CONVERSATIONS,
    seed: int = 7,
    languages: Sequence[str] = LANGUAGES,
    progress: Progress | None = None,
    cast: Cast | None = None,
    incident: Incident | None = DEMO_INCIDENT,
) -> TrafficSummary:
    """A day of the sample company's customers, leads and sellers talking to its four agents, one visit after the
    other (each waits for its reply, as people do), then rating some conversations. Deterministic for a seed on a
    fresh home; on a used one, a known person's new message continues their open conversation, as it would.
    `cast` defaults to everyone in the sample company the data service reads. `incident` is a stretch of the day
    when the product misbehaves (the default: late evening), which the dashboard's alerts should catch. When the
    day is over, conversations that went quiet are ended, as the background sweep ends them on a live system."""
    started = time.perf_counter()
    visits = plan_day(
        cast or load_cast(services.data), conversations=conversations, seed=seed, languages=languages, incident=incident
    )
    tally = _Tally(seed=seed, planned=len(visits))
    ratings = FeedbackStore(services.db)
    for done, visit in enumerate(visits, start=1):
        last = _converse(runtime, visit, tally)
        if last is not None and visit.rating is not None and last.handoff is None:
            ratings.give(
                last.conversation_id,
                turn_id=last.turn_id,
                csat=visit.rating.csat,
                thumbs=visit.rating.thumbs,
                comment=visit.rating.comment,
                author=visit.author,
                channel=visit.channel,
                at=visit.at + timedelta(minutes=2 * len(visit.messages)),
            )
            tally.csat.append(visit.rating.csat)
        if progress is not None:
            progress(done, len(visits))
    if runtime.scorer is not None:
        runtime.scorer.drain()  # the sampled turns' groundedness and relevancy, before anyone reads the figures
    if visits:
        # When the last visitor has been quiet long enough for every conversation of the day to have ended.
        last_message = max(_last_message(visit) for visit in visits)
        tally.last_message_at = last_message.isoformat()
        day_over = last_message + QUIET + timedelta(minutes=1)
        ended = sweep_quiet(services.db, EventStore(services.db), runtime.conversations, now=day_over)
        tally.ended = ended.to_json()
    ours = set(tally.conversations)
    still_open = [h for h in services.inbox.list(status="open") if h.conversation_id in ours]
    return tally.summary(handoffs_open=len(still_open), seconds=time.perf_counter() - started)


def _converse(runtime: Runtime, visit: Visit, tally: _Tally) -> TurnResult | None:
    """The visit's messages, each waiting for its reply; returns the last turn (None if every message was refused)."""
    conversation_id: str | None = None
    last: TurnResult | None = None
    for step, message in enumerate(visit.messages):
        channel = message.channel or visit.channel
        # On another channel only the person's unified profile says which conversation this continues.
        moved = channel != visit.channel and visit.person_id is not None
        request = TurnRequest(
            agent=visit.agent,
            message=message.text,
            conversation_id=None if moved else conversation_id,
            principal=visit.principal,
            person_id=visit.person_id,
            channel=channel,
            now=visit.at + timedelta(minutes=2 * step),
        )
        try:
            result = runtime.run_turn(request)
        except InputRejected:
            tally.rejected += 1
            continue
        if moved and result.conversation_id == conversation_id:
            tally.continued += 1
        conversation_id = result.conversation_id
        tally.turn(visit, result)
        last = result
    return last


@dataclass
class _Tally:
    seed: int
    planned: int
    conversations: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id -> (agent, channel, language)
    kinds: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    handed_off: set[str] = field(default_factory=set)
    latencies: list[float] = field(default_factory=list)
    csat: list[int] = field(default_factory=list)
    turns: int = 0
    rejected: int = 0
    continued: int = 0
    ended: dict[str, int] = field(default_factory=dict)
    last_message_at: str | None = None

    def turn(self, visit: Visit, result: TurnResult) -> None:
        if result.conversation_id not in self.conversations:
            self.kinds[visit.kind] += 1
        self.conversations[result.conversation_id] = (visit.agent, visit.channel, result.language)
        self.outcomes[result.outcome] += 1
        if result.handoff is not None:
            self.handed_off.add(result.conversation_id)
        self.latencies.append(result.latency_ms)
        self.turns += 1

    def summary(self, *, handoffs_open: int, seconds: float) -> TrafficSummary:
        per = list(self.conversations.values())
        return TrafficSummary(
            seed=self.seed,
            planned=self.planned,
            conversations=len(self.conversations),
            turns=self.turns,
            rejected=self.rejected,
            languages=_counts(language for _, _, language in per),
            channels=_counts(channel for _, channel, _ in per),
            agents=_counts(agent for agent, _, _ in per),
            kinds=dict(sorted(self.kinds.items())),
            outcomes=dict(sorted(self.outcomes.items())),
            handed_off=len(self.handed_off),
            handoffs_open=handoffs_open,
            continued_across_channels=self.continued,
            last_message_at=self.last_message_at,
            ended=self.ended,
            feedback=len(self.csat),
            mean_csat=round(statistics.fmean(self.csat), 2) if self.csat else None,
            turn_ms_p50=round(statistics.median(self.latencies), 1) if self.latencies else None,
            seconds=round(seconds, 1),
            conversation_ids=list(self.conversations),
        )


def _last_message(visit: Visit) -> datetime:
    return visit.at + timedelta(minutes=2 * (len(visit.messages) - 1))


def _counts(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))
