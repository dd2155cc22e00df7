"""Grounding: is each factual sentence of a reply supported by a cited passage or an action's result?

A sentence is supported when a source states its numbers and most of its content words, or says the same in
other words (embedding similarity within the band where multilingual-e5 puts paraphrases). Questions, greetings
and offers of help carry no facts and are not checked. The evaluation centre scores groundedness with the same
function, so what is blocked live and what is measured offline agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cadre.knowledge._terms import fold
from cadre.knowledge.embeddings import Embedder

# Latin sentences end at punctuation followed by a space; Japanese ones at the full stop, ! or ? with no space.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[\u3002\uff01\uff1f])|\n+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"\w+", re.UNICODE)
_CITATION = re.compile(r"\s*\[\d{1,2}\]")
MIN_FACT_WORDS = 3  # content words
CONTENT_WORD_CHARS = 4
WORD_SUPPORT = 0.6  # share of a sentence's content words a source must contain
SIMILARITY_SUPPORT = 0.87  # cosine (query to query) at which e5 says two sentences state the same thing
CANDIDATES = 3  # source sentences embedded per claim
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class SentenceCheck:
    sentence: str
    supported: bool
    how: str  # "words", "meaning", "numbers missing", "unsupported"


@dataclass(frozen=True)
class Grounding:
    checks: tuple[SentenceCheck, ...]

    @property
    def factual(self) -> int:
        return len(self.checks)

    @property
    def supported(self) -> int:
        return sum(1 for c in self.checks if c.supported)

    @property
    def score(self) -> float:
        """Share of factual sentences supported; 1.0 when the reply states no facts."""
        return self.supported / self.factual if self.factual else 1.0

    @property
    def unsupported(self) -> list[str]:
        return [c.sentence for c in self.checks if not c.supported]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def claim_of(sentence: str) -> str:
    """The sentence as checked: citation markers like [1] removed."""
    return _CITATION.sub("", sentence)


def is_factual(sentence: str) -> bool:
    """A sentence states something checkable: a number, or several content words (short function words such as
    "here is how to do it" carry nothing to check), or a long run of Japanese text."""
    stripped = sentence.strip()
    if stripped.endswith(("?", "\uff1f")):
        return False
    content = [w for w in _WORD.findall(stripped) if len(w) >= CONTENT_WORD_CHARS and not w.isdigit()]
    unspaced = sum(1 for ch in stripped if ord(ch) > 0x2E80)
    return bool(_NUMBER.search(stripped)) or len(content) >= MIN_FACT_WORDS or unspaced >= 12


def check_grounding(reply: str, sources: Sequence[str], *, embedder: Embedder | None = None) -> Grounding:
    """Check every factual sentence of `reply` against `sources` (cited passages, action results as text)."""
    claims = [claim for claim in map(claim_of, sentences(reply)) if is_factual(claim)]
    if not claims:
        return Grounding(())
    source_units = [_units(source) for source in sources]
    source_numbers = set().union(*(_numbers(s) for s in sources)) if sources else set()
    checks: list[SentenceCheck | None] = []
    for claim in claims:
        if _numbers(claim) - source_numbers:
            checks.append(SentenceCheck(claim, False, "numbers missing"))
            continue
        units = _content(_units(claim))
        if units and sources and max(len(units & su) / len(units) for su in source_units) >= WORD_SUPPORT:
            checks.append(SentenceCheck(claim, True, "words"))
        else:
            checks.append(None)
    pending = [i for i, check in enumerate(checks) if check is None]
    if pending and embedder is not None and sources:
        for i, similarity in zip(pending, _similarities([claims[i] for i in pending], sources, embedder), strict=True):
            supported = similarity >= SIMILARITY_SUPPORT
            checks[i] = SentenceCheck(claims[i], supported, "meaning" if supported else "unsupported")
    return Grounding(
        tuple(c if c is not None else SentenceCheck(claims[i], False, "unsupported") for i, c in enumerate(checks))
    )


def _similarities(claims: list[str], sources: Sequence[str], embedder: Embedder) -> list[float]:
    """Each claim's best cosine against the source sentences that share most words with it: embedding every
    sentence of every cited passage would cost more than the rest of the turn."""
    candidates = [s for source in sources for s in sentences(source)] or list(sources)
    candidate_units = [_units(c) for c in candidates]
    chosen: list[list[int]] = []
    for claim in claims:
        units = _units(claim)
        ranked = sorted(range(len(candidates)), key=lambda i: -len(units & candidate_units[i]))
        chosen.append(ranked[:CANDIDATES])
    needed = sorted({i for picks in chosen for i in picks})
    # Both sides as queries: e5's symmetric mode separates paraphrases (~0.9) from unrelated text (~0.82) best.
    vectors = {i: embedder.embed_query(candidates[i]) for i in needed}
    claim_vectors = [embedder.embed_query(claim) for claim in claims]
    return [
        float(max(vectors[i] @ vector for i in picks)) if picks else 0.0
        for picks, vector in zip(chosen, claim_vectors, strict=True)
    ]


def _units(text: str) -> set[str]:
    """Words of spaced scripts; character pairs of unspaced ones (Japanese has no spaces to split words at)."""
    found: set[str] = set()
    for run in _WORD.findall(fold(text)):
        if _UNSPACED.search(run):
            found.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
        else:
            found.add(run)
    return found


def _content(units: set[str]) -> set[str]:
    """The units that carry facts: "I found it for you" rests on "found"; "I", "for" and "you" prove nothing
    either way, yet would count against a sentence whose source is an action's JSON."""
    kept = {u for u in units if len(u) >= CONTENT_WORD_CHARS or _UNSPACED.search(u) or any(c.isdigit() for c in u)}
    return kept or units


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}
