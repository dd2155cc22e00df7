"""A person named once is named again: later or earlier mentions of a found name's own words are the same person."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from cadre.guardrails._pii_gazetteer import gazetteer
from cadre.guardrails._pii_types import Candidate

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# A possessive is not part of the name it follows ("early Marcil's").
_POSSESSIVE = re.compile(r"['\u2019]s$")
_PARTICLES = frozenset("de da das do dos del della dei di du van von der den ter la le bin ibn al el y".split())


def repeated_names(text: str, winners: Sequence[Candidate], *, score: float) -> Iterator[Candidate]:
    """PERSON spans, each with `score`, for the mentions elsewhere in `text` of a word of a PERSON among `winners`
    ("Ana Lobo ... everyone calls me Ana"); words no span claims, matched with the writer's case."""
    own_words = _person_words(text, winners)
    if not own_words:
        return
    claimed = [(w.start, w.end) for w in winners]
    for match in _WORD.finditer(text):
        word = _POSSESSIVE.sub("", match.group())
        start, end = match.start(), match.start() + len(word)
        if word in own_words and not any(start < c_end and c_start < end for c_start, c_end in claimed):
            yield Candidate("PERSON", start, end, score)


def retyped_as_people(text: str, winners: Sequence[Candidate], *, up_to: float) -> list[Candidate]:
    """`winners` with each weak (score at most `up_to`) place or organisation that holds a word of a PERSON among
    them made a PERSON: "Ana Lobo" read as a firm in one sentence is still the "Lobo" of another."""
    own_words = _person_words(text, winners)
    return [
        Candidate("PERSON", c.start, c.end, c.score)
        if c.type in ("ORGANIZATION", "LOCATION")
        and c.score <= up_to
        and any(_POSSESSIVE.sub("", m.group()) in own_words for m in _WORD.finditer(text, c.start, c.end))
        else c
        for c in winners
    ]


def joined_to_people(text: str, winners: Sequence[Candidate], *, up_to: float) -> list[Candidate]:
    """`winners` with each weak (score at most `up_to`) one-word place or organisation written just before a
    PERSON joined to that person: an unknown given name read as a firm ("Pinabel" of "Pinabel Marcil")."""
    ordered = sorted(winners, key=lambda c: c.start)
    joined: list[Candidate] = []
    for candidate in ordered:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and candidate.type == "PERSON"
            and previous.type in ("ORGANIZATION", "LOCATION")
            and previous.score <= up_to
            and text[previous.end : candidate.start] == " "
            and _WORD.fullmatch(text, previous.start, previous.end)
        ):
            joined[-1] = Candidate("PERSON", previous.start, candidate.end, candidate.score)
        else:
            joined.append(candidate)
    return joined


def _person_words(text: str, winners: Sequence[Candidate]) -> set[str]:
    names = gazetteer()
    own_words: set[str] = set()
    for person in (w for w in winners if w.type == "PERSON"):
        for match in _WORD.finditer(text, person.start, person.end):
            word = _POSSESSIVE.sub("", match.group())
            # One letter is an initial and a particle or an everyday word names nobody on its own ("May", "de").
            if len(word) > 2 and word.casefold() not in _PARTICLES and word.casefold() not in names.common_words:
                own_words.add(word)
    return own_words
