"""A linear sequence tagger for names, places and organisations: shipped weights, Viterbi decoding, BIO spans.

The weights in `_pii_tagger_weights.npz` were fitted by `_pii_tagger_fit` (an averaged structured perceptron)
on the sentences `_pii_training` generates. They are used when they were fitted for this feature version and
these labels; otherwise the tagger is fitted at first use, once per process (about half a minute).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cadre.guardrails._pii_features import FEATURES_VERSION, Token, token_features, tokens
from cadre.guardrails._pii_gazetteer import gazetteer
from cadre.guardrails._pii_groups import group_words
from cadre.guardrails._pii_types import Candidate, PiiType
from cadre.guardrails._pii_vocabulary import english_words

SHIPPED_WEIGHTS = Path(__file__).with_name("_pii_tagger_weights.npz")
TAGGED_TYPES: tuple[PiiType, ...] = ("PERSON", "LOCATION", "ORGANIZATION")
LABELS: tuple[str, ...] = ("O", *(f"{p}-{t}" for t in TAGGED_TYPES for p in ("B", "I")))
_OUTSIDE = 0
BIAS = "bias"
_NAME_MARKS = frozenset(".-&,'\u2019")


@dataclass(frozen=True)
class Tagger:
    """Emission weights per feature and label, transition weights between labels (last row: the start)."""

    features: dict[str, int]
    emissions: npt.NDArray[np.float64]
    transitions: npt.NDArray[np.float64]

    def labels(self, feature_lists: Sequence[Sequence[str]]) -> list[int]:
        """The best label sequence, a continuation ("I-X") only ever following its own type."""
        if not feature_lists:
            return []
        known = self.features
        rows: list[int] = []
        starts: list[int] = []
        for names in feature_lists:
            starts.append(len(rows))
            rows += [known[name] for name in names if name in known]
            if len(rows) == starts[-1]:
                rows.append(known[BIAS])  # reduceat needs a row per token; the fit always keeps the bias
        # One gather and one segmented sum for the whole text, rather than a numpy call per token.
        scores = np.add.reduceat(self.emissions[rows], starts, axis=0)
        return viterbi(scores, self.transitions)


def viterbi(scores: npt.NDArray[np.float64], transitions: npt.NDArray[np.float64]) -> list[int]:
    allowed = transitions + _FORBIDDEN
    best = allowed[-1] + scores[0]
    back = np.zeros(scores.shape, dtype=np.int64)
    for index in range(1, len(scores)):
        through = best[:, None] + allowed[:-1]
        back[index] = through.argmax(axis=0)
        best = through.max(axis=0) + scores[index]
    path = [int(best.argmax())]
    for index in range(len(scores) - 1, 0, -1):
        path.append(int(back[index, path[-1]]))
    return path[::-1]


def _forbidden() -> npt.NDArray[np.float64]:
    # Rows: the previous label, then the start; a continuation must follow its own type's B or I.
    forbidden = np.zeros((len(LABELS) + 1, len(LABELS)))
    for previous in range(len(LABELS) + 1):
        for label, name in enumerate(LABELS):
            if name.startswith("I-") and (previous == len(LABELS) or LABELS[previous][2:] != name[2:]):
                forbidden[previous, label] = -1e9
    return forbidden


_FORBIDDEN = _forbidden()


def spans_of(found: Sequence[Token], labels: Sequence[int]) -> Iterator[tuple[int, int, PiiType]]:
    """(start, end, type) of each B-X I-X... run."""
    run: list[int] = []
    for index, label in enumerate([*labels, _OUTSIDE]):
        if run and not LABELS[label].startswith("I-"):
            kind = LABELS[labels[run[0]]][2:]
            yield found[run[0]].start, found[run[-1]].end, next(t for t in TAGGED_TYPES if t == kind)
            run = []
        if LABELS[label].startswith("B-"):
            run = [index]
        elif run:
            run.append(index)


def tagged(
    text: str, winners: Sequence[Candidate], candidates: Sequence[Candidate], tagger: Tagger, *, score: float
) -> Iterator[Candidate]:
    """The tagger's PERSON, LOCATION and ORGANIZATION spans in `text`, each with `score`; `candidates` are the
    rule recognisers' findings, `winners` the disjoint set they settle on."""
    found = tokens(text)
    labels = tagger.labels(token_features(text, found, winners, candidates))
    cased = any(char.isupper() for char in text)
    common, groups = _everyday_words(), group_words()
    for start, end, kind in spans_of(found, labels):
        inside = [token for token in found if start <= token.start and token.end <= end]
        # A name starts on a word and holds only words and the marks names use ("O'Neil", "Smith-Jones",
        # "A. Lee", "Ben & Jerry's"): quotes or markup before it are dropped, and any after its start end it.
        while inside and not inside[0].text[0].isalpha():
            inside.pop(0)
        cut = next((i for i, t in enumerate(inside) if not (t.text[0].isalnum() or t.text in _NAME_MARKS)), None)
        words = [token for token in inside[:cut] if token.text[0].isalpha()]
        # Where the writer uses capitals, a name ends on one too ("Written when" is a sentence's start).
        while cased and words and not words[-1].text[0].isupper():
            words.pop()
        # Everyday words alone name nobody ("Mail us", "Each seat"): one of them must be a name or unlisted.
        # Nor do the words of peoples and faiths ("from Scandinavian descent"), which the group rule reads.
        if all(word.text.casefold() in common or word.text.casefold() in groups for word in words):
            continue
        # Nor does one open a person's name ("dear zorvex"; everyday words that are also names are not in the
        # list), while firms often start with one ("General Motors").
        while kind == "PERSON" and words[0].text.casefold() in common:
            words.pop(0)
        # Where the writer uses capitals, a name starts with one ("plans-and-pricing" is a page, not a firm).
        if not cased or words[0].text[0].isupper():
            end = _name_end(text, found, words[-1], winners) if kind == "PERSON" and cased else words[-1].end
            yield Candidate(kind, words[0].start, end, score)


