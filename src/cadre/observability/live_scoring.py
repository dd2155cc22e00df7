"""Live turns measured like suite cases: a sample of answered turns gets the evaluation centre's groundedness and
answer relevancy, recorded as `turn_scored` events, so the dashboard's relevancy is the suites' relevancy.

Scoring embeds the reply and its sources (tens of milliseconds offline), so it runs after the reply is stored, on
one background thread: the customer never waits for it. A turn is sampled by its id's hash, so a replay samples
the same turns.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

from cadre.knowledge.embeddings import Embedder
from cadre.observability.events import Event, EventSink

logger = logging.getLogger(__name__)

DEFAULT_SHARE = 0.2
PENDING_LIMIT = 1000  # turns waiting to be scored; past it, new ones are skipped (and logged), never queued forever


def sampled(turn_id: str, share: float) -> bool:
    """Whether `turn_id` falls in the sampled `share` (0..1); the same answer for the same id, every time."""
    if share <= 0:
        return False
    bucket = int.from_bytes(hashlib.sha256(turn_id.encode()).digest()[:4], "big") / 2**32
    return bucket < share


class LiveScorer:
    """Scores a sampled share of answered live turns in the background and records them as events."""

    def __init__(self, embedder: Embedder, events: EventSink, *, share: float = DEFAULT_SHARE) -> None:
        if not 0 <= share <= 1:
            raise ValueError(f"the live scoring share must be between 0 and 1, got {share}")
        self.embedder = embedder
        self.events = events
        self.share = share
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cadre-live-scoring")
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    def submit(self, turn: Event, *, message: str, reply: str, sources: list[str]) -> bool:
        """Queue `turn` (its `turn` event) for scoring when it is sampled; True when it was queued."""
        if turn.stage not in ("production", "pilot") or turn.outcome != "answered" or turn.turn_id is None:
            return False
        if not sampled(turn.turn_id, self.share):
            return False
        with self._lock:
            if len(self._pending) >= PENDING_LIMIT:
                logger.warning("live scoring is %d turns behind; turn %s is not scored", PENDING_LIMIT, turn.turn_id)
                return False
            future = self._pool.submit(self._score, turn, message, reply, sources)
            self._pending.add(future)
        future.add_done_callback(self._done)
        return True

    def drain(self, timeout: float | None = None) -> None:
        """Wait until every queued turn is scored (the simulation and tests read the figures right after)."""
        with self._lock:
            pending = list(self._pending)
        for future in pending:
            future.result(timeout=timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def _score(self, turn: Event, message: str, reply: str, sources: list[str]) -> None:
        # The evaluation centre's own measures; imported here because they import the runtime, which imports us not.
        from cadre.evaluation.metrics import answer_relevancy, groundedness_counts

        language = turn.language or "en"
        try:
            supported, factual = groundedness_counts(reply, sources, self.embedder, language=language)
            relevancy = answer_relevancy(message, reply, language, self.embedder)
            scored = replace(
                turn,
                kind="turn_scored",
                groundedness=round(supported / factual, 4) if factual else None,
                relevancy=relevancy,
                latency_ms=None,
                input_tokens=None,
                output_tokens=None,
                cost_usd=None,
                data={"method": "offline: grounding check and calibrated e5 relevancy", "factual": factual},
            )
            self.events.record([scored])
        except Exception:
            # A figure lost is logged; the turn itself was answered and stored long ago.
            logger.exception("could not score live turn %s", turn.turn_id)
