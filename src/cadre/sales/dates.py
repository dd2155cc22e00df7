"""Find the date a reply names ("back on 3 December", "bis 02.12.", "12月3日に戻ります"), in the seven languages."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    # en, es, fr, de, it, pt month names and common abbreviations -> month number
    **{
        name: i
        for i, name in enumerate(
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ],
            1,
        )
    },
    **{
        name: i
        for i, name in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
        )
    },
    **{
        name: i
        for i, name in enumerate(
            [
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ],
            1,
        )
    },
    **{
        name: i
        for i, name in enumerate(
            [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
            1,
        )
    },
    **{
        name: i
        for i, name in enumerate(
            [
                "januar",
                "februar",
                "märz",
                "april",
                "mai",
                "juni",
                "juli",
                "august",
                "september",
                "oktober",
                "november",
                "dezember",
            ],
            1,
        )
    },
    **{
        name: i
        for i, name in enumerate(
            [
                "gennaio",
                "febbraio",
                "marzo",
                "aprile",
                "maggio",
                "giugno",
                "luglio",
                "agosto",
                "settembre",
                "ottobre",
                "novembre",
                "dicembre",
            ],
            1,
        )
    },
    **{
        name: i
        for i, name in enumerate(
            [
                "janeiro",
                "fevereiro",
                "março",
                "abril",
                "maio",
                "junho",
                "julho",
                "agosto",
                "setembro",
                "outubro",
                "novembro",
                "dezembro",
            ],
            1,
        )
    },
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_JA = re.compile(r"(?:(\d{4})年)?\s*(\d{1,2})月\s*(\d{1,2})日")
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|º|°|\.)?\s*(?:de\s+|di\s+)?({_MONTH})\.?(?:\s+(\d{{4}}))?\b", re.IGNORECASE
)
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.IGNORECASE)
_NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?\b")


def named_date(text: str, *, today: date, month_first: bool = False) -> date | None:
    """The first date `text` names on or after `today` (a date without a year is the next one to come).

    `month_first` reads 12/03 as December 3 (North American habit); otherwise as 12 March."""
    candidates: list[tuple[int, int | None, int, int]] = []  # (position, year, month, day)
    for found in _ISO.finditer(text):
        candidates.append((found.start(), int(found[1]), int(found[2]), int(found[3])))
    for found in _JA.finditer(text):
        candidates.append((found.start(), int(found[1]) if found[1] else None, int(found[2]), int(found[3])))
    for found in _DAY_MONTH.finditer(text):
        candidates.append((found.start(), int(found[3]) if found[3] else None, MONTHS[found[2].lower()], int(found[1])))
    for found in _MONTH_DAY.finditer(text):
        candidates.append((found.start(), int(found[3]) if found[3] else None, MONTHS[found[1].lower()], int(found[2])))
    for found in _NUMERIC.finditer(text):
        if _ISO.search(text[max(0, found.start() - 5) : found.end() + 1]):
            continue
        first, second = int(found[1]), int(found[2])
        month, day = (first, second) if month_first else (second, first)
        year = int(found[3]) if found[3] else None
        if year is not None and year < 100:
            year += 2000
        candidates.append((found.start(), year, month, day))
    for _, year, month, day in sorted(candidates, key=lambda c: c[0]):
        moment = _valid(year or today.year, month, day)
        if moment is None:
            continue
        if year is None and moment < today:
            moment = _valid(today.year + 1, month, day)
        if moment is not None and moment >= today:
            return moment
    return None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