def _name_end(text: str, found: Sequence[Token], last: Token, winners: Sequence[Candidate]) -> int:
    """Where a person's name ends: it runs on over the capitalised words right after it that are not everyday
    words and that no rule claimed ("Aurelio Cantù phoned", not "Aurelio" alone), on its line, at most two."""
    common = _everyday_words()
    at = found.index(last)
    end = last.end
    for token in found[at + 1 : at + 3]:
        joined = text[end : token.start] == " "
        claimed = any(w.start < token.end and token.start < w.end for w in winners)
        if not joined or claimed or not token.text.isalpha() or not token.text[0].isupper():
            break
        if token.text.casefold() in common:
            break
        end = token.end
    return end


@cache
def _everyday_words() -> frozenset[str]:
    names = gazetteer()
    return (names.common_words | english_words()) - names.first_names - names.last_names


def load_shipped(path: Path = SHIPPED_WEIGHTS) -> Tagger | None:
    """The shipped tagger if it was fitted for this feature version and these labels, else None."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as stored:
        if int(stored["features_version"]) != FEATURES_VERSION or tuple(stored["labels"].tolist()) != LABELS:
            return None
        names = stored["features"].tolist()
        return Tagger(
            features={name: row for row, name in enumerate(names)},
            emissions=stored["emissions"].astype(np.float64),
            transitions=stored["transitions"].astype(np.float64),
        )


_lock = threading.Lock()
_loaded: list[Tagger] = []


def default_tagger() -> Tagger:
    """The shipped tagger, or one fitted now when the shipped file is for another feature version."""
    with _lock:
        if not _loaded:
            shipped = load_shipped()
            if shipped is None:
                from cadre.guardrails._pii_tagger_fit import fit_default  # only when the shipped file is stale

                shipped = fit_default()
            _loaded.append(shipped)
        return _loaded[0]
