"""The rule recognisers run together: every candidate they find, and the disjoint set that wins."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

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
from cadre.guardrails._pii_types import Candidate, PiiType

# Text Cadre itself put there: a placeholder is never personal data, whatever it looks like.
PLACEHOLDER = re.compile(r"\[[A-Z][A-Z_]*_\d+\]")
_WORD_START = re.compile(r"(?<![\w'\u2019])[^\W\d_]")

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


def rule_candidates(text: str, language: str | None) -> list[Candidate]:
    """Every recogniser's candidates on `text`, overlapping ones included, none inside a placeholder."""
    protected = [m.span() for m in PLACEHOLDER.finditer(text)]
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
    return candidates


def disjoint(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Overlaps settled by score, then length, then trust: the winners, sorted by start."""
    ranked = sorted(candidates, key=lambda c: (-c.score, c.start - c.end, _PRIORITY[c.type], c.start))
    taken: list[Candidate] = []
    for candidate in ranked:
        if all(candidate.end <= other.start or other.end <= candidate.start for other in taken):
            taken.append(candidate)
    return sorted(taken, key=lambda candidate: candidate.start)


def _capitalise_words(text: str) -> str:
    chars = list(text)
    for match in _WORD_START.finditer(text):
        upper = match.group().upper()
        if len(upper) == 1:  # "ß".upper() is "SS": leave such letters, so the copy keeps the text's length
            chars[match.start()] = upper
    return "".join(chars)
