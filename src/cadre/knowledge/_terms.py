"""Search terms from text: words for spaced languages, character trigrams for unspaced ones."""

from __future__ import annotations

import re
import unicodedata

from cadre.knowledge.models import UNSPACED_LANGUAGES

WORD = re.compile(r"\w+", re.UNICODE)
# Han, Hiragana, Katakana, Hangul and Thai: scripts written without spaces between words.
UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def is_unspaced(text: str, language: str | None) -> bool:
    if language in UNSPACED_LANGUAGES:
        return True
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if UNSPACED_SCRIPT.match(c)) > len(letters) / 3


def fold(text: str) -> str:
    """Lower case without accents, the way SQLite's `remove_diacritics` tokenizer sees text."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def trigrams(text: str) -> list[str]:
    """Overlapping 3-character grams of each run of letters (shorter runs are kept whole)."""
    grams: list[str] = []
    for run in WORD.findall(fold(text)):
        grams += [run] if len(run) <= 3 else [run[i : i + 3] for i in range(len(run) - 2)]
    return grams


def terms(text: str, language: str | None) -> list[str]:
    return trigrams(text) if is_unspaced(text, language) else words(text)
