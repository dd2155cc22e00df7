"""PII detection: find personal data and the details around it in a message, offline, in the agents' languages.

Detection and masking are separate decisions. The detector finds every type (`PII_TYPES`); which of them are
replaced before a model sees the text is the caller's policy, `DEFAULT_MASKED` unless an agent says otherwise.

Each type has a rule recogniser: patterns confirmed by a checksum (cards: Luhn; IBAN: ISO 7064 mod 97; IP
addresses: parsed), by phone-numbering rules (`phonenumbers`), or by context words (dates of birth, ages, bare
SSNs, phone numbers, licences); names, places, organisations and job titles come from cue phrases, suffixes and
gazetteers built from Faker's locale data, `wordfreq`'s everyday English words and short written lists; street
addresses from street-word patterns per language. Every recogniser runs on every text, whichever types the
caller asked for, so that a place or a firm is not reported as a person. Then a small learned tagger
(`_pii_tagger`, shipped weights, trained on Cadre's own generated sentences) reads the text with the rules'
findings as features and adds the people, places and organisations the rules left unclaimed; it runs on English
text and text of unknown language, the languages its training covers. Last, a person's name found once is found
again where its words come back alone ("Ana Lobo ... everyone calls me Ana"), a weak firm or place that holds
one is that person, and a weak one-word firm or place written just before a person joins that person's name
("Pinabel Marcil"); one word after "the" names a thing, not a person ("the Griffin"). Overlapping candidates are
settled by score, then by length, and every result is a set of disjoint spans; a name then keeps the generation
or degree written after it ("Jr.", "Ph.D.") and a region its administrative word ("Skåne län").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache
from typing import get_args

from cadre.errors import ConfigError
from cadre.guardrails._pii_places import region_word_end
from cadre.guardrails._pii_repeats import joined_to_people, repeated_names, retyped_as_people
from cadre.guardrails._pii_rules import PLACEHOLDER, disjoint, rule_candidates
from cadre.guardrails._pii_tagger import default_tagger, tagged
from cadre.guardrails._pii_titles import name_suffix_end
from cadre.guardrails._pii_types import Candidate, DescriptivePiiType, IdentifyingPiiType, PiiType

__all__ = ["DEFAULT_MASKED", "PII_TYPES", "PiiDetector", "PiiSpan", "PiiType", "detect_pii"]

PII_TYPES: tuple[PiiType, ...] = get_args(IdentifyingPiiType) + get_args(DescriptivePiiType)
# What identifies a person, masked unless an agent's spec makes it visible. Places, organisations, dates,
# ages, job titles, nationalities, postcodes and web addresses stay visible by default: they describe rather
# than identify, and hiding them would hide what the conversation is about.
DEFAULT_MASKED: frozenset[PiiType] = frozenset(get_args(IdentifyingPiiType))
# Below every rule's score: the tagger fills the gaps the rules leave and never overrides one of them (measured:
# letting it override rules' weaker spans lost more true spans than it gained).
TAGGER_SCORE = 0.3
# Below the tagger's: a repeated mention only takes words that no recogniser and no tagged span claimed.
REPEAT_SCORE = 0.2
_TAGGER_LANGUAGES = (None, "en")
# Nobody is "the Griffin" or "the Sydney Opera House": one capitalised word after the article names a thing.
# A full name stays a person there ("the Ana Lobo account"), whose masking matters more.
_ARTICLE_BEFORE = re.compile(r"(?<![\w'\u2019-])the[ \t]+\Z")


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data: `text == source[start:end]` (end exclusive)."""

    type: PiiType
    start: int
    end: int
    text: str
    score: float


class PiiDetector:
    """Reports the configured PII types found in text (all by default; pass `types=DEFAULT_MASKED` for what a
    model must not see); safe to share between threads (it keeps no state per call)."""

    def __init__(self, *, types: Collection[PiiType] | None = None) -> None:
        chosen = PII_TYPES if types is None else tuple(types)
        unknown = sorted(set(chosen) - set(PII_TYPES))
        if unknown:
            raise ConfigError(f"PII types must be among {list(PII_TYPES)!r}, got {unknown!r}")
        self.types: tuple[PiiType, ...] = tuple(t for t in PII_TYPES if t in chosen)

    def detect(self, text: str, *, language: str | None = None) -> list[PiiSpan]:
        """Disjoint spans sorted by start; `language` (ISO 639-1) picks the home region for phone numbers."""
        candidates = rule_candidates(text, language)
        protected = [m.span() for m in PLACEHOLDER.finditer(text)]
        if language in _TAGGER_LANGUAGES:
            learned = tagged(text, disjoint(candidates), candidates, default_tagger(), score=TAGGER_SCORE)
            candidates += _outside(learned, protected)
        winners = retyped_as_people(text, disjoint(candidates), up_to=TAGGER_SCORE)
        repeated = _outside(repeated_names(text, winners, score=REPEAT_SCORE), protected)
        settled = joined_to_people(text, disjoint([*winners, *repeated]), up_to=TAGGER_SCORE)
        return [
            PiiSpan(c.type, c.start, c.end, text[c.start : c.end], c.score)
            for c in _with_trailing_words(text, settled)
            if c.type in self.types and not _thing_after_article(text, c)
        ]


def _with_trailing_words(text: str, spans: list[Candidate]) -> list[Candidate]:
    """A person's name runs on over the generation or degree written after it ("Ann Lee Jr.", "Jan Novák
    Ph.D."), a region over its administrative word ("Skåne län"); no other span then keeps those words."""
    grown = []
    for span in spans:
        if span.type == "PERSON":
            span = span._replace(end=name_suffix_end(text, span.start, span.end))
        elif span.type == "LOCATION":
            span = span._replace(end=region_word_end(text, span.end))
        grown.append(span)
    extended = [g for g, s in zip(grown, spans, strict=True) if g.end != s.end]
    return [c for c in grown if c in extended or not any(e.start < c.end and c.start < e.end for e in extended)]


def _thing_after_article(text: str, span: Candidate) -> bool:
    one_word = not any(char.isspace() for char in text[span.start : span.end])
    return (
        span.type == "PERSON"
        and one_word
        and _ARTICLE_BEFORE.search(text, max(0, span.start - 5), span.start) is not None
    )


def _outside(candidates: Iterable[Candidate], protected: list[tuple[int, int]]) -> list[Candidate]:
    """The candidates that touch no placeholder Cadre put in the text."""
    return [c for c in candidates if not any(c.start < p_end and p_start < c.end for p_start, p_end in protected)]


@cache
def _default_detector() -> PiiDetector:
    return PiiDetector()


def detect_pii(text: str, *, language: str | None = None) -> list[PiiSpan]:
    """`PiiDetector().detect(text)`: every type, through one shared detector."""
    return _default_detector().detect(text, language=language)
