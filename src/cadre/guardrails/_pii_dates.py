"""Dates and times; a date is a date of birth (personal, masked) only when the text says it is one."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cadre.guardrails._pii_context import near_before
from cadre.guardrails._pii_types import Candidate

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
    "januar|jänner|februar|märz|maerz|juni|juli|oktober|dezember|"
    "gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|"
    "janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|novembro|dezembro"
)
_DATE = re.compile(
    r"(?<![0-9A-Za-z/.-])(?:"  # not \w: a Japanese date sits between kana, with no space
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"  # ISO 1985-03-14
    r"|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})"  # 14/03/1985, 3.14.85
    rf"|\d{{1,2}}(?:st|nd|rd|th|er|º|°)?\.?\s(?:de\s)?(?:{_MONTHS})\.?,?\s(?:de\s|del\s)?\d{{4}}"  # 14 March 1985
    rf"|(?:{_MONTHS})\.?\s\d{{1,2}}(?:st|nd|rd|th)?,?\s\d{{4}}"  # March 14, 1985
    r"|\d{4}年\d{1,2}月\d{1,2}日"  # 1985年3月14日
    r"|(?:昭和|平成|令和)\d{1,2}年\d{1,2}月\d{1,2}日"
    r")(?:(?:[ \t]|T|,[ \t]|[ \t]at[ \t])\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[ap]\.?m\.?)?)?(?![0-9A-Za-z/-]|\.\d)",
    re.IGNORECASE,
)
# A bare year or a month and year is a date where a preposition or "year" introduces it ("in 1977").
_YEAR = re.compile(
    rf"(?<![\w$€£.,-])(?:(?:{_MONTHS})\.?[ \t]+)?(?:19|20)\d{{2}}(?![\w%-]|[.,]\d)",
    re.IGNORECASE,
)
_YEAR_CUE = re.compile(
    r"\b(?:in|since|from|until|till|by|before|after|around|circa|year|of|during|en|desde|depuis|seit|im|dal|nel|"
    r"em|desde)[ \t]+(?:the[ \t]+year[ \t]+|early[ \t]+|late[ \t]+|mid-)?$",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(?<![\w:.])\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[ap]\.?m\.?\b)?(?![\w:]|\.\d)|"
    r"(?<![\w:.])\d{1,2}[ \t]?[ap]\.?m\.?(?!\w)",
    re.IGNORECASE,
)
# A day and a month without a year, months written in full (English "May" and "March" are also words, so
# they count only beside a day number): "March 5th", "5 March", "the 5th of March".
_FULL_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DAY_MONTH = re.compile(
    rf"(?<![\w/.-])(?:(?:{_FULL_MONTHS})[ \t]+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?"
    rf"(?:{_FULL_MONTHS}))(?![\w/-]|[ \t,]+\d)",
    re.IGNORECASE,
)
_BIRTH_CONTEXT = (
    "born", "birth", "dob", "d.o.b", "birthday", "b-day", "nacimiento", "nací", "naci ", "nacido", "nacida",
    "cumpleaños", "naissance", "né le", "née le", "né ", "née ", "anniversaire", "geboren", "geburt",
    "nascita", "nato", "nata", "compleanno", "nascimento", "nasci", "nascido", "nascida", "aniversário",
    "生年月日", "生まれ", "誕生日",
)  # fmt: skip


def dates(text: str) -> Iterator[Candidate]:
    for match in _DATE.finditer(text):
        if near_before(text, match.start(), _BIRTH_CONTEXT, window=40):
            yield Candidate("DATE_OF_BIRTH", match.start(), match.end(), 0.85)
        else:
            yield Candidate("DATE_TIME", match.start(), match.end(), 0.8)
    for match in _YEAR.finditer(text):
        if match.group()[0].isalpha() or _YEAR_CUE.search(text, max(0, match.start() - 24), match.start()):
            birth = near_before(text, match.start(), _BIRTH_CONTEXT, window=40)
            yield Candidate("DATE_OF_BIRTH" if birth else "DATE_TIME", match.start(), match.end(), 0.6)
    for match in _DAY_MONTH.finditer(text):
        birth = near_before(text, match.start(), _BIRTH_CONTEXT, window=40)
        yield Candidate("DATE_OF_BIRTH" if birth else "DATE_TIME", match.start(), match.end(), 0.6)
    for match in _TIME.finditer(text):
        yield Candidate("DATE_TIME", match.start(), match.end(), 0.5)
