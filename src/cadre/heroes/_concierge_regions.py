"""Where a website visitor is: the country they name, else their e-mail's country domain, else their language —
and the sales team, time zone and currency that go with it."""
# (country names are written as people write them, accents and all)

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    country: str  # ISO 3166-1 alpha-2
    team: str  # the sales team that owns leads from here: east, west, emea or apac
    time_zone: str  # IANA; where the SDR's quiet hours are counted
    currency: str  # the price book currency quoted here


# Halyard Cloud's sales territories (see the sample's users and accounts): North and South America east of the
# Rockies are `east`, the American west and Mexico are `west`, Europe is `emea`, Japan and Australia are `apac`.
REGIONS: dict[str, Region] = {
    "US": Region("US", "east", "America/New_York", "USD"),
    "US-west": Region("US", "west", "America/Los_Angeles", "USD"),
    "CA": Region("CA", "east", "America/Toronto", "USD"),
    "CA-west": Region("CA", "west", "America/Vancouver", "USD"),
    "MX": Region("MX", "west", "America/Mexico_City", "USD"),
    "BR": Region("BR", "east", "America/Sao_Paulo", "BRL"),
    "GB": Region("GB", "emea", "Europe/London", "GBP"),
    "ES": Region("ES", "emea", "Europe/Madrid", "EUR"),
    "FR": Region("FR", "emea", "Europe/Paris", "EUR"),
    "DE": Region("DE", "emea", "Europe/Berlin", "EUR"),
    "AT": Region("AT", "emea", "Europe/Vienna", "EUR"),
    "IT": Region("IT", "emea", "Europe/Rome", "EUR"),
    "PT": Region("PT", "emea", "Europe/Lisbon", "EUR"),
    "JP": Region("JP", "apac", "Asia/Tokyo", "JPY"),
    "AU": Region("AU", "apac", "Australia/Sydney", "USD"),
}

# Names as visitors write them, in the concierge's seven languages; West-coast places pick the `west` team.
_NAMES: dict[str, tuple[str, ...]] = {
    "US-west": ("california", "san francisco", "seattle", "los angeles", "denver", "austin", "portland", "san diego"),
    "CA-west": ("vancouver", "calgary", "british columbia"),
    "US": (
        "united states",
        "usa",
        "u.s.",
        "america",
        "new york",
        "boston",
        "chicago",
        "atlanta",
        "miami",
        "estados unidos",
        "eeuu",
        "états-unis",
        "etats-unis",
        "vereinigte staaten",
        "stati uniti",
        "アメリカ",
        "米国",
    ),
    "CA": ("canada", "canadá", "kanada", "toronto", "montreal", "montréal", "カナダ"),
    "MX": ("mexico", "méxico", "mexique", "mexiko", "messico", "メキシコ"),
    "BR": (
        "brazil",
        "brasil",
        "brésil",
        "brasilien",
        "brasile",
        "são paulo",
        "sao paulo",
        "rio de janeiro",
        "porto alegre",
        "ブラジル",
    ),
    "GB": (
        "united kingdom",
        "uk",
        "england",
        "britain",
        "london",
        "reino unido",
        "royaume-uni",
        "großbritannien",
        "regno unito",
        "inghilterra",
        "inglaterra",
        "イギリス",
        "英国",
    ),
    "ES": ("spain", "españa", "espagne", "spanien", "spagna", "espanha", "madrid", "barcelona", "スペイン"),
    "FR": ("france", "francia", "frankreich", "frança", "paris", "lyon", "フランス"),
    "DE": (
        "germany",
        "alemania",
        "allemagne",
        "deutschland",
        "germania",
        "alemanha",
        "berlin",
        "münchen",
        "munich",
        "hamburg",
        "ドイツ",
    ),
    "AT": ("austria", "autriche", "österreich", "áustria", "wien", "vienna", "オーストリア"),
    "IT": ("italy", "italia", "italie", "italien", "itália", "milano", "milan", "roma", "rome", "イタリア"),
    "PT": ("portugal", "portogallo", "lisboa", "lisbon", "porto", "ポルトガル"),
    "JP": ("japan", "japón", "japon", "giappone", "japão", "tokyo", "osaka", "日本", "東京", "大阪"),
    "AU": ("australia", "australie", "australien", "austrália", "sydney", "melbourne", "オーストラリア"),
}
_DOMAINS = {"de": "DE", "at": "AT", "fr": "FR", "es": "ES", "mx": "MX", "it": "IT", "pt": "PT", "br": "BR",
            "jp": "JP", "uk": "GB", "au": "AU", "ca": "CA"}  # fmt: skip
_BY_LANGUAGE = {"en": "US", "es": "ES", "fr": "FR", "de": "DE", "it": "IT", "pt": "BR", "ja": "JP"}


def _pattern(name: str) -> re.Pattern[str]:
    # Latin names are whole words ("uk" is not in "ukulele"); Japanese has no spaces between words.
    if name.isascii() or any(c.isalpha() and c.isascii() for c in name):
        return re.compile(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", re.IGNORECASE)
    return re.compile(re.escape(name))


_PATTERNS = [(key, _pattern(name)) for key, names in _NAMES.items() for name in names]


def named_region(message: str) -> str | None:
    """The region key of the first country or city the message names (West-coast places before their country)."""
    for key, pattern in _PATTERNS:
        if pattern.search(message):
            return key
    return None


def region_for(*, named: str | None, email: str | None, language: str) -> Region:
    """The visitor's region: what they named, else the e-mail's country domain, else their language's main market."""
    if named in REGIONS:
        return REGIONS[named]
    domain = (email or "").rsplit(".", 1)[-1].lower() if email and "@" in email else ""
    if domain in _DOMAINS:
        return REGIONS[_DOMAINS[domain]]
    return REGIONS[_BY_LANGUAGE.get(language, "US")]


def currency_for(language: str, named: str | None = None) -> str:
    return region_for(named=named, email=None, language=language).currency
