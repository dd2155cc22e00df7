"""Context words: whether a cue such as "phone" or "born" sits just before a candidate, or one such as "is my
address" just after it."""

from __future__ import annotations

from collections.abc import Iterable


def near_before(text: str, start: int, cues: Iterable[str], *, window: int) -> bool:
    """True when one of `cues` (lower case) occurs in the `window` characters before `start`.

    Cues written in a script without spaces (Japanese) match anywhere; others must start a word, so that
    "tel" does not fire inside "hotel"."""
    before = text[max(0, start - window) : start].lower()
    for cue in cues:
        at = before.rfind(cue)
        while at != -1:
            if not cue[0].isascii() or at == 0 or not before[at - 1].isalnum():
                return True
            at = before.rfind(cue, 0, at)
    return False


def near_after(text: str, end: int, cues: Iterable[str], *, window: int) -> bool:
    """True when one of `cues` (lower case) opens a word in the `window` characters after `end`."""
    after = text[end : end + window].lower()
    for cue in cues:
        at = after.find(cue)
        while at != -1:
            if at == 0 or not after[at - 1].isalnum():
                return True
            at = after.find(cue, at + 1)
    return False
