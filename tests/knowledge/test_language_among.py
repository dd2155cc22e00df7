"""An agent's languages narrow the choice for short messages; undecidable ones keep the default."""

import pytest

from cadre.knowledge.language import detect_language_among

AGENT = ["en", "es", "fr", "de", "it", "pt", "ja"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prueba gratuita", "es"),  # too short for plain detection, clear among the agent's languages
        ("Essai gratuit", "fr"),
        ("Prova gratuita", "de"),  # Italian or Portuguese: undecided, so the default
        ("SAML", "de"),
        ("How do I download my invoices from the billing page?", "en"),  # clearly English: it replaces German
        ("How do I reset my password?", "de"),  # English 0.28 vs German 0.20: too close to leave the conversation's
        ("パスワードを再設定したい SAML SSO", "ja"),  # kana make it Japanese, whatever Latin words sit beside
        ("Привет, как дела сегодня?", "de"),  # Russian, which the agent does not speak
    ],
)
def test_short_messages_are_placed_among_the_agents_languages(text: str, expected: str) -> None:
    assert detect_language_among(text, AGENT, default="de") == expected


@pytest.mark.parametrize(
    "text",
    ["Send me a link to reset my password", "Can Pulse export reports to CSV or Parquet?", "pipeline at Jadestar"],
)
def test_an_english_conversation_is_not_flipped_by_a_near_tie(text: str) -> None:
    # lingua ranks German or French (a product name, "Parquet") a little above English on each of these.
    assert detect_language_among(text, AGENT, default="en") == "en"
