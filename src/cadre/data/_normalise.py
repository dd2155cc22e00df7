"""Clean identity fields before matching: case, accents, blanks, nicknames, phones, dates and postcodes."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable

import pandas as pd

# Common short forms -> one canonical given name, so "Bob" and "Robert" compare equal. Spelling variants
# (Catherine/Katherine, Steven/Stephen) map to one form too. Ambiguous short forms (Chris, Sam, Alex) go to
# the more frequent full name; the Jaro-Winkler levels still catch the other one.
_NICKNAME_GROUPS: dict[str, str] = {
    # English
    "abigail": "abby abbie abi",
    "alexander": "alex alec xander",
    "andrew": "andy drew",
    "anthony": "tony antony",
    "benjamin": "ben benny benji",
    "charles": "charlie chuck chas chaz",
    "christopher": "chris topher",
    "daniel": "dan danny",
    "david": "dave davey davy",
    "deborah": "debbie deb debra debby",
    "dorothy": "dot dottie dolly",
    "donald": "don donnie",
    "dominic": "dom dominick",
    "edward": "ed eddie eddy ned ted",
    "elizabeth": "liz lizzie lizzy beth betty betsy eliza libby elisabeth bess",
    "frederick": "fred freddie freddy frederic fritz",
    "gregory": "greg",
    "henry": "harry hal hank",
    "james": "jim jimmy jamie jimbo",
    "jennifer": "jen jenny jenn",
    "jeffrey": "jeff geoff geoffrey",
    "jacqueline": "jackie jacky",
    "jessica": "jess jessie",
    "john": "jack johnny jon",
    "joshua": "josh",
    "joseph": "joe joey jose pepe beppe peppe giuseppe",
    "katherine": "kate katie kathy kat kathryn catherine katharine kathleen cathy kitty",
    "kenneth": "ken kenny",
    "kimberly": "kim kimberley",
    "lawrence": "larry laurence",
    "margaret": "maggie meg peggy marge margie greta gretel",
    "mary": "molly polly mae",
    "matthew": "matt matty",
    "michael": "mike mikey mick micky mickey",
    "nathaniel": "nate nathan",
    "nicholas": "nick nicky nico nicolas",
    "patricia": "patty patsy trish tricia",
    "peter": "pete",
    "philip": "phil phillip pip",
    "rebecca": "becky becca",
    "richard": "rick ricky dick rich richie",
    "robert": "bob bobby rob robbie",
    "ronald": "ron ronnie",
    "samuel": "sam sammy",
    "sarah": "sara sally sadie",
    "stephen": "steve stevie steven",
    "stephanie": "steph stefanie",
    "susan": "sue susie suzy",
    "theodore": "theo teddy",
    "thomas": "tom tommy",
    "timothy": "tim timmy",
    "victoria": "vicky vicki tori",
    "william": "bill billy will willy liam",
    "zachary": "zach zack zak",
    # Spanish and Portuguese
    "francisco": "paco pancho curro chico quico fran",
    "ignacio": "nacho",
    "dolores": "lola",
    "enrique": "quique",
    "guillermo": "memo",
    "jesus": "chuy chucho",
    "manuel": "manolo",
    "fernando": "nando fer",
    "rafael": "rafa",
    "antonio": "toni tono",
    "rosario": "charo",
    "concepcion": "concha conchita",
    "guadalupe": "lupe",
    "joaquim": "quim joaquin",
    "beatriz": "bia bea",
    "eduardo": "dudu edu",
    # French, German, Italian
    "emmanuel": "manu",
    "johannes": "hans hannes johann",
    "josef": "sepp jupp",
    "ulrich": "uli",
    "katharina": "kathi kathrin katja",
    "franziska": "franzi",
    "andreas": "andi",
    "maximilian": "max maxi",
    "luigi": "gigi",
    "alessandro": "sandro",
    "filippo": "pippo",
    "francesco": "franco cesco cecco",
    "giovanni": "gianni vanni",
    "federico": "fede",
}
NICKNAMES: dict[str, str] = {
    short: canonical for canonical, shorts in _NICKNAME_GROUPS.items() for short in shorts.split()
}

_NOT_WORD = re.compile(r"[^a-z0-9@._+ -]+")
_SPACES = re.compile(r"\s+")
_NAME_PUNCTUATION = re.compile(r"[^a-z0-9 ]+")
_NOT_LETTERS = re.compile(r"[^a-z]+")
_ISO_DATE = re.compile(r"^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})(?:[ t].*)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def is_missing(value: object) -> bool:
    """None, NaN, pandas' NA or NaT: how a blank arrives from CSV, Parquet or a DataFrame."""
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def fold(value: object) -> str | None:
    """Lowercase, trim, strip accents and collapse spaces; blanks become None."""
    if is_missing(value):
        return None
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _SPACES.sub(" ", text).strip()
    return text or None


