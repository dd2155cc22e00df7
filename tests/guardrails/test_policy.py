"""Forbidden phrases: offending sentences are dropped, whole words only, in any case and script."""

from cadre.guardrails.policy import enforce_forbidden


def test_sentences_with_a_forbidden_phrase_are_dropped_and_named() -> None:
    revision = enforce_forbidden(
        "Exports run nightly. We GUARANTEE no downtime! Acme Corp is slower than us.",
        ["guarantee", "Acme Corp"],
    )
    assert revision.text == "Exports run nightly."
    assert [phrase for _, phrase in revision.dropped] == ["guarantee", "Acme Corp"]


def test_phrases_match_whole_words_and_japanese_without_spaces() -> None:
    assert not enforce_forbidden("We guaranteed delivery.", ["guarantee"]).dropped
    assert enforce_forbidden("必ず返金を保証します。詳細はこちら。", ["保証"]).text == "詳細はこちら。"
    assert enforce_forbidden("Nothing to see.", []).text == "Nothing to see."
