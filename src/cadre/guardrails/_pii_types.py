"""The closed set of PII types and the candidate tuple every recogniser yields."""

from __future__ import annotations

from typing import Literal, NamedTuple

PiiType = Literal[
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
    "STREET_ADDRESS",
    "DATE_OF_BIRTH",
    "US_DRIVER_LICENSE",
    "LOCATION",
    "ORGANIZATION",
    "DATE_TIME",
    "TITLE",
    "AGE",
    "NRP",
    "ZIP_CODE",
    "DOMAIN_NAME",
]


class Candidate(NamedTuple):
    """A recogniser's finding before overlaps between recognisers are settled."""

    type: PiiType
    start: int
    end: int
    score: float
