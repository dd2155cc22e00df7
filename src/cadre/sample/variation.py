"""How one person's details drift between systems: nicknames, typos, swapped names, email and phone forms."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np

from cadre.sample._words import NICKNAMES

if TYPE_CHECKING:
    from cadre.sample._geo import Country
    from cadre.sample.people import Person

PhoneStyle = Literal["international", "e164", "national", "dashed", "idd"]
PHONE_STYLES: tuple[PhoneStyle, ...] = get_args(PhoneStyle)

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe"})
_KEYBOARD = {
    "a": "qwsz",
    "b": "vghn",
    "c": "xdfv",
    "d": "serfcx",
    "e": "wsdr",
    "f": "drtgvc",
    "g": "ftyhbv",
    "h": "gyujnb",
    "i": "ujko",
    "j": "huikmn",
    "k": "jiolm",
    "l": "kop",
    "m": "njk",
    "n": "bhjm",
    "o": "iklp",
    "p": "ol",
    "q": "wa",
    "r": "edft",
    "s": "awedxz",
    "t": "rfgy",
    "u": "yhji",
    "v": "cfgb",
    "w": "qase",
    "x": "zsdc",
    "y": "tghu",
    "z": "asx",
}


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits only, as people type names into email addresses."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(char for char in folded if char.isascii() and char.isalnum())


def email_local(first: str, last: str, pattern: str) -> str:
    given, family = ascii_fold(first), ascii_fold(last)
    forms = {
        "first.last": f"{given}.{family}",
        "flast": f"{given[:1]}{family}",
        "firstl": f"{given}{family[:1]}",
        "first": given,
        "first_last": f"{given}_{family}",
        "f.last": f"{given[:1]}.{family}",
        "last.first": f"{family}.{given}",
        "firstlast": f"{given}{family}",
    }
    return forms[pattern]


def typo(text: str, rng: np.random.Generator) -> str:
    """One slip of the finger: a neighbouring key, a dropped, doubled or swapped letter (never the first)."""
    if len(text) < 4:
        return text
    at = int(rng.integers(1, len(text) - 1))
    kind = int(rng.integers(0, 4))
    char = text[at]
    if kind == 0 and char.lower() in _KEYBOARD:
        keys = _KEYBOARD[char.lower()]
        return text[:at] + keys[int(rng.integers(0, len(keys)))] + text[at + 1 :]
    if kind == 1:
        return text[:at] + text[at + 1 :]
    if kind == 2:
        return text[:at] + char + text[at:]
    return text[:at] + text[at + 1] + char + text[at + 2 :]


def nickname(first: str, rng: np.random.Generator) -> str | None:
    options = NICKNAMES.get(first)
    if not options:
        return None
    return options[int(rng.integers(0, len(options)))]


def format_phone(country: Country, number: str, style: PhoneStyle) -> str:
    """Write a national significant number the way people do: `+49 30 1234…`, `030 1234…`, `(415) 555-…`."""
    groups, start = [], 0
    for size in country.groups:
        groups.append(number[start : start + size])
        start += size
    if style == "e164":
        return f"+{country.dial_code}{number}"
    if style == "dashed":
        return f"+{country.dial_code}-" + "-".join(groups)
    if style == "idd":
        return f"00{country.dial_code} " + " ".join(groups)
    if style == "national":
        if country.dial_code == "1":
            return f"({groups[0]}) {groups[1]}-{groups[2]}"
        separator = "-" if country.code == "JP" else " "
        return country.trunk_prefix + separator.join(groups)
    return f"+{country.dial_code} " + " ".join(groups)


@dataclass(frozen=True)
class Drift:
    """How carefully one system records people: the chance of each kind of variation per record."""

    nickname: float
    typo: float
    swap: float
    email_weights: tuple[float, float, float, float]  # work, alternative work address, personal, none
    email_typo: float
    email_case: float
    phone: float
    mobile: float
    phone_styles: tuple[PhoneStyle, ...] = PHONE_STYLES


@dataclass(frozen=True)
class Rendition:
    """One person as one record shows them."""

    first_name: str
    last_name: str
    email: str | None
    phone: str | None


def render(person: Person, rng: np.random.Generator, drift: Drift) -> Rendition:
    first, last = person.first_name, person.last_name
    if rng.random() < drift.nickname:
        first = nickname(first, rng) or first
    if rng.random() < drift.typo:
        if rng.random() < 0.5:
            first = typo(first, rng)
        else:
            last = typo(last, rng)
    # Japanese names are often entered family name first, so the swap is far more common there.
    swap = drift.swap * (5 if person.language == "ja" else 1)
    if rng.random() < swap:
        first, last = last, first
    return Rendition(first, last, _email(person, rng, drift), _phone(person, rng, drift))


def _email(person: Person, rng: np.random.Generator, drift: Drift) -> str | None:
    choice = int(rng.choice(4, p=np.asarray(drift.email_weights) / sum(drift.email_weights)))
    if choice == 2 and person.personal_email is None:
        choice = 0
    email = (person.work_email, person.alt_work_email, person.personal_email, None)[choice]
    if email is None:
        return None
    if rng.random() < drift.email_typo:
        local, domain = email.split("@")
        email = f"{typo(local, rng)}@{domain}"
    if rng.random() < drift.email_case:
        local, domain = email.split("@")
        email = ".".join(part.capitalize() for part in local.split(".")) + "@" + domain
    return email


def _phone(person: Person, rng: np.random.Generator, drift: Drift) -> str | None:
    if rng.random() >= drift.phone:
        return None
    number = person.phone
    if person.mobile is not None and rng.random() < drift.mobile:
        number = person.mobile
    style = drift.phone_styles[int(rng.integers(0, len(drift.phone_styles)))]
    return format_phone(person.country, number, style)


def company_variant(name: str, legal_name: str, rng: np.random.Generator) -> str:
    """The company as someone typed it into a form or an invoice address."""
    roll = rng.random()
    if roll < 0.45:
        return name
    if roll < 0.7:
        return legal_name
    if roll < 0.8:
        return name.upper() if rng.random() < 0.5 else name.lower()
    if roll < 0.9:
        return name.split(" ")[0]
    return typo(name, rng)
