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
    rf"|\d{{1,2}}-(?:{_MONTHS})-(?:\d{{4}}|\d{{2}})"  # 14-Mar-1985
    rf"|\d{{1,2}}(?:st|nd|rd|th|er|º|°)?\.?\s(?:de\s)?(?:{_MONTHS})\.?,?\s(?:de\s|del\s)?\d{{4}}"  # 14 March 1985
    rf"|(?:{_MONTHS})\.?\s\d{{1,2}}(?:st|nd|rd|th)?,?\s\d{{4}}"  # March 14, 1985
    r"|\d{4}年\d{1,2}月\d{1,2}日"  # 1985年3月14日
    r"|(?:昭和|平成|令和)\d{1,2}年\d{1,2}月\d{1,2}日"
    # A time may follow, with fractions of a second and a zone as machines write them ("T13:01:44.169073Z").
    r")(?:(?:[ \t]|T|,[ \t]|[ \t]at[ \t])\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"(?:[ \t]?(?:[ap]\.m\.|[ap]m\b))?)?"
    r"(?![0-9A-Za-z/-]|\.\d)",
    re.IGNORECASE,
)
# A bare year or a month and year is a date where a preposition or "year" introduces it ("in 1977").
_YEAR = re.compile(
    rf"(?<![\w$€£.,-])(?:(?:{_MONTHS})\.?[ \t]+)?(?:19|20)\d{{2}}(?![\w%-]|[.,]\d)",
    re.IGNORECASE,
)
_YEAR_CUE = re.compile(
    r"(?:\b(?:in|since|from|until|till|by|before|after|around|circa|year|of|during|on|dated|ends|ended|expires|"
    r"expired|en|desde|depuis|seit|im|dal|nel|em|desde)|\bdate:)[ \t]+(?:the[ \t]+year[ \t]+|early[ \t]+|"
    r"late[ \t]+|mid-)?$",
    re.IGNORECASE,
)
# A bare year is a date of birth right after the words that ask for one ("My birthday is 1985", "DOB: 1990",
# "year of birth 1979"): these cues name a date, so no preposition is needed.
_BIRTH_YEAR_CUE = re.compile(
    r"\b(?:born|birthday|birth[ \t]+year|year[ \t]+of[ \t]+birth|date[ \t]+of[ \t]+birth|dob|d\.o\.b\.?|b-day)"
    r"(?:[ \t]+(?:is|was|year))?[ \t]*[:=\-\u2013]?[ \t]*$",
    re.IGNORECASE,
)
# The second year of a range: "from 1999 to 2003", "between 2001 and 2004".
_RANGE_CUE = re.compile(r"(?<![\w.,-])(?:19|20)\d{2}[ \t]*(?:to|and|until|till|through|\u2013)[ \t]+$", re.IGNORECASE)
# "p.m." keeps its last dot, "PM." at a sentence's end does not: that dot is the sentence's.
_AM_PM = r"(?:[ap]\.m\.|[ap]m\b)"
_TIME = re.compile(
    rf"(?<![\w:.])\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:[ \t]?{_AM_PM})?(?![\w:]|\.\d)|"
    rf"(?<![\w:.])\d{{1,2}}[ \t]?{_AM_PM}(?!\w)",
    re.IGNORECASE,
)
# A day and a month without a year, months written in full (English "May" and "March" are also words, so
# they count only beside a day number): "March 5th", "5 March", "the 5th of March".
_FULL_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# Abbreviated months count only with an ordinal day or their dot: "Dec 3rd", "Dec. 3".
_SHORT_MONTHS = "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
_DAY_MONTH = re.compile(
    rf"(?<![\w/.-])(?:(?:{_FULL_MONTHS})[ \t]+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?"
    rf"(?:{_FULL_MONTHS})|(?:{_SHORT_MONTHS})(?:\.[ \t]+\d{{1,2}}(?:st|nd|rd|th)?|[ \t]+\d{{1,2}}(?:st|nd|rd|th)))"
    r"(?![\w/-]|[ \t,]+\d)",
    re.IGNORECASE,
)
# A capitalised abbreviated month and a bare day after the words that introduce a date ("on Feb 24", "Due: Sep
# 29"): without the cue, "Jan 7" may be a man and seven of something.
_SHORT_MONTH_DAY = re.compile(
    r"\b(?i:on|by|until|till|from|since|before|after|dated|due|ends|expires|deadline:|due:|date:)[ \t]+"
    r"((?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[ \t]+(?:0?[1-9]|[12]\d|3[01]))(?![\w/:-]|[.,]\d|[ \t,]+\d)"
)
# A weekday is a date as written, capitalised ("on Monday"); one just before a date joins it ("Friday, June 5",
# "Wed 03 Dec 2014").
_WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAY = re.compile(rf"(?<![\w-]){_WEEKDAYS}s?(?![\w-])")
_WEEKDAY_BEFORE = re.compile(
    rf"(?<![\w-])(?:{_WEEKDAYS}|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?),?[ \t]+(?:the[ \t]+)?$"
)
# A month alone is a date after the words that introduce a time ("in June", "until next October"); "May"
# and "March" are also words, so they need the cue too.
_MONTH_ALONE = re.compile(
    r"\b(?i:in|on|of|during|since|until|till|by|from|to|through|before|after|next|last|this|early|late|mid-|every|"
    r"each|dated|ends|ended|date:)[ \t]+(?i:(?:next|last|this|early|late)[ \t]+)?"
    rf"((?:{_FULL_MONTHS.title()})(?![\w-]))",
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
            yield Candidate("DATE_TIME", _weekday_start(text, match.start()), match.end(), 0.8)
    for match in _YEAR.finditer(text):
        before = max(0, match.start() - 24)
        if (
            match.group()[0].isalpha()
            or _YEAR_CUE.search(text, before, match.start())
            or _RANGE_CUE.search(text, before, match.start())
            or _BIRTH_YEAR_CUE.search(text, before, match.start())
        ):
            birth = near_before(text, match.start(), _BIRTH_CONTEXT, window=40)
            yield Candidate("DATE_OF_BIRTH" if birth else "DATE_TIME", match.start(), match.end(), 0.6)
    for match in _DAY_MONTH.finditer(text):
        if near_before(text, match.start(), _BIRTH_CONTEXT, window=40):
            yield Candidate("DATE_OF_BIRTH", match.start(), match.end(), 0.6)
        else:
            yield Candidate("DATE_TIME", _weekday_start(text, match.start()), match.end(), 0.6)
    for match in _SHORT_MONTH_DAY.finditer(text):
        yield Candidate("DATE_TIME", match.start(1), match.end(1), 0.65)
    for match in _WEEKDAY.finditer(text):
        yield Candidate("DATE_TIME", match.start(), match.end(), 0.6)
    for match in _MONTH_ALONE.finditer(text):
        yield Candidate("DATE_TIME", match.start(1), match.end(1), 0.6)
    for match in _TIME.finditer(text):
        yield Candidate("DATE_TIME", match.start(), match.end(), 0.5)


def _weekday_start(text: str, start: int) -> int:
    """Where a date starts once the weekday written just before it is counted in."""
    weekday = _WEEKDAY_BEFORE.search(text, max(0, start - 16), start)
    return start if weekday is None else weekday.start()
