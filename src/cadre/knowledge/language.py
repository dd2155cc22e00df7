"""Offline language detection (lingua) for documents and queries."""

from __future__ import annotations

from functools import cache
from typing import Any

# The agents' languages, plus the other major ones so a foreign text is not forced into one of ours.
SUPPORTED = ("en", "es", "fr", "de", "it", "pt", "ja", "zh", "ko", "ru", "ar", "hi", "nl", "pl", "tr", "sv")


MIN_WORDS = 3
MIN_CONFIDENCE = 0.9


@cache
def _detector() -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in SUPPORTED]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_preloaded_language_models().build()


def detect_language(text: str, *, default: str | None = None) -> str | None:
    """ISO 639-1 code of `text`'s language, or `default` when the text is too short or ambiguous."""
    sample = text[:2000].strip()
    if not sample:
        return default
    detector = _detector()
    language = detector.detect_language_of(sample)
    if language is None:
        return default
    # One or two words ("SAML", "password") fit several languages: better no answer than a wrong one.
    if len(sample.split()) < MIN_WORDS and not _mostly_unspaced(sample):
        confidences = detector.compute_language_confidence_values(sample)
        if not confidences or confidences[0].value < MIN_CONFIDENCE:
            return default
    return str(language.iso_code_639_1.name).lower()


def _mostly_unspaced(text: str) -> bool:
    from cadre.knowledge._terms import is_unspaced

    return is_unspaced(text, None)
