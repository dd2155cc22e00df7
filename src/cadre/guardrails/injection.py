"""Prompt-injection detection for user input and for retrieved documents and action results, offline.

Signals add up in logit space per window of text: lexical cues in seven languages (`_injection_lexicon`) and
logistic classifiers over multilingual-e5 embeddings fitted on Cadre's own examples (`_injection_model`), one per
input kind: a user may tell the assistant how to answer or give it any task, a retrieved document may not. User
messages are judged whole (and each sentence that carries a cue, alone). Documents are cut into sentence, line
and table-cell windows; only windows that carry a cue, or give an order (a listed task verb, or any verb opening the
sentence before its object's article, `_injection_orders`), make a request or ask a question that is not a UI
step ("Click **Save**") and strays from the document's vocabulary, are embedded, with the first and last
window when they share no words with the rest (a task no verb list names, put before or after the text), and one
embedding of the document without those windows, all in one batch. An embedded document window is then scored up
when its words are missing from the rest of the document (`_injection_topic`) and when its meaning is far from it
(`_injection_coherence`): a slipped-in task is off-topic; and down per word of the support domain it names, so a
help article full of orders costs a regex pass and stays clean. A task glued onto a document's truncated first or
last line ("... The Mercury T Craft a riddle ...") is cut into a window of its own. The classifiers ship fitted;
a process's first scan costs one embedding, not a fit.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import get_args

from cadre.errors import ConfigError
from cadre.guardrails._injection_coherence import context_text, similarities
from cadre.guardrails._injection_lexicon import (
    CueHit,
    InputKind,
    find_cues,
    gives_an_order,
    glued_order_gaps,
    looks_addressed_to_reader,
    only_ui_orders,
    product_words,
)
from cadre.guardrails._injection_model import classifier_for
from cadre.guardrails._injection_topic import topic_overlaps
from cadre.guardrails._injection_windows import Span, windows
from cadre.knowledge.embeddings import Embedder, default_embedder

__all__ = ["InjectionDetector", "InjectionVerdict", "InputKind"]

MIN_CLASSIFIED_WORDS = 6  # a user message shorter than this, without any cue, is not given to the classifier
MIN_CLASSIFIED_CJK = 15  # the same for Japanese and Chinese, in characters
WHOLE_MESSAGE_LIMIT = 1000  # characters; a longer user message is scanned window by window, like a document
EMBED_LIMIT = 1000  # characters of one window given to the embedder (e5 reads 512 tokens at most)
MAX_EMBEDDED_WINDOWS = 48  # per text: the strongest candidates by lexical weight, so a huge text stays bounded
# Logit of a window that was not embedded: no cue and no order or "you" in it. Prose that gives no instruction
# cannot inject one.
UNREAD_LOGIT = -4.0
# Documents are mostly third-party prose the classifier's examples only sample; asking a little more of a document
# window than of a user message keeps clean e-mails and tables clean.
KIND_OFFSET: dict[InputKind, float] = {"user": 0.0, "document": -2.0}
# A Markdown heading names a section ("## Add an endpoint"); it gives no order however it is worded.
MIN_ORDER_WORDS = 4  # a table cell or label of a few words ("Plan", "Name ID format") is no task
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]{6}")  # Japanese writes a sentence without spaces
_HEADING = re.compile(r"#{1,6}\s+(?:\S+\s*){1,8}$")
CLASSIFIER_REASON = "reads like an instruction aimed at the assistant"
OFF_TOPIC_REASON = "gives a task unrelated to the rest of the document"
# A document window's share of content words found elsewhere in the document (`_injection_topic`). An order whose
# words the document shares is about the document (a help step, a request about the account) and is not embedded;
# below the pivot, each missing share of vocabulary moves the logit up.
SKIP_OVERLAP = 0.5
TOPIC_PIVOT = 0.4
TOPIC_WEIGHT = 4.5
# A document window's cosine similarity with the rest of its document (`_injection_coherence`): above the pivot it
# is about the document and the logit moves down, below it up, by WEIGHT per unit, at most CAP either way.
COHERENCE_PIVOT = 0.81
COHERENCE_WEIGHT = 60.0
COHERENCE_CAP = 3.0
# Per word of the support domain a cue-less document window names (up to two): such an order is about the
# product, not a task slipped in.
PRODUCT_WEIGHT = 2.5
# A task slipped into a document is most often put before or after it, where the document's own requests are
# rarer than in its body; its first and last windows move up by this much.
EDGE_WEIGHT = 1.0
# A first or last window with no order recognised in it is embedded all the same when it shares no word with the
# rest of the document (`_strays`) and is sentence-sized; it is scored only when its meaning strays too (cosine at
# most STRAY_COHERENCE, see COHERENCE_PIVOT), and then asked STRAY_OFFSET more than a window that gives an order.
STRAY_OVERLAP = 0.0
STRAY_MAX_WORDS = 40
STRAY_COHERENCE = 0.78
STRAY_OFFSET = -4.5


@dataclass(frozen=True)
class InjectionVerdict:
    """Whether a text carries an injection, how sure the detector is, why, and where."""

    injection: bool
    score: float  # 0..1; the default threshold is 0.5
    reasons: tuple[str, ...]  # short human-readable cues of the flagged windows (of the top one if none is)
    spans: tuple[tuple[int, int], ...]  # (start, end) character offsets of the flagged windows, in text order


@dataclass
class _Window:
    span: Span
    hits: list[CueHit]
    embed: bool
    classifier_logit: float = field(default=UNREAD_LOGIT)
    overlap: float | None = None  # documents only: see `_injection_topic`
    product: int = 0  # documents only: words of the support domain in the window
    coherence: float | None = None  # documents only: similarity with the rest of the document, when embedded
    stray: bool = False  # documents only: embedded for straying at the document's edge, with no order recognised
    edge: bool = False  # documents only: the first or last window of a document of more than two

    def topic_logit(self) -> float:
        if not self.embed or self.overlap is None:
            return 0.0
        return TOPIC_WEIGHT * (TOPIC_PIVOT - self.overlap)

    def coherence_logit(self) -> float:
        if self.coherence is None:
            return 0.0
        return max(-COHERENCE_CAP, min(COHERENCE_CAP, COHERENCE_WEIGHT * (COHERENCE_PIVOT - self.coherence)))

    def product_logit(self) -> float:
        if any(hit.weight > 0.5 for hit in self.hits):
            return 0.0
        return -PRODUCT_WEIGHT * min(self.product, 2)

    def logit(self, kind: InputKind) -> float:
        if self.stray and (self.coherence is None or self.coherence > STRAY_COHERENCE):
            # Embedded for sharing no words with the document, but close to it in meaning: prose, not a task.
            return UNREAD_LOGIT + KIND_OFFSET[kind]
        cues = sum(hit.weight for hit in self.hits)
        return (
            self.classifier_logit
            + cues
            + self.topic_logit()
            + self.coherence_logit()
            + self.product_logit()
            + KIND_OFFSET[kind]
            + (STRAY_OFFSET if self.stray else 0.0)
            + (EDGE_WEIGHT if self.edge and not (self.stray or self.product) else 0.0)
        )

    def reasons(self) -> list[str]:
        found = [hit.reason for hit in sorted(self.hits, key=lambda hit: -hit.weight) if hit.weight > 0.5]
        if self.embed and self.classifier_logit > 0:
            found.append(CLASSIFIER_REASON)
        if self.topic_logit() + self.coherence_logit() > 0.5:
            found.append(OFF_TOPIC_REASON)
        return found


class InjectionDetector:
    """Scores text for instructions aimed at the model; `scan` for one text, `scan_many` to embed in batches."""

    def __init__(self, *, threshold: float = 0.5, embedder: Embedder | None = None) -> None:
        if not 0.0 < threshold < 1.0:
            raise ConfigError(f"`threshold` must be between 0 and 1 (exclusive), got {threshold!r}")
        self.threshold = threshold
        self._embedder = embedder

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = default_embedder()
        return self._embedder

    def scan(self, text: str, *, kind: InputKind = "user") -> InjectionVerdict:
        return self.scan_many([text], kind=kind)[0]

    @property
    def version(self) -> str:
        """Changes whenever this detector's scores could: its code, its weights or its embedder."""
        return detector_version(self.embedder.name, self.embedder.dimensions)

    def document_scores(self, texts: Sequence[str]) -> list[float]:
        """Each text's score as a document (a knowledge chunk, an action result)."""
        return [verdict.score for verdict in self.scan_many(texts, kind="document")]

    def scan_many(self, texts: Sequence[str], *, kind: InputKind = "user") -> list[InjectionVerdict]:
        if kind not in get_args(InputKind):
            raise ConfigError(f"`kind` must be one of {get_args(InputKind)!r}, got {kind!r}")
        plans = [_plan(text, kind) for text in texts]
        pending = [[w for w in plan if w.embed] for plan in plans]
        pieces = [_embeddable(text, w.span) for text, windows in zip(texts, pending, strict=True) for w in windows]
        if pieces:
            contexts = [
                context_text(text, [w.span for w in windows]) if kind == "document" and windows else None
                for text, windows in zip(texts, pending, strict=True)
            ]
            # One batch for the windows and the documents' contexts: the engine is fastest fed all at once.
            vectors = self.embedder.embed_passages(pieces + [c for c in contexts if c is not None])
            logits = classifier_for(self.embedder, kind).logits(vectors[: len(pieces)])
            at, context_at = 0, len(pieces)
            for windows, context in zip(pending, contexts, strict=True):
                own = vectors[at : at + len(windows)]
                for window, logit in zip(windows, logits[at : at + len(windows)], strict=True):
                    window.classifier_logit = float(logit)
                if context is not None:
                    for window, similarity in zip(windows, similarities(own, vectors[context_at]), strict=True):
                        window.coherence = similarity
                    context_at += 1
                at += len(windows)
        return [self._verdict(text, plan, kind) for text, plan in zip(texts, plans, strict=True)]

    def _verdict(self, text: str, plan: list[_Window], kind: InputKind) -> InjectionVerdict:
        if not plan:
            return InjectionVerdict(injection=False, score=0.0, reasons=(), spans=())
        scored = sorted(((_sigmoid(w.logit(kind)), i) for i, w in enumerate(plan)), reverse=True)
        score, top = scored[0]
        flagged = sorted(i for s, i in scored if round(s, 4) >= self.threshold)
        reasons = dict.fromkeys(r for i in (flagged or [top]) for r in plan[i].reasons())
        spans = _merged([span for i in flagged for span in _narrowed(text, plan[i])])
        score = round(score, 4)  # decided on the score as reported, so `injection == (score >= threshold)` holds
        return InjectionVerdict(
            injection=score >= self.threshold, score=score, reasons=tuple(reasons), spans=tuple(spans)
        )


