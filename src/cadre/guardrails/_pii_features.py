"""Tokens and their features for the PII tagger: word, shape, affixes, list hits, the rules' labels, neighbours."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cadre.guardrails._pii_gazetteer import gazetteer
from cadre.guardrails._pii_places import places
from cadre.guardrails._pii_types import Candidate

# Bumped whenever a feature changes meaning: weights fitted for another version are not used.
FEATURES_VERSION = 2
# Words with their inner apostrophes ("O'Brien"), numbers, then any other single character.
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\d+|[^\w\s]")
_SENTENCE_END = frozenset(".!?:;")


@dataclass(frozen=True)
class Token:
    """A word, number or punctuation mark of the text, `text[start:end]`."""

    start: int
    end: int
    text: str
    line_start: bool  # first token of its line


def tokens(text: str) -> list[Token]:
    found: list[Token] = []
    previous_end = 0
    for match in _TOKEN.finditer(text):
        line_start = not found or "\n" in text[previous_end : match.start()]
        found.append(Token(match.start(), match.end(), match.group(), line_start))
        previous_end = match.end()
    return found


def shape(word: str) -> str:
    """ "Xx" for "Anna", "x" for "anna", "X" for "ANNA", "d" for digits, "Xx.x" kept short: runs collapsed."""
    classes: list[str] = []
    for char in word:
        kind = "X" if char.isupper() else "x" if char.islower() else "d" if char.isdigit() else char
        if not classes or classes[-1] != kind:
            classes.append(kind)
    return "".join(classes[:4])


def _token_labels(found: Sequence[Token], spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """The label of the span each token falls in, with "B:" or "I:", or "" outside every span."""
    labels = [""] * len(found)
    for start, end, label in spans:
        first = True
        for index, token in enumerate(found):
            if token.start >= start and token.end <= end:
                labels[index] = ("B:" if first else "I:") + label
                first = False
    return labels


def token_features(
    text: str, found: Sequence[Token], winners: Sequence[Candidate], candidates: Sequence[Candidate]
) -> list[list[str]]:
    """One feature list per token: `candidates` are all the rule recognisers' findings on `text`, `winners` the
    disjoint set they settle on."""
    names = gazetteer()
    listed = _token_labels(found, list(places().find(text)))
    ruled = _token_labels(found, [(c.start, c.end, c.type) for c in winners])
    # Every type some recogniser proposed for the token, the losers of overlaps included.
    proposed: list[set[str]] = [set() for _ in found]
    for candidate in candidates:
        for index, token in enumerate(found):
            if candidate.start <= token.start and token.end <= candidate.end:
                proposed[index].add(candidate.type)
    words = [token.text.casefold() for token in found]
    shapes = [shape(token.text) for token in found]
    features: list[list[str]] = []
    for index, token in enumerate(found):
        word = words[index]
        sentence_start = index == 0 or found[index - 1].text in _SENTENCE_END or token.line_start
        own = [
            "bias",  # the tagger's BIAS
            f"w={word}",
            f"s={shapes[index]}",
            f"p3={word[:3]}",
            f"x3={word[-3:]}",
            f"x2={word[-2:]}",
            f"pl={listed[index]}",
            f"r={ruled[index]}",
            f"ss={sentence_start}|s={shapes[index]}",
            f"ls={token.line_start}",
        ]
        own += [f"rc={kind}" for kind in sorted(proposed[index])]
        for offset in (-1, 1):
            at = index + offset
            if 0 <= at < len(found) and found[at].text[0].isupper():
                neighbour = words[at]
                known = (neighbour in names.first_names, neighbour in names.last_names)
                own.append(f"n{offset}={known[0]:d}{known[1]:d}")
        if word in names.first_names:
            own.append("g=first" if word not in names.widespread_first_names else "g=first2")
        if word in names.last_names:
            own.append("g=last")
        if word in names.common_words:
            own.append("g=common")
        if word in names.places:
            own.append("g=place")
        for offset in (-2, -1, 1, 2):
            at = index + offset
            if 0 <= at < len(found):
                own += [f"w{offset}={words[at]}", f"s{offset}={shapes[at]}", f"r{offset}={ruled[at]}"]
            else:
                own.append(f"w{offset}=<edge>")
        features.append(own)
    return features
