"""Phrase lists matched word by word: the longest listed phrase that starts at a capitalised word."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

WORD = re.compile(r"[^\W\d_]+(?:['\u2019.-][^\W\d_]+)*")
# Lower-case words allowed inside a listed phrase: "Bosnia and Herzegovina", "Isle of Man", "Bystřice nad
# Pernštejnem", "Frankfurt am Main", "Stratford-upon-Avon" (the whole phrase must still be listed).
_JOINERS = frozenset(
    "and of the de del della dei di da das dos do du la las le les los y et und nad pod am an im in der den sur "
    "sous upon on ob bei e i".split()
)


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(word.casefold() for word in WORD.findall(phrase))


@dataclass(frozen=True)
class PhraseList:
    """Case-folded phrases of up to `longest` words, each with a label (such as "country" or "city")."""

    phrases: dict[tuple[str, ...], str]
    longest: int

    @classmethod
    def of(cls, labelled: Iterable[tuple[str, str]]) -> PhraseList:
        phrases: dict[tuple[str, ...], str] = {}
        for phrase, label in labelled:
            key = _key(phrase)
            if key and len(key) <= 5:
                phrases.setdefault(key, label)
        return cls(phrases, max((len(k) for k in phrases), default=0))

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, label) of listed phrases in `text`, longest first from each position, never overlapping.

        A phrase must start and end on a capitalised word and its words must be one space apart."""
        words = [m.span() for m in WORD.finditer(text)]
        index = 0
        while index < len(words):
            found = self._longest_at(text, words, index)
            if found is None:
                index += 1
                continue
            length, label = found
            yield words[index][0], words[index + length - 1][1], label
            index += length

    def _longest_at(self, text: str, words: list[tuple[int, int]], index: int) -> tuple[int, str] | None:
        if not text[words[index][0]].isupper():
            return None
        best = None
        key: tuple[str, ...] = ()
        for offset in range(min(self.longest, len(words) - index)):
            start, end = words[index + offset]
            if offset and text[words[index + offset - 1][1] : start] != " ":
                break
            word = text[start:end]
            key = (*key, word.casefold())
            if offset and not word[0].isupper() and key[-1] not in _JOINERS:
                break
            label = self.phrases.get(key)
            if label is not None and word[0].isupper():
                best = (offset + 1, label)
        return best