def _plan(text: str, kind: InputKind) -> list[_Window]:
    """The windows to score and which of them to embed."""
    stripped = text.strip()
    if not stripped:
        return []
    if kind == "user" and len(text) <= WHOLE_MESSAGE_LIMIT:
        start = text.index(stripped[0])
        hits = find_cues(text, kind)
        # A few words with no cue at all ("Roles and permissions", "Export all your data") are a customer's
        # question, not an attack; the classifier alone flagged such help-centre titles as instructions.
        cjk = sum(1 for ch in stripped if "\u3040" <= ch <= "\u9fff")
        short = len(stripped.split()) < MIN_CLASSIFIED_WORDS and cjk < MIN_CLASSIFIED_CJK
        whole = _Window((start, start + len(stripped)), hits, embed=bool(hits) or not short)
        # A question about the product (storage, invoices, the workspace) is what customers ask; as for documents,
        # naming the support domain weighs against an injection unless a strong cue says otherwise.
        whole.product = product_words(stripped)
        if not whole.hits:
            return [whole]
        # A cue inside a long friendly message is judged on its own sentence too, or the message's benign bulk
        # would outvote it.
        sentences = [_Window(span, find_cues(text[span[0] : span[1]], kind), embed=True) for span in _sentences(text)]
        return [whole, *(_with_offsets(w) for w in sentences if w.hits and w.span != whole.span)]
    spans = _sentences(text)
    overlaps = topic_overlaps(text, spans) if kind == "document" else [None] * len(spans)
    plan = [
        _with_offsets(_Window((start, end), find_cues(text[start:end], kind), embed=False, overlap=overlap))
        for (start, end), overlap in zip(spans, overlaps, strict=True)
    ]
    if kind == "document":
        for window in plan:
            window.product = product_words(text[window.span[0] : window.span[1]])
    edges = {0, len(plan) - 1}
    for i, window in enumerate(plan):
        piece = text[window.span[0] : window.span[1]]
        # A sentence naming the product's objects is about the product, however few words it shares; one that
        # gives an order is judged as an order.
        window.stray = (
            kind == "document"
            and i in edges
            and not (window.hits or window.product or gives_an_order(piece))
            and _strays(piece, window.overlap)
        )
        window.edge = kind == "document" and i in edges and len(plan) > 2
    candidates = [
        w for w in plan if w.hits or w.stray or _may_give_a_task(text[w.span[0] : w.span[1]], w.overlap, kind)
    ]
    candidates.sort(key=lambda w: -sum(hit.weight for hit in w.hits))
    for window in candidates[:MAX_EMBEDDED_WINDOWS]:
        window.embed = True
    return plan


