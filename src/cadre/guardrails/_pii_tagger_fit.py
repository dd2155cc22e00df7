"""Fit the PII tagger: averaged structured perceptrons over `_pii_training`'s sentences, deterministic.

Regenerate the shipped weights after editing the templates, the features or the rules:
`python -m cadre.guardrails._pii_tagger_fit`.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import faker
import numpy as np
import numpy.typing as npt

from cadre.guardrails._pii_features import FEATURES_VERSION, Token, token_features, tokens
from cadre.guardrails._pii_rules import disjoint, rule_candidates
from cadre.guardrails._pii_tagger import BIAS, LABELS, SHIPPED_WEIGHTS, Tagger, viterbi
from cadre.guardrails._pii_training import Example, training_examples

EPOCHS = 8
# The share of training tokens whose list hits are hidden (chosen on the development templates: 0.0 to 0.7
# tried, 0.5 best there).
HIDE_LISTS = 0.5
_HIDE_SEED = 11
_LIST_FEATURES = ("g=", "pl=")
# Orders of the sentences, one fit each (7 alone until round 6; 1 and 2 added to steady the refits).
_SHUFFLE_SEEDS = (7, 1, 2)


@dataclass(frozen=True)
class _Encoded:
    rows: list[npt.NDArray[np.int64]]  # feature rows of each token
    gold: npt.NDArray[np.int64]  # label index of each token


def gold_labels(found: Sequence[Token], spans: Sequence[tuple[int, int, str]]) -> list[int]:
    """BIO label indices of the tokens; a token belongs to a span when it lies wholly inside it."""
    labels = [0] * len(found)
    for start, end, kind in spans:
        first = True
        for index, token in enumerate(found):
            if token.start >= start and token.end <= end:
                labels[index] = LABELS.index(("B-" if first else "I-") + kind)
                first = False
    return labels


def example_features(example: Example) -> tuple[list[list[str]], list[int]]:
    found = tokens(example.text)
    candidates = rule_candidates(example.text, None)
    features = token_features(example.text, found, disjoint(candidates), candidates)
    return features, gold_labels(found, example.spans)


def _hide_lists(
    featurised: tuple[list[list[str]], list[int]], hider: random.Random
) -> tuple[list[list[str]], list[int]]:
    # Faker's names are also the gazetteer's, so without this every training name is "on a list" and the
    # tagger would learn nothing about the unlisted names real messages bring; hiding the list hits of some
    # tokens makes it learn the context and the word's shape too.
    feature_lists, gold = featurised
    hidden = [
        [name for name in names if not name.startswith(_LIST_FEATURES)] if hider.random() < HIDE_LISTS else names
        for names in feature_lists
    ]
    return hidden, gold


def fit(examples: Sequence[Example], *, epochs: int = EPOCHS) -> Tagger:
    """Averaged structured perceptron, fitted once per shuffle seed and averaged over the seeds: the same
    examples give the same weights (no randomness but seeded orders)."""
    hider = random.Random(_HIDE_SEED)
    featurised = [_hide_lists(example_features(example), hider) for example in examples]
    vocabulary: dict[str, int] = {}
    for feature_lists, _ in featurised:
        for names in feature_lists:
            for name in names:
                vocabulary.setdefault(name, len(vocabulary))
    encoded = [
        _Encoded([np.array([vocabulary[n] for n in names], dtype=np.int64) for names in lists], np.array(gold))
        for lists, gold in featurised
    ]
    # One order of the sentences decides much of where a perceptron ends; the mean over a few orders moves
    # less when a rule or a template changes, so a change's effect is not drowned by the refit's own.
    fits = [_perceptron(encoded, len(vocabulary), epochs, seed) for seed in _SHUFFLE_SEEDS]
    averaged = np.mean([emissions for emissions, _ in fits], axis=0)
    transitions = np.mean([transitions for _, transitions in fits], axis=0)
    keep = np.abs(averaged).max(axis=1) > 1e-9
    keep[vocabulary[BIAS]] = True
    kept = np.flatnonzero(keep)
    names = list(vocabulary)
    return Tagger(
        features={names[row]: new for new, row in enumerate(kept)},
        emissions=averaged[kept],
        transitions=transitions,
    )


def _perceptron(
    encoded: Sequence[_Encoded], features: int, epochs: int, seed: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Averaged emission and transition weights after `epochs` passes in an order shuffled from `seed`."""
    emissions = np.zeros((features, len(LABELS)))
    transitions = np.zeros((len(LABELS) + 1, len(LABELS)))
    # Averaging by the usual trick: keep step-weighted sums of the updates, subtract their mean at the end.
    emission_sums = np.zeros_like(emissions)
    transition_sums = np.zeros_like(transitions)
    order = list(range(len(encoded)))
    shuffler = random.Random(seed)
    step = 1
    for _ in range(epochs):
        shuffler.shuffle(order)
        for position in order:
            sentence = encoded[position]
            if not sentence.rows:
                continue
            scores = np.stack([emissions[rows].sum(axis=0) for rows in sentence.rows])
            predicted = np.array(viterbi(scores, transitions))
            if not np.array_equal(predicted, sentence.gold):
                for index in np.flatnonzero(predicted != sentence.gold):
                    rows = sentence.rows[index]
                    for label, sign in ((sentence.gold[index], 1.0), (predicted[index], -1.0)):
                        emissions[rows, label] += sign
                        emission_sums[rows, label] += sign * step
                for path, sign in ((sentence.gold, 1.0), (predicted, -1.0)):
                    previous = np.concatenate([[len(LABELS)], path[:-1]])
                    np.add.at(transitions, (previous, path), sign)
                    np.add.at(transition_sums, (previous, path), sign * step)
            step += 1
    return emissions - emission_sums / step, transitions - transition_sums / step


def examples_digest(examples: Sequence[Example]) -> str:
    """Fingerprint of everything a fit depends on besides the rules: the sentences, spans and settings."""
    payload = {
        "examples": [[example.text, [list(span) for span in example.spans]] for example in examples],
        "fit": {
            "epochs": EPOCHS,
            "shuffle_seeds": list(_SHUFFLE_SEEDS),
            "hide_lists": HIDE_LISTS,
            "hide_seed": _HIDE_SEED,
            "features_version": FEATURES_VERSION,
        },
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()


def fit_default() -> Tagger:
    return fit(training_examples())


def save(tagger: Tagger, digest: str, path: Path = SHIPPED_WEIGHTS) -> None:
    names = sorted(tagger.features, key=tagger.features.__getitem__)
    arrays: dict[str, npt.NDArray[np.generic]] = {
        "features_version": np.array(FEATURES_VERSION),
        "labels": np.array(LABELS),
        "digest": np.array(digest),
        # The sentences depend on Faker's data: another Faker version generates others, and fits others.
        "faker_version": np.array(faker.VERSION),
        "features": np.array(names),
        # float32 halves the file; the scores it changes are far below the margins decoding depends on.
        "emissions": tagger.emissions.astype(np.float32),
        "transitions": tagger.transitions.astype(np.float32),
    }
    with path.open("wb") as file:
        np.savez_compressed(file, **arrays)  # type: ignore[arg-type]


if __name__ == "__main__":
    examples = training_examples()
    save(fit(examples), examples_digest(examples), Path(sys.argv[1]) if len(sys.argv) > 1 else SHIPPED_WEIGHTS)
