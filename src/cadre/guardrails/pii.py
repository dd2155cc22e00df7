"""PII detection: find personal data and the details around it in a message, offline, in the agents' languages.

Detection and masking are separate decisions. The detector finds every type (`PII_TYPES`); which of them are
replaced before a model sees the text is the caller's policy, `DEFAULT_MASKED` unless an agent says otherwise.

Each type has one recogniser: patterns confirmed by a checksum (cards: Luhn; IBAN: ISO 7064 mod 97; IP
addresses: parsed), by phone-numbering rules (`phonenumbers`), or by context words (dates of birth, ages,
bare SSNs, phone numbers, licences); names, places, organisations and job titles come from cue phrases,
suffixes and gazetteers built from Faker's locale data and short written lists; street addresses from
street-word patterns per language. Every recogniser runs on every text, whichever types the caller asked
for, so that a place or a firm is not reported as a person; overlapping candidates are settled by score,
then by length, and every result is a set of disjoint spans.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cache
from typing import get_args

from cadre.errors import ConfigError
from cadre.guardrails._pii_address import street_addresses
from cadre.guardrails._pii_ages import ages
from cadre.guardrails._pii_dates import dates
from cadre.guardrails._pii_groups import nationalities_religions_politics
from cadre.guardrails._pii_identifiers import us_driver_licenses, web_addresses, zip_codes
from cadre.guardrails._pii_names import person_names
from cadre.guardrails._pii_organisations import organisations
from cadre.guardrails._pii_patterns import (
    credit_cards,
    emails,
    ibans,
    ip_addresses,
    phone_numbers,
    us_ssns,
)
from cadre.guardrails._pii_places import locations
from cadre.guardrails._pii_titles import titles
from cadre.guardrails._pii_types import Candidate, DescriptivePiiType, IdentifyingPiiType, PiiType

__all__ = ["DEFAULT_MASKED", "PII_TYPES", "PiiDetector", "PiiSpan", "PiiType", "detect_pii"]

PII_TYPES: tuple[PiiType, ...] = get_args(IdentifyingPiiType) + get_args(DescriptivePiiType)
# What identifies a person, masked unless an agent's spec makes it visible. Places, organisations, dates,
# ages, job titles, nationalities, postcodes and web addresses stay visible by default: they describe rather
# than identify, and hiding them would hide what the conversation is about.
DEFAULT_MASKED: frozenset[PiiType] = frozenset(get_args(IdentifyingPiiType))
# Text Cadre itself put there: a placeholder is never personal data, whatever it looks like.
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z_]*_\d+\]")
_WORD_START = re.compile(r"(?<![\w'\u2019])[^\W\d_]")


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data: `text == source[start:end]` (end exclusive)."""

    type: PiiType
    start: int
    end: int
    text: str
    score: float


# (text, language, whether capitals are the writer's): every recogniser but the name one ignores the last two.
Recogniser = Callable[[str, str | None, bool], Iterable[Candidate]]
_RECOGNISERS: tuple[Recogniser, ...] = (
    lambda text, _, __: emails(text),
    lambda text, _, __: ibans(text),
    lambda text, _, __: credit_cards(text),
    lambda text, _, __: ip_addresses(text),
    lambda text, _, __: us_ssns(text),
    lambda text, _, __: us_driver_licenses(text),
    lambda text, _, __: dates(text),
    lambda text, language, _: phone_numbers(text, language=language),
    lambda text, _, __: street_addresses(text),
    lambda text, _, __: web_addresses(text),
    lambda text, language, cased: person_names(text, language=language, capitals_are_evidence=cased),
    lambda text, _, __: organisations(text),
    lambda text, _, __: locations(text),
    lambda text, _, __: nationalities_religions_politics(text),
    lambda text, _, __: titles(text),
    lambda text, _, __: ages(text),
    lambda text, _, __: zip_codes(text),
)
# When two candidates claim the same characters with the same score and length, the more trusted type wins:
# checksum-backed first, gazetteer-backed last.
_TRUST: tuple[PiiType, ...] = (
    "EMAIL_ADDRESS", "IBAN_CODE", "CREDIT_CARD", "IP_ADDRESS", "US_SSN", "US_DRIVER_LICENSE", "DATE_OF_BIRTH",
    "DATE_TIME", "PHONE_NUMBER", "STREET_ADDRESS", "DOMAIN_NAME", "PERSON", "ORGANIZATION", "LOCATION", "NRP",
    "TITLE", "AGE", "ZIP_CODE",
)  # fmt: skip
_PRIORITY = {pii_type: rank for rank, pii_type in enumerate(_TRUST)}


class PiiDetector:
    """Reports the configured PII types found in text (all by default; pass `types=DEFAULT_MASKED` for what a
    model must not see); safe to share between threads (it keeps no state per call)."""

    def __init__(self, *, types: Collection[PiiType] | None = None) -> None:
        chosen = PII_TYPES if types is None else tuple(types)
        unknown = sorted(set(chosen) - set(PII_TYPES))
        if unknown:
            raise ConfigError(f"PII types must be among {list(PII_TYPES)!r}, got {unknown!r}")
        self.types: tuple[PiiType, ...] = tuple(t for t in PII_TYPES if t in chosen)

    def detect(self, text: str, *, language: str | None = None) -> list[PiiSpan]:
        """Disjoint spans sorted by start; `language` (ISO 639-1) picks the home region for phone numbers."""
        protected = [m.span() for m in _PLACEHOLDER.finditer(text)]
        # A message typed without capitals is read with every word capitalised (the copy has the same length,
        # so spans found in it slice the original); the name recogniser then asks for stronger evidence.
        cased = any(char.isupper() for char in text)
        reading = text if cased else _capitalise_words(text)
        candidates: list[Candidate] = []
        for recogniser in _RECOGNISERS:
            for found in recogniser(reading, language, cased):
                start, end = found.start, found.end
                if end > start and not any(start < p_end and p_start < end for p_start, p_end in protected):
                    candidates.append(found)
        return [span for span in _disjoint(text, candidates) if span.type in self.types]


def _capitalise_words(text: str) -> str:
    chars = list(text)
    for match in _WORD_START.finditer(text):
        upper = match.group().upper()
        if len(upper) == 1:  # "ß".upper() is "SS": leave such letters, so the copy keeps the text's length
            chars[match.start()] = upper
    return "".join(chars)


def _disjoint(text: str, candidates: list[Candidate]) -> list[PiiSpan]:
    ranked = sorted(candidates, key=lambda c: (-c.score, c.start - c.end, _PRIORITY[c.type], c.start))
    taken: list[PiiSpan] = []
    for pii_type, start, end, score in ranked:
        if all(end <= span.start or span.end <= start for span in taken):
            taken.append(PiiSpan(pii_type, start, end, text[start:end], score))
    return sorted(taken, key=lambda span: span.start)


@cache
def _default_detector() -> PiiDetector:
    return PiiDetector()


def detect_pii(text: str, *, language: str | None = None) -> list[PiiSpan]:
    """`PiiDetector().detect(text)`: every type, through one shared detector."""
    return _default_detector().detect(text, language=language)