def _may_give_a_task(piece: str, overlap: float | None, kind: InputKind) -> bool:
    """Whether a window without cues is worth embedding: it has the shape of an order and, in a document, the
    order is not only about the product's screens and strays from what the rest of the document talks about."""
    if len(piece.split()) < MIN_ORDER_WORDS and not _CJK.search(piece):
        return False
    if kind == "user":
        return looks_addressed_to_reader(piece)
    if not gives_an_order(piece) or _HEADING.match(piece):
        return False
    return not only_ui_orders(piece) and (overlap is None or overlap < SKIP_OVERLAP)


def _strays(piece: str, overlap: float | None) -> bool:
    """Whether a document's first or last window is a sentence that shares no word with the rest of it.

    No verb list names every task ("Think up a name for a boat", "Lass dir einen Reim einfallen"), and a task slipped
    into a document is most often put before or after it, so there a stray sentence is embedded though no order was
    recognised in it.
    """
    words = len(piece.split())
    if overlap is None or overlap > STRAY_OVERLAP or _HEADING.match(piece) or only_ui_orders(piece):
        return False
    return MIN_ORDER_WORDS <= words <= STRAY_MAX_WORDS or (words < MIN_ORDER_WORDS and bool(_CJK.search(piece)))


def _sentences(text: str) -> list[Span]:
    """The text's windows, also cut where an order is glued onto the words before it without a full stop.

    An attacker can leave the full stop out so the order shares a window with the prose before it, where the
    prose dilutes it and the order no longer opens the window.
    """
    cut: list[Span] = []
    spans = windows(text)
    for i, (start, end) in enumerate(spans):
        piece_start = start
        for gap_start, gap_end in glued_order_gaps(text[start:end], at_edge=i in (0, len(spans) - 1)):
            cut.append((piece_start, start + gap_start))
            piece_start = start + gap_end
        cut.append((piece_start, end))
    return cut


