"""The knowledge layer's domain types: documents, chunks, search hits and curation decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SearchMode = Literal["hybrid", "keyword", "vector"]
DecisionKind = Literal["prefer", "deprecate", "merge"]

# Languages written without spaces between words: keyword search uses character bigrams for them.
UNSPACED_LANGUAGES = frozenset({"ja", "zh", "th", "ko"})


@dataclass(frozen=True)
class SourceDocument:
    """A document as read from a file, before chunking: what ingestion stores and compares by hash."""

    doc_id: str
    title: str
    text: str  # Markdown-ish: headings as `#` lines, so chunking can keep the heading path
    url: str | None = None
    language: str | None = None  # None: detect it
    updated_at: str | None = None
    source: str | None = None  # the file it came from

    @property
    def content_hash(self) -> str:
        import hashlib

        payload = "\x1f".join([self.title, self.text, self.url or "", self.language or "", self.updated_at or ""])
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class ChunkText:
    ordinal: int
    heading_path: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Citation:
    doc_id: str
    title: str
    url: str | None
    heading_path: list[str]


@dataclass(frozen=True)
class SearchHit:
    doc_id: str
    chunk_id: str
    score: float
    title: str
    url: str | None
    text: str
    language: str
    heading_path: list[str]
    updated_at: str | None = None
    keyword_rank: int | None = None
    vector_rank: int | None = None
    similarity: float | None = None  # cosine similarity of query and chunk embeddings, when vector search ran
    injection_score: float | None = None  # scored by `cadre kb scan` with the injection detector of `injection_version`
    injection_version: str | None = None

    @property
    def citation(self) -> Citation:
        return Citation(doc_id=self.doc_id, title=self.title, url=self.url, heading_path=self.heading_path)


@dataclass(frozen=True)
class SearchResponse:
    query: str
    collection: str
    mode: SearchMode
    query_language: str | None
    hits: list[SearchHit]
    cross_lingual: bool = False  # no article in the query's language: hits come from other languages
    note: str | None = None


@dataclass(frozen=True)
class IngestProblem:
    source: str
    error: str


@dataclass
class IngestReport:
    collection: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[IngestProblem] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0


@dataclass
class ScanReport:
    """A collection's chunks scored for instructions aimed at a model (`cadre kb scan`)."""

    collection: str
    scanned: int  # chunks scored this time: new, changed, or scored by another detector version
    # Every chunk of the collection that reads as instructions to a model ("doc_id#language-ordinal"): search
    # still returns it, and agents drop it before any engine reads it.
    flagged: list[str] = field(default_factory=list)
    seconds: float = 0.0
