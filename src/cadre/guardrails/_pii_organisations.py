"""Organisations without a model: a legal or trade suffix, a firm named after its partners, or a work cue.

Product names in help text ("Halyard Pipeline", "Okta") carry none of these, so they stay unmarked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cadre.guardrails._pii_gazetteer import gazetteer
from cadre.guardrails._pii_types import Candidate

_UPPER = r"[A-ZÀ-ÖØ-ÞĀ-ɏ]"
_NAME_WORD = rf"(?:{_UPPER}[\w'\u2019&.-]{{0,30}}|\d{{1,4}})"
# Legal forms, and the nouns companies end their names with: "Tableau Software", "National Van Lines".
_SUFFIX = (
    r"(?:Inc\.?|Incorporated|Corp\.?|Corporation|Co\.|Company|LLC|L\.L\.C\.|LLP|Ltd\.?|Limited|PLC|plc|GmbH|AG|"
    r"S\.A\.|SA|SAS|SARL|S\.r\.l\.|SpA|S\.p\.A\.|BV|B\.V\.|NV|N\.V\.|Oy|AB|ASA|KK|Pty|Group|Holdings|Partners|"
    r"Associates|Agency|Bank|Software|Solutions|Systems|Technologies|Technology|Labs|Laboratories|Research|"
    r"Services|Service|Consulting|Ventures|Capital|Media|Networks|Analytics|Insurance|Airlines|Airways|Lines|"
    r"Foundation|University|Institute|Enterprises|Industries|International|Pharmaceuticals|Motors|Energy|Finance|"
    r"Financial|Studios|Publishing|Press|Logistics|Partnership|Trust|Bancorp|Dynamics|Therapeutics|Biosciences|"
    r"Communications|Telecom|Restaurants|Hotels|Brands|Markets|Exchange|Realty|Properties|and[ \t]Sons)"
)
_WITH_SUFFIX = re.compile(
    rf"(?<![\w-]){_NAME_WORD}(?:[ \t]+(?:&[ \t]+|of[ \t]+|and[ \t]+)?{_NAME_WORD}){{0,3}}"
    rf",?[ \t]+{_SUFFIX}(?![\w-])"
)
_OF_FORM = re.compile(
    rf"\b(?:University|Bank|Institute|College|Museum|Ministry|Department|Bureau|Council|Society|Federation)[ \t]+"
    rf"of[ \t]+(?:the[ \t]+)?{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}"
)
# Law-firm style names built from surnames: "Fritz-Armstrong", "Barnett, Melton and Garcia".
_PARTNERS = re.compile(
    r"(?<![\w-])([^\W\d_]{2,30})-([^\W\d_]{2,30})(?![\w-])"
    r"|(?<![\w-])([^\W\d_]{2,30}),[ \t]([^\W\d_]{2,30})[ \t](?i:and|&)[ \t]([^\W\d_]{2,30})(?![\w-])"
)
# Words that open a sentence or a phrase before a firm's name without being part of it.
_LEADING_WORDS = frozenset(
    "the a an our my your their his her its this that these those please thanks hi hello dear at for with by from "
    "and or".split()
)
# "I work for X", "employed by X", "the X office": what follows (or precedes) is an employer.
_WORK_CUE = re.compile(
    r"\b(?:work(?:s|ed|ing)?[ \t]+(?:for|at)|employed[ \t]+(?:by|at)|employee[ \t]+of|job[ \t]+at|"
    r"joined|(?:CEO|CTO|CFO|founder|co-founder|president|head)[ \t]+of|"
    r"intern(?:ship)?[ \t]+at|hired[ \t]+by|shares[ \t]+(?:of|in)|invest(?:ed)?[ \t]+in|acquired[ \t]+by)[ \t]+"
)
_EMPLOYER = re.compile(rf"{_NAME_WORD}(?:[ \t]+(?:&[ \t]+)?{_NAME_WORD}){{0,3}}")
_BEFORE_WORK_NOUN = re.compile(
    rf"(?<![\w-]){_UPPER}[\w'\u2019&.-]{{0,30}}(?:[ \t]+{_NAME_WORD}){{0,2}}(?=(?:['\u2019]s)?[ \t]+"
    r"(?:office|offices|headquarters|HQ|employees|CEO|CFO|founders?|board|shareholders|stock|shares)\b)"
)


def organisations(text: str) -> Iterator[Candidate]:
    for match in _WITH_SUFFIX.finditer(text):
        start = _skip_common_lead(text, match.start(), match.end())
        if start is not None:
            yield Candidate("ORGANIZATION", start, match.end(), 0.75)
    for match in _OF_FORM.finditer(text):
        yield Candidate("ORGANIZATION", match.start(), match.end(), 0.75)
    yield from _partner_firms(text)
    for cue in _WORK_CUE.finditer(text):
        employer = _EMPLOYER.match(text, cue.end())
        start = None if employer is None else _skip_common_lead(text, employer.start(), employer.end())
        if employer is not None and start is not None:
            yield Candidate("ORGANIZATION", start, _trim_common_tail(text, start, employer.end()), 0.6)
    for match in _BEFORE_WORK_NOUN.finditer(text):
        start = _skip_common_lead(text, match.start(), match.end())
        if start is not None:
            yield Candidate("ORGANIZATION", start, match.end(), 0.55)


def _partner_firms(text: str) -> Iterator[Candidate]:
    names = gazetteer()
    for match in _PARTNERS.finditer(text):
        words = [word.casefold() for word in match.groups() if word]
        # Every part must be a listed surname, and none an everyday word: "self-service" is no firm.
        if not all(word in names.last_names and word not in names.common_words for word in words):
            continue
        # Three surnames in running prose are three people ("our founders: Morrison, Rogers and Torres");
        # on a line of their own, as in a signature block, they are a firm.
        if len(words) == 3 and not _alone_on_line(text, match.start(), match.end()):
            continue
        yield Candidate("ORGANIZATION", match.start(), match.end(), 0.7)


def _alone_on_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return not text[line_start:start].strip() and not text[end : None if line_end == -1 else line_end].strip(" .,")


def _skip_common_lead(text: str, start: int, end: int) -> int | None:
    # A sentence-initial "The" or "Our" is not part of the name ("The Northwind office"); a run of nothing
    # but everyday words names no organisation. Other everyday words belong to it ("National Van Lines").
    common = gazetteer().common_words
    words = list(re.finditer(r"\S+", text[start:end]))
    if all(word.group().casefold() in common for word in words):
        return None
    first = next((word for word in words if word.group().casefold() not in _LEADING_WORDS), words[-1])
    return start + first.start()


def _trim_common_tail(text: str, start: int, end: int) -> int:
    # "I work for Uber Today": the employer ends at its last word that is not an everyday one.
    common = gazetteer().common_words
    words = list(re.finditer(r"\S+", text[start:end]))
    while len(words) > 1 and words[-1].group().casefold() in common:
        words.pop()
    return start + words[-1].end() if words else end
