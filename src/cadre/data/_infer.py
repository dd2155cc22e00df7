"""Guess how to compare a column from its name and a sample of its values, and what part of a name it holds."""

from __future__ import annotations

import re

import pandas as pd

from cadre.data import _normalise as norm
from cadre.data._splink_settings import Role
from cadre.data.models import ComparisonKind

_SAMPLE_SIZE = 1000
_EMAIL_VALUE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
_NUMBER_VALUE = re.compile(r"^-?\d+([.,]\d+)?$")
# Words in column names that say what a column holds.
_WORDS = {
    group: set(words.split())
    for group, words in {
        "email": "email mail e_mail",
        "phone": "phone tel telephone mobile cell cellphone fax msisdn",
        "date": "dob birth birthday birthdate born date",
        "postcode": "postcode postal zip zipcode plz postalcode",
        "name": "name first last surname given forename fname lname middle fullname",
        "organisation": "company business organisation organization org employer brand legal",
        "account": "username login handle nickname",
        "metadata": "created updated modified inserted deleted timestamp ts at seen",
        "row": "row index idx unnamed rownum uuid guid",
        "measure": "amount price total balance revenue count qty quantity score rating",
        "prose": "note comment description message body text bio",
        "address": "address street addr road line",
        "category": "city town state country region county province gender sex nationality language department "
        "status tier segment type category",
    }.items()
}
# Groups whose words also count inside run-together column names ("dateofbirth", "emailaddress").
_RUN_TOGETHER = {"email", "phone", "date", "postcode", "name", "organisation", "account"}


def _column_words(column: str) -> set[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", column)
    words = set(re.split(r"[^a-z0-9]+", norm.fold(spaced) or ""))
    return words | {word.removesuffix("s") for word in words}


def infer_kind(column: str, series: pd.Series) -> ComparisonKind | None:
    """A comparison kind for one column, or None where comparing it cannot help."""
    values = [v for v in (norm.fold(value) for value in series.dropna().head(_SAMPLE_SIZE)) if v is not None]
    if not values:
        return None
    words = _column_words(column)
    squashed = re.sub(r"[^a-z]", "", norm.fold(column) or "")

    def named(group: str) -> bool:
        partial = group in _RUN_TOGETHER and any(word in squashed for word in _WORDS[group] if len(word) > 4)
        return bool(words & _WORDS[group]) or partial

    def share(pattern: re.Pattern[str]) -> float:
        return sum(1 for value in values if pattern.match(value)) / len(values)

    if (named("metadata") and not named("date")) or named("measure") or named("row"):
        return None
    if named("email") or share(_EMAIL_VALUE) >= 0.8:
        return "email"
    if named("phone"):
        return "phone"
    if named("postcode"):
        return "postcode"
    if named("date") or sum(1 for value in values if _plausible_date(value)) >= 0.8 * len(values):
        return "date"
    if named("account"):
        return "exact"
    if named("name"):
        return "text" if named("organisation") else "name"
    non_null = series.dropna()
    distinct = non_null.nunique()
    if distinct <= 1 or distinct == len(non_null):
        return None  # the same for all or different for each: agreeing on it says nothing
    if share(_NUMBER_VALUE) == 1.0 and _looks_like_row_numbers(non_null, distinct):
        return None
    mean_length = sum(len(value) for value in values) / len(values)
    if named("prose") or mean_length > 60:
        return None
    if named("address"):
        return "text"
    # Categories compare exactly; free spelling (cities typed by hand, with typos) compares fuzzily.
    few_values = distinct <= max(30, len(non_null) // 20)
    if (named("category") and few_values) or (distinct <= 30 and distinct * 5 <= len(non_null)):
        return "exact"
    return "text"


def _plausible_date(value: str) -> bool:
    iso = norm.date_values([value])[0] or ""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    return match is not None and 1850 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12 and 1 <= int(match[3]) <= 31


def _looks_like_row_numbers(values: pd.Series, distinct: int) -> bool:
    """Integers filling most of a range (1..n per file, repeated when files are stacked)."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if numbers.empty or (numbers % 1 != 0).any():
        return False
    span = numbers.max() - numbers.min() + 1
    return bool(distinct >= 0.5 * len(values) and span <= 2 * distinct)


def role_of(source: str, kind: ComparisonKind) -> Role | None:
    """The part of a name a `name` column holds, or whether a `text` column is a company's name."""
    words = _column_words(source)
    if kind == "name":
        squashed = re.sub(r"[^a-z]", "", norm.fold(source) or "")
        if words & {"first", "given", "forename", "fname", "christian"} or squashed.startswith(("first", "given")):
            return "first"
        if words & {"last", "surname", "family", "lname"} or squashed.startswith(("last", "surname", "family")):
            return "last"
        return "full"
    # A `text` field called just "name" is not a person's name (that would be kind `name`): a company's.
    if kind == "text" and (words & _WORDS["organisation"] or norm.fold(source) in ("name", "company")):
        return "organisation"
    return None
