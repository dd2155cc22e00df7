"""Logistic classifiers over sentence embeddings, one per input kind: shipped fitted, refitted if the embedder differs.

The weights in `_injection_weights.npz` were fitted on Cadre's own examples in the default embedder's space. They
are used only when the embedder's name and width and the examples' digest match what they were fitted for;
otherwise the classifiers are fitted at first use, once per process (a few seconds). Regenerate the file after
editing the examples: `python -m cadre.guardrails._injection_model`.
"""
# ruff: noqa: RUF001
# (the full-width question mark ends a Japanese question)

from __future__ import annotations

import hashlib
import json
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

import numpy as np
import numpy.typing as npt

from cadre.guardrails._injection_examples import (
    DOCUMENT_TEXT,
    EMBEDDED_TASKS,
    GENERIC_TASKS,
    OVERRIDES,
    SUPPORT_ORDERS,
    USER_REQUESTS,
)
from cadre.guardrails._injection_lexicon import InputKind
from cadre.guardrails._injection_tasks import HELP_STEPS, NOTICE_TEXT, READER_TASKS
from cadre.knowledge.embeddings import Embedder, Vectors, default_embedder

SHIPPED_WEIGHTS = Path(__file__).with_name("_injection_weights.npz")

# Strong enough that 160 examples in 384 dimensions don't give near-certain scores to anything that merely
# shares a word with an example; the lexical cues carry the certainty when there is some.
L2_PENALTY = 1.0
NEWTON_STEPS = 25


@dataclass(frozen=True)
class InjectionClassifier:
    """P(injection) of an embedded window: sigmoid(((v - centre) · weights) + bias)."""

    centre: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]
    bias: float

    def logits(self, vectors: Vectors) -> npt.NDArray[np.float64]:
        return np.asarray((vectors.astype(np.float64) - self.centre) @ self.weights + self.bias, dtype=np.float64)


def fit_classifier(
    vectors: Vectors, labels: npt.NDArray[np.float64], *, penalty: float = L2_PENALTY
) -> InjectionClassifier:
    """L2-regularised logistic regression by Newton's method, each class weighted to half the total.

    Deterministic: no random start, no shuffling, so the same examples and embedder give the same weights.
    """
    centre = vectors.astype(np.float64).mean(axis=0)
    # Scaling by the spread keeps the penalty meaningful: e5 vectors sit in a narrow cone, so raw differences
    # between them are tiny and an unscaled penalty would swamp them.
    x = (vectors.astype(np.float64) - centre) / max(float(np.std(vectors)), 1e-9)
    x = np.hstack([x, np.ones((len(x), 1))])
    positives = float(labels.sum())
    sample_weight = np.where(labels > 0, 0.5 / positives, 0.5 / (len(labels) - positives)) * len(labels)
    regulariser = np.full(x.shape[1], penalty)
    regulariser[-1] = 0.0  # the bias is not shrunk
    theta = np.zeros(x.shape[1])
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-(x @ theta)))
        gradient = x.T @ (sample_weight * (p - labels)) + regulariser * theta
        hessian = (x.T * (sample_weight * p * (1 - p))) @ x + np.diag(regulariser + 1e-9)
        theta -= np.linalg.solve(hessian, gradient)
    scale = max(float(np.std(vectors)), 1e-9)
    return InjectionClassifier(centre=centre, weights=theta[:-1] / scale, bias=float(theta[-1]))


def training_set(kind: InputKind) -> tuple[list[str], list[str]]:
    """(injections, benign texts) for `kind`: orders about the answer or any task are benign from a user only."""
    if kind == "user":
        # Round 5's examples (`_injection_tasks`) are about documents; a user's message is judged as before, since
        # the user classifier's scores sit close to the threshold for short messages whose ids were masked out.
        return list(OVERRIDES), [*USER_REQUESTS, *EMBEDDED_TASKS, *GENERIC_TASKS, *DOCUMENT_TEXT, *SUPPORT_ORDERS]
    # A document may quote a customer's question (a ticket, a forum post); it should not give the assistant a task.
    questions = [text for text in USER_REQUESTS if text.rstrip().endswith(("?", "？"))]
    return [*OVERRIDES, *EMBEDDED_TASKS, *GENERIC_TASKS, *READER_TASKS], [
        *DOCUMENT_TEXT,
        *NOTICE_TEXT,
        *SUPPORT_ORDERS,
        *HELP_STEPS,
        *questions,
    ]


