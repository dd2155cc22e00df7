"""The learned PII tagger: what it adds to the rules, its decoding, its generated training data, its shipped weights."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import faker
import faker.providers.date_time
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadre.guardrails import _pii_tagger
from cadre.guardrails._pii_features import FEATURES_VERSION, tokens
from cadre.guardrails._pii_rules import disjoint, rule_candidates
from cadre.guardrails._pii_tagger import LABELS, SHIPPED_WEIGHTS, Tagger, load_shipped, spans_of, tagged, viterbi
from cadre.guardrails._pii_tagger_fit import examples_digest, fit, save
from cadre.guardrails._pii_training import training_examples
from cadre.guardrails.pii import detect_pii


def found(text: str, *, language: str | None = None) -> list[tuple[str, str]]:
    return [(span.type, span.text) for span in detect_pii(text, language=language)]


def rules_alone(text: str) -> list[tuple[str, str]]:
    return [(c.type, text[c.start : c.end]) for c in disjoint(rule_candidates(text, None))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vantorix bought our main competitor.", ("ORGANIZATION", "Vantorix")),
        ("Apparently Aurelio Cantù phoned twice.", ("PERSON", "Aurelio Cantù")),
        ("The parcel is stuck in Kraljevo since yesterday.", ("LOCATION", "Kraljevo")),
    ],
)
def test_the_tagger_finds_what_no_rule_finds(text: str, expected: tuple[str, str]) -> None:
    assert expected not in rules_alone(text)
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Please compare Beacon with Pulse before upgrading.",
        "Open Relay and connect Okta under Settings.",
        "Halyard Pipeline syncs every hour with Beacon.",
        "Single Sign-On needs the Enterprise plan.",
        "| Plan | Starter | Professional | Enterprise |",
    ],
)
def test_product_and_help_centre_words_stay_unmarked(text: str) -> None:
    assert found(text) == []


def test_the_tagger_reads_only_english_or_unlabelled_text() -> None:
    text = "Vantorix bought our main competitor."
    assert found(text, language="en") == [("ORGANIZATION", "Vantorix")]
    assert found(text, language="de") == []  # the rules alone, as for every language the tagger was not taught


def test_a_placeholder_is_never_tagged() -> None:
    assert found("[PERSON_1] bought our main competitor.") == []


def tagged_as(text: str, labels: list[str]) -> list[tuple[str, str]]:
    """What `tagged` reports when the model labels the tokens of `text` so."""

    class Fixed(Tagger):
        def labels(self, feature_lists: Sequence[Sequence[str]]) -> list[int]:
            return [LABELS.index(label) for label in labels]

    fixed = Fixed({}, np.zeros((0, len(LABELS))), np.zeros((len(LABELS) + 1, len(LABELS))))
    return [(c.type, text[c.start : c.end]) for c in tagged(text, [], [], fixed, score=0.3)]


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        ('"Delvaro Foods" sells', ["B-ORGANIZATION", "I-ORGANIZATION", "I-ORGANIZATION", "I-ORGANIZATION", "O"],
         [("ORGANIZATION", "Delvaro Foods")]),
        ("| Zorvex | Porto", ["O", "B-ORGANIZATION", "I-ORGANIZATION", "I-ORGANIZATION"], [("ORGANIZATION", "Zorvex")]),
        ("Zorvex when we met", ["B-PERSON", "I-PERSON", "O", "O"], [("PERSON", "Zorvex")]),
        ("See plans-and-pricing", ["O", "B-ORGANIZATION", "I-ORGANIZATION", "I-ORGANIZATION", "I-ORGANIZATION"], []),
        ("Please call", ["B-ORGANIZATION", "O"], []),
        ("ask zorvex today", ["O", "B-PERSON", "O"], [("PERSON", "zorvex")]),  # no capitals anywhere: none needed
        ("Yesterday Zorvex Kantù phoned", ["O", "B-PERSON", "O", "O"], [("PERSON", "Zorvex Kantù")]),  # runs on
        ("thanks dear zorvex", ["O", "B-PERSON", "I-PERSON"], [("PERSON", "zorvex")]),  # no person opens on "dear"
        # A firm may open on one ("General Motors").
        ("General Zorvex", ["B-ORGANIZATION", "I-ORGANIZATION"], [("ORGANIZATION", "General Zorvex")]),
    ],
)  # fmt: skip
def test_decoded_spans_are_trimmed_to_the_words_a_name_can_hold(
    text: str, labels: list[str], expected: list[tuple[str, str]]
) -> None:
    assert tagged_as(text, labels) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.floats(-5, 5), min_size=len(LABELS), max_size=len(LABELS)), min_size=1, max_size=12))
def test_viterbi_never_continues_a_span_it_did_not_begin(rows: list[list[float]]) -> None:
    transitions = np.zeros((len(LABELS) + 1, len(LABELS)))
    path = viterbi(np.array(rows), transitions)
    previous = "O"
    for label in (LABELS[index] for index in path):
        if label.startswith("I-"):
            assert previous[2:] == label[2:]
        previous = label


def test_label_runs_decode_to_character_spans() -> None:
    text = "Ask Ana Lima in Porto"
    labels = [LABELS.index(name) for name in ("O", "B-PERSON", "I-PERSON", "O", "B-LOCATION")]
    assert [(text[s:e], kind) for s, e, kind in spans_of(tokens(text), labels)] == [
        ("Ana Lima", "PERSON"),
        ("Porto", "LOCATION"),
    ]


def test_training_sentences_are_seeded_and_their_spans_slice_the_text() -> None:
    first, again = training_examples(200), training_examples(200)
    assert first == again
    assert {kind for example in first for _, _, kind in example.spans} == {"PERSON", "LOCATION", "ORGANIZATION"}
    for example in first:
        for start, end, _ in example.spans:
            piece = example.text[start:end]
            assert piece and piece == piece.strip()


def test_training_sentences_do_not_depend_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # Faker's dates end at the present moment: sentences drawn with them would change by the minute, and the
    # shipped weights would stop matching a refit.
    def now_relative(*_: object, **__: object) -> None:
        raise AssertionError("a training sentence used a date relative to now")

    monkeypatch.setattr(faker.providers.date_time.Provider, "date_time", now_relative)
    examples = training_examples(400)
    assert any(char.isdigit() for example in examples for char in example.text)


def test_weights_saved_for_another_feature_version_are_not_used(tmp_path: Path) -> None:
    small = fit(training_examples(60), epochs=2)
    path = tmp_path / "weights.npz"
    save(small, "digest", path)
    loaded = load_shipped(path)
    assert loaded is not None and loaded.features == small.features
    assert np.allclose(loaded.emissions, small.emissions, atol=1e-4)
    with np.load(path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    np.savez(path, **(arrays | {"features_version": np.array(FEATURES_VERSION + 1)}))
    assert load_shipped(path) is None
    assert load_shipped(tmp_path / "missing.npz") is None


def test_stale_weights_are_replaced_by_a_fit_at_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    small = fit(training_examples(60), epochs=2)
    monkeypatch.setattr(_pii_tagger, "_loaded", [])
    monkeypatch.setattr(_pii_tagger, "load_shipped", lambda: None)
    monkeypatch.setattr("cadre.guardrails._pii_tagger_fit.fit_default", lambda: small)
    assert _pii_tagger.default_tagger() is small


@pytest.fixture(scope="module")
def shipped_faker_version() -> str:
    with np.load(SHIPPED_WEIGHTS, allow_pickle=False) as stored:
        return str(stored["faker_version"])


def test_a_refit_from_the_generated_sentences_reproduces_the_shipped_weights(shipped_faker_version: str) -> None:
    # pyproject pins Faker to the version the weights were fitted with; a bump must refit them.
    assert faker.VERSION == shipped_faker_version, (
        f"the shipped weights were fitted on Faker {shipped_faker_version}'s data, this is {faker.VERSION}: "
        "python -m cadre.guardrails._pii_tagger_fit"
    )
    examples = training_examples()
    with np.load(SHIPPED_WEIGHTS, allow_pickle=False) as stored:
        assert str(stored["digest"]) == examples_digest(examples), (
            "templates or settings changed: python -m cadre.guardrails._pii_tagger_fit"
        )
    shipped, refit = load_shipped(), fit(examples)
    assert shipped is not None
    assert shipped.features == refit.features, "rules or features changed: python -m cadre.guardrails._pii_tagger_fit"
    assert np.allclose(shipped.emissions, refit.emissions, atol=1e-4)
    assert np.allclose(shipped.transitions, refit.transitions, atol=1e-4)


def _person_names(seed: int) -> set[str]:
    return {e.text[start:end] for e in training_examples(300, seed) for start, end, kind in e.spans if kind == "PERSON"}


def test_another_seed_draws_other_names_not_only_other_templates() -> None:
    # Fakers seeded alike whatever the seed would deal the same names in another order: about a tenth shared.
    first, second = _person_names(20261129), _person_names(20261229)
    assert len(first & second) < 0.05 * len(first)
