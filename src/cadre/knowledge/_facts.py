"""Facts in sentences: numbers, prices, dates and versions, and the words that flip a yes into a no."""

from __future__ import annotations

import re

from cadre.knowledge._terms import fold

# Numbers as written: 1,234.5 / 1.234,5 / $45 / 45 € / 99% / v2.3 / 2026-09-01 / 30 min
NUMBER = re.compile(r"(?:v(?=\d))?\d+(?:[.,:/-]\d+)*")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Words whose presence on one side only turns a statement around ("only Enterprise" vs "Professional and
# Enterprise", "is included" vs "is not included"), in the help centre's seven languages.
POLARITY = frozenset(
    fold(w)
    for w in (
        "no not never only none without except cannot can't isn't aren't doesn't don't exclusively "
        "nicht kein keine keinen nie nur ausschließlich ohne "
        "pas ne jamais seulement uniquement sans aucun aucune "
        "non mai solo soltanto senza nessun nessuna "
        "nunca sólo solamente únicamente sin ningún ninguna "
        "não nunca apenas somente sem nenhum nenhuma exclusivamente "
        "ない ません のみ だけ 不可"
    ).split()
)
SENTENCE = re.compile(r"(?<=[.!?\u3002\uff01\uff1f])\s+")
LINE_ITEM = re.compile(r"^\s*(?:\||[-*+]\s|\d+[.)]\s|#)")


def sentences(text: str) -> list[str]:
    """Sentences; table rows, list items and headings count as sentences of their own.

    Soft line breaks inside a paragraph are joined first, so a wrapped sentence stays one sentence.
    """
    units: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        running: list[str] = []
        for line in paragraph.splitlines():
            if LINE_ITEM.match(line):
                if running:
                    units.append(" ".join(running))
                    running = []
                units.append(line)
            elif line.strip():
                running.append(line.strip())
        if running:
            units.append(" ".join(running))
    found: list[str] = []
    for unit in units:
        found += [s.strip(" |-*#\t") for s in SENTENCE.split(unit)]
    return [s for s in found if len(s) > 3]


def numbers(sentence: str) -> list[str]:
    return [n.rstrip(".,") for n in NUMBER.findall(sentence)]


def shape(sentence: str) -> list[str]:
    """The sentence's words with every number replaced by one placeholder, for alignment."""
    folded = fold(sentence)
    tokens: list[str] = []
    for match in re.finditer(r"(?:v(?=\d))?\d+(?:[.,:/-]\d+)*|[^\W\d_]+", folded):
        tokens.append(
            "#"
            if match.group(0)[0].isdigit() or (match.group(0).startswith("v") and match.group(0)[1:2].isdigit())
            else match.group(0)
        )
    return tokens


UNSPACED_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def unspaced_shape(sentence: str) -> list[str]:
    """For ja/zh: each CJK character is a token, Latin words stay words (product names), numbers one placeholder."""
    tokens: list[str] = []
    for match in re.finditer(r"\d+(?:[.,:/-]\d+)*|[^\W\d_]+", fold(sentence)):
        token = match.group(0)
        if token[0].isdigit():
            tokens.append("#")
        elif UNSPACED_CHAR.search(token):
            tokens.extend(token)
        else:
            tokens.append(token)
    return tokens


def names(sentence: str) -> set[str]:
    """Capitalised words after the first: product, edition and feature names in most scripts that case."""
    found = re.findall(r"[^\W\d_]+", sentence)[1:]
    return {fold(w) for w in found if w[:1].isupper()}
