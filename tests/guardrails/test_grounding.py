"""Grounding: supported sentences pass, invented numbers and claims do not, non-factual sentences are skipped."""

from cadre.guardrails.grounding import check_grounding, is_factual, sentences
from cadre.knowledge.embeddings import default_embedder

PASSAGE = (
    "Click Forgot password, enter your work email and follow the link we send you. "
    "The link expires after 30 minutes; ask for a new one if it has."
)


def test_a_sentence_the_passage_states_is_supported_and_a_changed_number_is_not() -> None:
    result = check_grounding(
        "Click Forgot password and follow the link we send you [1]. The link expires after 45 minutes [1].",
        [PASSAGE],
    )
    assert [(c.supported, c.how) for c in result.checks] == [(True, "words"), (False, "numbers missing")]
    assert result.score == 0.5
    assert result.unsupported == ["The link expires after 45 minutes."]


def test_a_paraphrase_is_supported_by_meaning_and_an_unrelated_claim_is_not() -> None:
    embedder = default_embedder()
    paraphrase = check_grounding("The reset link stops working after half an hour.", [PASSAGE], embedder=embedder)
    invented = check_grounding("Refunds are issued to your bank account within a week.", [PASSAGE], embedder=embedder)
    assert paraphrase.checks[0].supported, paraphrase
    assert not invented.checks[0].supported


def test_questions_and_short_courtesies_carry_no_facts() -> None:
    assert not is_factual("Can I help with anything else?")
    assert not is_factual("Thanks!")
    assert not is_factual("Here is how to do it.")
    assert check_grounding("Here is how to do it [1].", []).factual == 0  # a citation is not a number
    assert is_factual("Invoices are due in 30 days.")
    assert check_grounding("Can I help with anything else?", []).score == 1.0


def test_japanese_sentences_are_split_without_spaces() -> None:
    assert sentences("リンクの有効期限は30分です。メールを確認してください。") == [
        "リンクの有効期限は30分です。",
        "メールを確認してください。",
    ]
    result = check_grounding("リンクの有効期限は30分です。", ["サインインページで。リンクの有効期限は30分です。"])
    assert result.score == 1.0


def test_short_function_words_neither_support_nor_sink_a_sentence() -> None:
    result = '{"found": true, "invoice": {"invoice_id": "INV-0000405", "status": "paid"}}'
    assert check_grounding("I found invoice INV-0000405 for you.", [result]).score == 1.0
    # The same frame around facts the result does not hold is still unsupported.
    assert check_grounding("I refunded invoice INV-0000405 for you yesterday.", [result]).score == 0.0
