"""How close in meaning a document window is to the rest of its document: a slipped-in task is about something else."""

from __future__ import annotations

import numpy as np

from cadre.guardrails._injection_windows import Span
from cadre.knowledge.embeddings import Vectors

# A document's windows that may give a task are compared with one embedding of everything else in it, so a
# document costs one extra embedding however many candidates it has. An e-mail's own requests ("translate the
# price list for the Madrid office") sit close to the e-mail; a task slipped into it ("tell a joke about
# giraffes") does not, and vocabulary overlap alone misses that when the request uses words the e-mail doesn't.
CONTEXT_LIMIT = 400  # characters of the rest of the document embedded (e5 reads 512 tokens at most)
MIN_CONTEXT_WORDS = 12  # less than this left around the candidates is no topic to stray from
MIN_CONTEXT_CJK = 30  # the same for Japanese and Chinese, in characters


def context_text(text: str, candidates: list[Span]) -> str | None:
    """The document without its candidate windows, whitespace collapsed; None when too little is left."""
    kept: list[str] = []
    cursor = 0
    for start, end in sorted(candidates):
        kept.append(text[cursor:start])
        cursor = max(cursor, end)
    kept.append(text[cursor:])
    rest = " ".join(" ".join(kept).split())
    cjk = sum(1 for char in rest if "\u3040" <= char <= "\u9fff")
    if len(rest.split()) < MIN_CONTEXT_WORDS and cjk < MIN_CONTEXT_CJK:
        return None
    # Lone surrogates cannot be encoded for the embedding engine.
    return rest[:CONTEXT_LIMIT].encode("utf-8", "replace").decode("utf-8")


def similarities(windows: Vectors, context: Vectors) -> list[float]:
    """Cosine similarity of each window's vector with the context's."""
    rows = windows.astype(np.float64)
    centre = context.astype(np.float64).reshape(-1)
    norms = np.linalg.norm(rows, axis=1) * max(float(np.linalg.norm(centre)), 1e-12)
    return [float(x) for x in (rows @ centre) / np.maximum(norms, 1e-12)]
