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
        ("How do I reset my password?", "en"),
        ("Привет, как дела сегодня?", "de"),  # Russian, which the agent does not speak
    ],
)
def test_short_messages_are_placed_among_the_agents_languages(text: str, expected: str) -> None:
    assert detect_language_among(text, AGENT, default="de") == expected
