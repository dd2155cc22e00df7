"""Policy adherence: sentences a reply must never contain (promises, competitors' names, advice the company does
not give), as the agent's builder lists them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from cadre.guardrails.grounding import sentences


@dataclass(frozen=True)
class PolicyRevision:
    text: str  # the reply without the offending sentences
    dropped: tuple[tuple[str, str], ...]  # (sentence, the phrase it contains)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def enforce_forbidden(reply: str, phrases: Sequence[str]) -> PolicyRevision:
    """Drop every sentence that contains a forbidden phrase (case- and width-insensitive; whole words in scripts
    written with spaces)."""
    if not phrases:
        return PolicyRevision(reply, ())
    patterns = [(phrase, re.compile(_pattern(_fold(phrase)))) for phrase in phrases if phrase.strip()]
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    for sentence in sentences(reply):
        folded = _fold(sentence)
        hit = next((phrase for phrase, pattern in patterns if pattern.search(folded)), None)
        if hit is None:
            kept.append(sentence)
        else:
            dropped.append((sentence, hit))
    return PolicyRevision(" ".join(kept) if dropped else reply, tuple(dropped))


def _pattern(phrase: str) -> str:
    body = re.escape(phrase.strip())
    start = r"(?<!\w)" if _spaced_letter(phrase.strip()[0]) else ""
    end = r"(?!\w)" if _spaced_letter(phrase.strip()[-1]) else ""
    return start + body + end


def _spaced_letter(char: str) -> bool:
    # Scripts written without spaces (Japanese, Chinese) have no word boundaries to require.
    return char.isalnum() and ord(char) < 0x2E80
