"""Identifiers read from their shape plus a cue: web addresses, US driver's licences, ZIP codes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cadre.guardrails._pii_context import near_before
from cadre.guardrails._pii_types import Candidate

_URL = re.compile(r"(?<![\w@/.-])(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
# A bare domain needs a top-level domain people type; "example.md" and "v1.2" are not web addresses.
_BARE_DOMAIN = re.compile(
    r"(?<![\w@/.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:com|org|net|edu|gov|io|co|ai|app|dev|info|biz|uk|de|fr|es|it|pt|br|jp|nl|be|se|dk|no|fi|pl|cz|at|ch|"
    r"au|ca|us|eu|ie|cy|ru|in|mx|ar|cl)(?![\w@-]|\.\w)",
    re.IGNORECASE,
)
# US licence formats vary by state (one letter then 4-14 digits, 7-9 digits, digit groups with dashes); a
# licence number is read only where the text says it is one, so the shape check only rejects the absurd.
_LICENCE = re.compile(
    r"(?<![\w-])(?:[A-Z]{1,2}[ -]?\d{4,14}|\d{4,12}|\d{2,4}(?:-\d{2,4}){1,3}|[A-Z]\d{3}-\d{4}-\d{4})(?![\w-])"
)
_LICENCE_CONTEXT = (
    "driver's license", "drivers license", "driver license", "driver\u2019s license", "driving licence",
    "driver's licence", "driving license", "dl#", "dl #", "dl number", "license number", "licence number",
)  # fmt: skip
_ZIP = re.compile(r"(?<![\w-])\d{5}(?:-\d{4})?(?![\w-])")
_ZIP_CONTEXT = (
    "zip",
    "zip code",
    "zipcode",
    "postal code",
    "postcode",
    "post code",
    "código postal",
    "code postal",
    "cap ",
    "plz",
)


def web_addresses(text: str) -> Iterator[Candidate]:
    for pattern in (_URL, _BARE_DOMAIN):
        for match in pattern.finditer(text):
            end = match.start() + len(match.group().rstrip(".,;:!?"))
            yield Candidate("DOMAIN_NAME", match.start(), end, 0.9 if pattern is _URL else 0.7)


def us_driver_licenses(text: str) -> Iterator[Candidate]:
    for match in _LICENCE.finditer(text):
        if sum(c.isdigit() for c in match.group()) >= 5 and near_before(
            text, match.start(), _LICENCE_CONTEXT, window=40
        ):
            yield Candidate("US_DRIVER_LICENSE", match.start(), match.end(), 0.9)


def zip_codes(text: str) -> Iterator[Candidate]:
    for match in _ZIP.finditer(text):
        cued = near_before(text, match.start(), _ZIP_CONTEXT, window=25)
        # "Springfield, IL 62704": a state code right before five digits is a US postcode.
        after_state = re.search(r"\b[A-Z]{2},?[ \t]$", text[max(0, match.start() - 4) : match.start()]) is not None
        if cued or after_state:
            yield Candidate("ZIP_CODE", match.start(), match.end(), 0.8 if cued else 0.5)
