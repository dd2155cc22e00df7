"""Search terms from text: words and their trigrams for spaced scripts, character bigrams for unspaced ones."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from cadre.knowledge.models import UNSPACED_LANGUAGES

WORD = re.compile(r"\w+", re.UNICODE)
# Han, Hiragana, Katakana, Hangul and Thai: scripts written without spaces between words.
UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
UNSPACED_RUNS = re.compile(r"([\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]+)")


def is_unspaced(text: str, language: str | None) -> bool:
    if language in UNSPACED_LANGUAGES:
        return True
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if UNSPACED_SCRIPT.match(c)) > len(letters) / 3


def fold(text: str) -> str:
    """Lower case without accents or other combining marks (Devanagari vowel signs and viramas included).

    Marks would otherwise split words: neither Python's `\\w` nor SQLite's unicode61 tokenizer counts them
    as word characters, so "पैंथर्स" would become three fragments. Dropping every mark keeps each word whole
    (its consonant skeleton, for Indic scripts) and the same on both sides of the index."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    kept = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return unicodedata.normalize("NFC", kept)  # recompose what NFKD split apart (Hangul syllables)


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def bigrams(run: str) -> list[str]:
    return [run] if len(run) <= 2 else [run[i : i + 2] for i in range(len(run) - 1)]


def _word_terms(word: str) -> list[str]:
    """A word and, when longer than three characters, its character trigrams: inflected and compound forms
    ("Verteidigung" / "Verteidigungslinie", "защиты" / "защита") still share most of their terms."""
    if len(word) <= 3:
        return [word]
    return [word] + [word[i : i + 3] for i in range(len(word) - 2)]


def terms(text: str, language: str | None = None) -> list[str]:
    """Index and query terms: each word of a spaced script with its character trigrams, and overlapping
    character bigrams of each run of an unspaced script (the usual choice for Chinese and Japanese keyword
    search), wherever they occur. `language` is accepted for symmetry; scripts decide, character by character."""
    found: list[str] = []
    for run in WORD.findall(fold(text)):
        if not UNSPACED_SCRIPT.search(run):
            found += _word_terms(run)
            continue
        for i, part in enumerate(UNSPACED_RUNS.split(run)):
            if part:
                found += bigrams(part) if i % 2 else _word_terms(part)
    return found


def rarest_terms(chunk_counts: Mapping[str, int], budget: int) -> list[str]:
    """The query terms worth scoring: the rarest first, while the chunks they occur in add up to `budget`.

    Scoring cost grows with every chunk a term occurs in, while BM25 weighs a term by how rare it is, so the
    frequent terms (common words, trigrams such as "ion") cost the most and decide the least. The rarest term
    is always kept; a term no chunk holds costs nothing. A small collection's terms all fit in the budget."""
    kept: list[str] = []
    spent = 0
    for term in sorted(chunk_counts, key=lambda t: (chunk_counts[t], t)):
        spent += chunk_counts[term]
        if kept and spent > budget:
            break
        kept.append(term)
    return kept
