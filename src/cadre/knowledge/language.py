"""Offline language detection (lingua) for documents and queries."""

from __future__ import annotations

import re
from collections.abc import Sequence
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


SHORT_TEXT_CONFIDENCE = 0.5  # a short text's top language among the candidates needs at least this …
SHORT_TEXT_LEAD = 2.0  # … and this many times the runner-up's confidence
# A sentence's top language must lead the conversation's language by this much to replace it: on "Send me a
# link to reset my password" lingua ranks German 0.27 over English 0.23.
SENTENCE_LEAD = 1.5
KANA = re.compile(r"[\u3040-\u30ff]")  # hiragana and katakana: Japanese, whatever Latin words sit beside them
# Capitalised words after the first are mostly names and brands ("Halyard Vault", "Pulse", "CSV"), which belong to
# no language yet pull a short question towards English: "Combien coûte Halyard Vault ?" read as English.
_NAME = re.compile(r"(?<=\s)[A-Z][\w'\u2019-]*")
_LETTERS = re.compile(r"[^\W\d_]{2,}")


def detect_language_among(text: str, languages: Sequence[str], *, default: str) -> str:
    """The language of `text` among `languages` (an agent's), or `default` (the conversation's, say).

    Where the detector is unsure, the choice narrows to the given languages: two words of Spanish ("Prueba
    gratuita") are Spanish once Turkish and Dutch are off the table, while "Prova gratuita" (Italian or
    Portuguese) stays undecided, and a sentence that scores about as well in `default` as in its top language
    stays in `default`."""
    sample = text[:2000].strip()
    if not sample:
        return default
    if "ja" in languages and KANA.search(sample):
        return "ja"
    common = _NAME.sub(" ", sample)
    if len(_LETTERS.findall(common)) >= 2:
        sample = common
    detected = detect_language(sample)
    ranked = [
        (str(c.language.iso_code_639_1.name).lower(), float(c.value))
        for c in _detector().compute_language_confidence_values(sample)
    ]
    candidates = [(code, value) for code, value in ranked if code in languages]
    if detected is not None:
        if detected not in languages:
            return default
        scores = dict(candidates)
        # The conversation's language keeps the message unless the detector clearly prefers another.
        if detected != default and scores.get(detected, 0.0) < SENTENCE_LEAD * scores.get(default, 0.0):
            return default
        return detected
    if not candidates:
        return default
    best, confidence = candidates[0]
    runner_up = candidates[1][1] if len(candidates) > 1 else 0.0
    if confidence >= SHORT_TEXT_CONFIDENCE and confidence >= SHORT_TEXT_LEAD * runner_up:
        return best
    return default
