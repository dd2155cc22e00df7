"""Ages: a number is someone's age only in the phrases that state one ("47 years old", "just turned 47")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cadre.guardrails._pii_types import Candidate

_NUMBER = r"(1[01]\d|\d{1,2})"
_NOT_AN_AGE_AFTER = r"(?![\w.,:/-]|[ \t]?(?:%|percent|am|pm|minutes|hours|days|weeks|months|dollars|euros)\b)"
_AGES = (
    # "47 years old", "a 47-year-old", "47 años", "47歳"
    re.compile(
        rf"(?<![\w.,$€£]){_NUMBER}(?=[ \t-]?(?:years?|yrs?)[ \t-]old\b|-year-old\b|[ \t]?(?:yo|y\.o\.)\b|"
        r"[ \t](?:años|ans|Jahre|anni|anos)\b|歳|才)",
        re.IGNORECASE,
    ),
    # "aged 47", "age: 47", "just turned 47"
    re.compile(
        rf"\b(?:aged?|age:|turn(?:s|ed|ing)?|edad:?|âge:?|Alter:?|età:?|idade:?)[ \t]+{_NUMBER}{_NOT_AN_AGE_AFTER}",
        re.IGNORECASE,
    ),
    # "when he was 78.", "I'm 32", "tengo 32 años"
    re.compile(
        r"\b(?:(?:he|she|i|they|you|we)[ \t]+(?:was|is|were|am|are)|i['\u2019]m|he['\u2019]s|she['\u2019]s|tengo|"
        rf"j['\u2019]ai|ho|tenho)[ \t]+{_NUMBER}(?=[ \t]*(?:[.!?;]|$|,|[ \t](?:years?|años|ans|anni|anos)\b))",
        re.IGNORECASE,
    ),
)


def ages(text: str) -> Iterator[Candidate]:
    for pattern in _AGES:
        for match in pattern.finditer(text):
            yield Candidate("AGE", match.start(1), match.end(1), 0.7)