def examples_digest() -> str:
    """Fingerprint of everything a fit depends on besides the embedder: the examples, their labels, the penalty."""
    payload = {
        "examples": {kind: training_set(kind) for kind in get_args(InputKind)},
        "fit": {"penalty": L2_PENALTY, "newton_steps": NEWTON_STEPS},
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()


# Keyed by the embedder's name and width, so a model that shares a name but not a width never reuses a fit.
EmbedderKey = tuple[str, int]
_fitted: dict[tuple[EmbedderKey, InputKind], InjectionClassifier] = {}
_examples: dict[EmbedderKey, dict[str, Vectors]] = {}
_lock = threading.Lock()


def classifier_for(embedder: Embedder, kind: InputKind) -> InjectionClassifier:
    """The `kind` classifier in `embedder`'s space: the shipped one when it was fitted there, else fitted now."""
    key = _key(embedder)
    with _lock:
        if (key, kind) not in _fitted:
            shipped = load_shipped(embedder)
            _fitted.update(shipped or {(key, k): fit_for(embedder, k) for k in get_args(InputKind)})
        return _fitted[key, kind]


def fit_for(embedder: Embedder, kind: InputKind) -> InjectionClassifier:
    """The `kind` classifier fitted on the shipped examples in `embedder`'s space."""
    injections, benign = training_set(kind)
    vectors = _example_vectors(embedder)
    labels = np.array([1.0] * len(injections) + [0.0] * len(benign))
    return fit_classifier(np.vstack([vectors[t] for t in [*injections, *benign]]), labels)


def load_shipped(
    embedder: Embedder, path: Path = SHIPPED_WEIGHTS
) -> dict[tuple[EmbedderKey, InputKind], InjectionClassifier] | None:
    """The shipped classifiers if they were fitted for this embedder (name, width) and these examples, else None."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as stored:
        fitted_for = (str(stored["embedder"]), int(stored["dimensions"]), str(stored["digest"]))
        if fitted_for != (embedder.name, embedder.dimensions, examples_digest()):
            return None
        return {
            (_key(embedder), kind): InjectionClassifier(
                centre=stored[f"{kind}_centre"], weights=stored[f"{kind}_weights"], bias=float(stored[f"{kind}_bias"])
            )
            for kind in get_args(InputKind)
        }


def save_shipped(embedder: Embedder, path: Path = SHIPPED_WEIGHTS) -> None:
    """Fit both classifiers in `embedder`'s space and write them, with what they were fitted for, to `path`."""
    arrays: dict[str, npt.NDArray[np.generic]] = {
        "embedder": np.array(embedder.name),
        "dimensions": np.array(embedder.dimensions),
        "digest": np.array(examples_digest()),
    }
    for kind in get_args(InputKind):
        classifier = fit_for(embedder, kind)
        arrays |= {
            f"{kind}_centre": classifier.centre,
            f"{kind}_weights": classifier.weights,
            f"{kind}_bias": np.array(classifier.bias),
        }
    with path.open("wb") as file:
        np.savez_compressed(file, **arrays)  # type: ignore[arg-type]


def _example_vectors(embedder: Embedder) -> dict[str, Vectors]:
    # Both kinds' sets share most examples; embedding them once halves the first scan's wait.
    key = _key(embedder)
    if key not in _examples:
        groups = [OVERRIDES, EMBEDDED_TASKS, GENERIC_TASKS, READER_TASKS, USER_REQUESTS, DOCUMENT_TEXT, NOTICE_TEXT]
        groups += [SUPPORT_ORDERS, HELP_STEPS]
        texts = list(dict.fromkeys(text for group in groups for text in group))
        _examples[key] = dict(zip(texts, embedder.embed_passages(texts), strict=True))
    return _examples[key]


def _key(embedder: Embedder) -> EmbedderKey:
    return (embedder.name, embedder.dimensions)


if __name__ == "__main__":
    save_shipped(default_embedder(), Path(sys.argv[1]) if len(sys.argv) > 1 else SHIPPED_WEIGHTS)
