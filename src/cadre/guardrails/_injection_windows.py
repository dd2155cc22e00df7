"""Cut text into the sentence, line and table-cell windows an injection scan looks at, keeping their offsets."""
# ruff: noqa: RUF001
# (full-width sentence ends are how Japanese text writes them)

from __future__ import annotations

import re

Span = tuple[int, int]

# A sentence ends at . ! ? (or their full-width forms, which Japanese writes without a following space), and where
# text pulled out of HTML lost the space between two sentences ("reply to this email.If this was not you"): a full
# stop after a lower-case word and before a capitalised one ("e.g." and "Mercury.com" are not cut).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])|(?<=[a-zß-ÿ]{3}[.!?])(?=[A-ZÀ-ÖØ-Þ][a-zß-ÿ]+\s)")
_CELL = re.compile(r"[^|]+")
MAX_WINDOW = 600  # characters; a longer run without a sentence end is cut so one window never hides a whole page


def windows(text: str) -> list[Span]:
    """Non-empty (start, end) spans covering the text: its lines, table lines cut into cells, then sentences."""
    spans: list[Span] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        # A line with two or more pipes is a table row (or a pipe-separated record); each cell is read apart so
        # an instruction hidden in one cell is not diluted by the row's numbers.
        cells = [(m.start(), m.end()) for m in _CELL.finditer(line)] if line.count("|") >= 2 else [(0, len(line))]
        for cell_start, cell_end in cells:
            start = cell_start
            for boundary in _SENTENCE_END.finditer(line, cell_start, cell_end):
                spans.append((offset + start, offset + boundary.start()))
                start = boundary.end()
            spans.append((offset + start, offset + cell_end))
        offset += len(line)
    return [piece for span in spans for piece in _trimmed(text, span)]


def _trimmed(text: str, span: Span) -> list[Span]:
    start, end = span
    while start < end and not _meaningful(text[start]):
        start += 1
    while end > start and not _meaningful(text[end - 1]):
        end -= 1
    if end <= start:
        return []
    return [(cut, min(cut + MAX_WINDOW, end)) for cut in range(start, end, MAX_WINDOW)]


def _meaningful(char: str) -> bool:
    return not (char.isspace() or char in "|-:")
