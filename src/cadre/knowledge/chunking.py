"""Split a document into chunks that keep the heading path they sit under."""

from __future__ import annotations

import re

from cadre.knowledge.models import ChunkText

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
MAX_CHARS = 1200
MIN_CHARS = 200


def chunk_document(title: str, text: str, *, max_chars: int = MAX_CHARS) -> list[ChunkText]:
    """Sections under headings become chunks; long sections split on paragraphs, then sentences.

    The document's own `#` title is not repeated in the heading path (the title travels with the chunk).
    """
    sections: list[tuple[tuple[str, ...], list[str]]] = []
    path: list[tuple[int, str]] = []
    paragraphs: list[str] = []
    current: list[str] = []

    def close_paragraph() -> None:
        if current:
            paragraphs.append("\n".join(current).strip())
            current.clear()

    def close_section() -> None:
        close_paragraph()
        if any(p for p in paragraphs):
            sections.append((tuple(h for _, h in path), [p for p in paragraphs if p]))
        paragraphs.clear()

    for line in text.splitlines():
        match = HEADING.match(line)
        if match:
            close_section()
            level, heading = len(match.group(1)), match.group(2).strip()
            path[:] = [(lvl, h) for lvl, h in path if lvl < level]
            if not (level == 1 and heading == title and not sections):
                path.append((level, heading))
        elif not line.strip():
            close_paragraph()
        else:
            current.append(line)
    close_section()

    chunks: list[ChunkText] = []
    for heading_path, section in sections:
        for piece in _pack(section, max_chars):
            chunks.append(ChunkText(ordinal=len(chunks), heading_path=heading_path, text=piece))
    return _merge_tiny(chunks, max_chars)


def _pack(paragraphs: list[str], max_chars: int) -> list[str]:
    pieces: list[str] = []
    buffer = ""
    for paragraph in paragraphs:
        for part in _split_long(paragraph, max_chars):
            if buffer and len(buffer) + len(part) + 2 > max_chars:
                pieces.append(buffer)
                buffer = part
            else:
                buffer = f"{buffer}\n\n{part}" if buffer else part
    if buffer:
        pieces.append(buffer)
    return pieces


SENTENCE_END = re.compile("(?<=[.!?\u3002\uff01\uff1f])\\s*")  # with CJK full stops and full-width marks


def _split_long(paragraph: str, max_chars: int) -> list[str]:
    if len(paragraph) <= max_chars:
        return [paragraph]
    parts: list[str] = []
    buffer = ""
    for sentence in (s for s in SENTENCE_END.split(paragraph) if s):
        while len(sentence) > max_chars:  # one enormous "sentence": cut it, nothing is dropped
            parts.append(sentence[:max_chars])
            sentence = sentence[max_chars:]
        if buffer and len(buffer) + len(sentence) + 1 > max_chars:
            parts.append(buffer)
            buffer = sentence
        else:
            buffer = f"{buffer} {sentence}".strip() if buffer else sentence
    if buffer:
        parts.append(buffer)
    return parts


def _merge_tiny(chunks: list[ChunkText], max_chars: int) -> list[ChunkText]:
    """A very short chunk (a one-line section) joins the next one under the same parent, if it fits."""
    merged: list[ChunkText] = []
    for chunk in chunks:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and len(previous.text) < MIN_CHARS
            and previous.heading_path[:-1] == chunk.heading_path[:-1]
            and len(previous.text) + len(chunk.text) + 2 <= max_chars
        ):
            label = chunk.heading_path[-1] if chunk.heading_path else ""
            text = f"{previous.text}\n\n{label}\n{chunk.text}" if label else f"{previous.text}\n\n{chunk.text}"
            merged[-1] = ChunkText(previous.ordinal, previous.heading_path, text)
        else:
            merged.append(ChunkText(len(merged), chunk.heading_path, chunk.text))
    return merged