def _embeddable(text: str, span: Span) -> str:
    # Lone surrogates cannot be encoded for the embedding engine; they carry no instruction either.
    piece = text[span[0] : span[1]][:EMBED_LIMIT]
    return piece.encode("utf-8", "replace").decode("utf-8")


def _with_offsets(window: _Window) -> _Window:
    """The window with its cue offsets moved from the window's text to the whole text's."""
    start = window.span[0]
    window.hits = [CueHit(hit.reason, hit.weight, hit.start + start, hit.end + start) for hit in window.hits]
    return window


def _narrowed(text: str, window: _Window) -> list[Span]:
    """A whole user message is one window; point at the sentences that hold its cues instead, when it has cues."""
    start, end = window.span
    if not window.hits or end - start <= 200:
        return [window.span]
    sentences = [(s + start, e + start) for s, e in _sentences(text[start:end])]
    return [s for s in sentences if any(h.start < s[1] and h.end > s[0] for h in window.hits)] or [window.span]


def _merged(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@cache
def detector_version(embedder: str, dimensions: int) -> str:
    """A digest of the detector's modules and shipped weights and of the embedder they read vectors from."""
    digest = hashlib.sha256(f"{embedder}:{dimensions}".encode())
    package = files("cadre.guardrails")
    for name in sorted(p.name for p in package.iterdir() if p.name.startswith(("injection.", "_injection_"))):
        digest.update(name.encode() + b"\0" + package.joinpath(name).read_bytes())
    return digest.hexdigest()[:40]
