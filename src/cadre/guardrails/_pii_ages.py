"""Ages: a number is someone's age only in the phrases that state one ("47 years old", "just turned 47")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cadre.guardrails._pii_types import Candidate

_NUMBER = r"(1[01]\d|\d{1,2})"
# A sentence's full stop may follow an age ("Age 45."), a decimal point may not ("aged 4.5").
_NOT_AN_AGE_AFTER = r"(?![\w,:/-]|[.,]\d|[ \t]?(?:%|percent|am|pm|minutes|hours|days|weeks|months|dollars|euros)\b)"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
# Spelled out: "twenty-five years old", "a nine-year-old".
_WORDS = rf"((?:{_TENS})(?:[- ](?:{_UNITS}))?|{_UNITS}|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen)"
_AGES = (
    # "47 years old", "a 47-year-old", "47 años", "47歳"
    re.compile(
        rf"(?<![\w.,$€£-])(?:{_NUMBER}|{_WORDS})(?=[ \t-]?(?:years?|yrs?)[ \t-]old\b|-year-old\b|"
        r"[ \t]?(?:yo|y\.o\.|y/o)(?![\w/])|"
        r"[ \t](?:años|ans|Jahre|anni|anos)\b|歳|才)",
        re.IGNORECASE,
    ),
    # "aged 47", "age: 47", "just turned 47"
    re.compile(
        rf"\b(?:aged?|age:|age[ \t]+of|turn(?:s|ed|ing)?|edad:?|âge:?|Alter:?|età:?|idade:?)[ \t]+{_NUMBER}"
        rf"{_NOT_AN_AGE_AFTER}",
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
            group = 1 if match.group(1) else 2
            yield Candidate("AGE", match.start(group), match.end(group), 0.7)
