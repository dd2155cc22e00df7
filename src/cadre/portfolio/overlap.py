"""Overlap detection: pairs of agents or proposals that do the same work, compared by topics (their names,
descriptions and examples, embedded with the multilingual model) and by actions.

For two topics, each text of one (the topic's name, description and examples) is matched with its closest text of
the other (cosine of multilingual-e5 passage vectors), and the mean of those best matches, taken both ways and
averaged, is their similarity. Topics are paired one to one, closest first, when their similarity reaches
`TOPIC_MATCH`: on e5's compressed scale (distinct topics of the hero agents score a median 0.85), 0.90 is where
rewordings of one topic land (0.89-0.92 for the shipped `billing_desk` example against the Service agent). A pair's
topic overlap is the larger of the two shares of topics paired (how much of one is already done by the other); its
action overlap is the share of the smaller action set called by both. A pair is flagged when either reaches
`FLAG`. Entities both may write are listed as evidence, never flagged alone: a concierge that
creates leads and an SDR that works them share the `Lead` entity by design.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from typing import Any

import numpy as np

from cadre.knowledge.embeddings import Embedder, Vectors
from cadre.portfolio.models import STAGES, Profile, ProfileTopic

TOPIC_MATCH = 0.90
FLAG = 0.5
_KEPT = 50_000  # topic texts whose vectors are kept (384 floats each: 75 MB at most)
_VECTORS: dict[tuple[str, str], Vectors] = {}


@dataclass(frozen=True)
class TopicMatch:
    topic: str  # of the pair's first agent
    other: str  # its closest topic of the second
    similarity: float


@dataclass(frozen=True)
class Overlap:
    first: str
    second: str
    topic_overlap: float
    action_overlap: float
    topics: tuple[TopicMatch, ...]  # matched topics, closest first
    actions: tuple[str, ...]  # called by both
    writes: tuple[str, ...]  # entities both may write
    extend: str  # the one to keep and extend
    instead: str  # the one whose work it would take over

    @property
    def score(self) -> float:
        return max(self.topic_overlap, self.action_overlap)

    @property
    def flagged(self) -> bool:
        return self.score >= FLAG

    @property
    def suggestion(self) -> str | None:
        if not self.flagged:
            return None
        return f"extend agent {self.extend!r} instead of {self.instead!r}"

    def to_json(self) -> dict[str, Any]:
        return {
            "agents": [self.first, self.second],
            "score": round(self.score, 3),
            "flagged": self.flagged,
            "topic_overlap": round(self.topic_overlap, 3),
            "action_overlap": round(self.action_overlap, 3),
            "topics": [{"topic": m.topic, "other": m.other, "similarity": round(m.similarity, 3)} for m in self.topics],
            "actions": list(self.actions),
            "writes": list(self.writes),
            "suggestion": self.suggestion,
        }


def find_overlaps(profiles: list[Profile], embedder: Embedder) -> list[Overlap]:
    """Every pair of `profiles` compared, most overlapping first."""
    texts = sorted({text for p in profiles for topic in p.topics for text in topic.texts})
    vectors = _embed(texts, embedder)
    row = {text: number for number, text in enumerate(texts)}
    similarities = vectors @ vectors.T if len(texts) else np.zeros((0, 0), dtype=np.float32)

    def topic_similarity(a: ProfileTopic, b: ProfileTopic) -> float:
        block = similarities[np.ix_([row[t] for t in a.texts], [row[t] for t in b.texts])]
        return float((block.max(axis=1).mean() + block.max(axis=0).mean()) / 2)

    found = [_compare(a, b, topic_similarity) for a, b in combinations(profiles, 2)]
    return sorted(found, key=lambda o: (-o.score, o.first, o.second))


def _embed(texts: list[str], embedder: Embedder) -> Vectors:
    """Texts are compared with texts of the same kind, so both sides are embedded alike, as passages: batched,
    that is four times faster than one query at a time (376 topic texts of the four hero agents: 2 s, not 9 s, on
    a busy 2-core machine). Vectors are kept per process, so a page that lists overlaps again embeds nothing."""
    missing = [text for text in texts if (embedder.name, text) not in _VECTORS]
    if missing:
        if len(_VECTORS) + len(missing) > _KEPT:
            _VECTORS.clear()
        _VECTORS.update({(embedder.name, t): v for t, v in zip(missing, embedder.embed_passages(missing), strict=True)})
    if not texts:
        return np.zeros((0, embedder.dimensions), dtype=np.float32)
    return np.vstack([_VECTORS[(embedder.name, text)] for text in texts])


def _compare(a: Profile, b: Profile, similarity: Any) -> Overlap:
    pairs = sorted(((x, y, similarity(x, y)) for x in a.topics for y in b.topics), key=lambda p: -p[2])
    # One to one, closest first: a broad topic of one agent ("a lead asks a question") may resemble several narrow
    # ones of another (products, pricing), but it does the work of one of them at most.
    matched: list[tuple[ProfileTopic, ProfileTopic, float]] = []
    covered_a: set[str] = set()
    covered_b: set[str] = set()
    for x, y, score in pairs:
        if score >= TOPIC_MATCH and x.name not in covered_a and y.name not in covered_b:
            matched.append((x, y, score))
            covered_a.add(x.name)
            covered_b.add(y.name)
    topic_overlap = max(
        len(covered_a) / len(a.topics) if a.topics else 0.0, len(covered_b) / len(b.topics) if b.topics else 0.0
    )
    shared = a.actions & b.actions
    smaller = min(len(a.actions), len(b.actions))
    keep, other = _keeper(a, b)
    return Overlap(
        first=a.name,
        second=b.name,
        topic_overlap=topic_overlap,
        action_overlap=len(shared) / smaller if smaller else 0.0,
        topics=tuple(TopicMatch(x.name, y.name, s) for x, y, s in matched),
        actions=tuple(sorted(shared)),
        writes=tuple(sorted(a.writes & b.writes)),
        extend=keep.name,
        instead=other.name,
    )


def _keeper(a: Profile, b: Profile) -> tuple[Profile, Profile]:
    """The one to extend: further along its lifecycle (a hero before a proposal), then the one doing more, then
    the one that came first (a copy never displaces its original)."""

    def standing(p: Profile) -> tuple[int, int]:
        return (STAGES.index(p.stage) if p.stage != "retired" else -1, len(p.topics))

    if standing(a) != standing(b):
        return (a, b) if standing(a) > standing(b) else (b, a)
    latest = datetime.max.replace(tzinfo=UTC)  # not stored yet: newer than anything stored
    return (a, b) if (a.since or latest, a.name) <= (b.since or latest, b.name) else (b, a)