def name_value(value: object) -> str | None:
    """A folded name with punctuation dropped: "O'Brien-Smith" -> "obrien smith"."""
    text = fold(value)
    if text is None:
        return None
    text = _SPACES.sub(" ", _NAME_PUNCTUATION.sub(" ", text.replace("'", ""))).strip()
    return text or None


def canonical_name(value: str | None, *, any_order: bool = False) -> str | None:
    """Each word of a cleaned name replaced by its canonical form (bob -> robert), optionally sorted so that
    "smith robert" and "bob smith" agree."""
    if value is None:
        return None
    words = [NICKNAMES.get(word, word) for word in value.split()]
    return " ".join(sorted(words) if any_order else words)


def spells_name(username: str, first: object, last: object) -> bool:
    """Whether a cleaned email username is the person's own cleaned name as work addresses spell it: one name
    whole, alone or with the other name or its initial, in either order, separators and numbers aside
    (sarah.evans, s_evans, evanss, sarah2; not initials alone)."""
    user = _NOT_LETTERS.sub("", username)
    given, family = (_NOT_LETTERS.sub("", part) if isinstance(part, str) else "" for part in (first, last))
    spellings = {
        spelling
        for whole, other in ((given, family), (family, given))
        if whole
        for rest in (other, other[:1], "")
        for spelling in (whole + rest, rest + whole)
    }
    return user in spellings


def text_value(value: object) -> str | None:
    text = fold(value)
    if text is None:
        return None
    text = _SPACES.sub(" ", _NOT_WORD.sub(" ", text)).strip()
    return text or None


# Legal forms dropped from the end of company names: "Acme Corp." and "ACME" are one company.
LEGAL_FORMS = frozenset(
    "inc incorporated llc llp lp ltd limited corp corporation co company plc gmbh mbh ag kg ug ev sa sas sarl "
    "sl slu srl spa bv nv lda ltda kk oy ab as aps pty pte sdn bhd".split()
)


def organisation_value(value: object) -> str | None:
    """A company name without punctuation or trailing legal forms: "Vitaside Co., Ltd." -> "vitaside"."""
    text = fold(value)
    if text is None:
        return None
    words = _NAME_PUNCTUATION.sub(" ", text.replace(".", "").replace("'", "")).split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words) or None


def email_value(value: object) -> str | None:
    text = fold(value)
    if text is None:
        return None
    text = text.removeprefix("mailto:").replace(" ", "")
    return text or None


def phone_value(value: object) -> str | None:
    """Digits only, without an international `00` prefix; fewer than 6 digits is no number."""
    text = fold(value)
    if text is None:
        return None
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits.startswith("00"):
        digits = digits[2:]
    return digits if len(digits) >= 6 else None


def postcode_value(value: object) -> str | None:
    text = fold(value)
    if text is None:
        return None
    compact = re.sub(r"[\s-]+", "", text)
    if re.fullmatch(r"\d{9}", compact):  # US ZIP+4
        compact = compact[:5]
    return compact or None


def date_values(values: Iterable[object]) -> list[str | None]:
    """Dates written as ISO `YYYY-MM-DD`, also when a typo makes them impossible (kept for fuzzy levels).

    Day-first or month-first is decided once for the whole column, from values where only one reading works.
    """
    folded = [fold(value) for value in values]
    month_first = _month_first(folded)
    return [_iso_date(text, month_first) for text in folded]


def _month_first(values: list[str | None]) -> bool:
    for text in values:
        match = _DMY_DATE.match(text) if text else None
        if match is None:
            continue
        first, second = int(match[1]), int(match[2])
        if first > 12 >= second:
            return False
        if second > 12 >= first:
            return True
    return False


def _iso_date(text: str | None, month_first: bool) -> str | None:
    if text is None:
        return None
    match = _ISO_DATE.match(text)
    if match is not None:
        year, month, day = match[1], match[2], match[3]
    elif (match := _DMY_DATE.match(text)) is not None:
        year = match[3]
        day, month = (match[2], match[1]) if month_first else (match[1], match[2])
    else:
        return text
    return f"{year}-{int(month):02d}-{int(day):02d}"


def apply_by_value(series: pd.Series, clean: Callable[[object], str | None]) -> pd.Series:
    """Run `clean` once per distinct value (columns repeat values a lot)."""
    distinct = {value: clean(value) for value in series.dropna().unique()}
    return pd.Series(
        [None if pd.isna(value) else distinct[value] for value in series], index=series.index, dtype=object
    )
