"""The closed set of PII types and the candidate tuple every recogniser yields."""

from __future__ import annotations

from typing import Literal, NamedTuple

# What identifies a person: masked unless an agent's spec makes it visible.
IdentifyingPiiType = Literal[
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
]
# What describes rather than identifies: detected, visible by default.
DescriptivePiiType = Literal[
    "LOCATION",
    "ORGANIZATION",
    "DATE_TIME",
    "TITLE",
    "AGE",
    "NRP",
    "ZIP_CODE",
    "DOMAIN_NAME",
]
PiiType = IdentifyingPiiType | DescriptivePiiType


class Candidate(NamedTuple):
    """A recogniser's finding before overlaps between recognisers are settled."""

    type: PiiType
    start: int
    end: int
    score: float
