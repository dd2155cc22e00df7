"""Places (countries, regions, cities): Faker's locale lists plus a short list of world cities, read in context.

A country or a region is a place wherever it stands. A city is one only after a place word ("in", "from",
"visit") or when it is a well-known city that is nobody's given name, since city lists are full of given
names ("Salvador", "Florence"). An unlisted capitalised name counts only after a strong cue ("I live in").
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from functools import cache

import faker.providers.address as faker_address

from cadre.guardrails._pii_gazetteer import gazetteer
from cadre.guardrails._pii_phrases import WORD, PhraseList
from cadre.guardrails._pii_types import Candidate

_WORLD_CITIES = """
Amsterdam|Athens|Auckland|Bangkok|Barcelona|Beijing|Beirut|Berlin|Bogotá|Bogota|Boston|Brussels|Bucharest|
Budapest|Buenos Aires|Cairo|Calgary|Cape Town|Caracas|Casablanca|Chicago|Copenhagen|Dallas|Delhi|New Delhi|Denver|
Dubai|Dublin|Düsseldorf|Edinburgh|Frankfurt|Geneva|Glasgow|Hamburg|Helsinki|Hong Kong|Honolulu|Houston|Istanbul|
Jakarta|Jerusalem|Johannesburg|Karachi|Kyiv|Kiev|Kyoto|Lagos|Lima|Lisbon|Lisboa|London|Los Angeles|Lyon|Madrid|
Manchester|Manila|Marseille|Melbourne|Mexico City|Miami|Milan|Milano|Montreal|Montréal|Moscow|Mumbai|Munich|
München|Nairobi|Naples|Napoli|New York|New York City|Osaka|Oslo|Ottawa|Palermo|Paris|Philadelphia|Phoenix|
Prague|Praha|Reykjavik|Reykjavík|Rio de Janeiro|Riyadh|Rome|Roma|Rotterdam|San Diego|San Francisco|Santiago|
São Paulo|Sao Paulo|Seattle|Seoul|Seville|Sevilla|Shanghai|Singapore|Stockholm|Stuttgart|Sydney|Taipei|Tehran|
Tel Aviv|Tokyo|Toronto|Toulouse|Turin|Torino|Valencia|Vancouver|Venice|Venezia|Vienna|Wien|Warsaw|Warszawa|
Washington|Zurich|Zürich|Porto|Bordeaux|Lille|Nantes|Strasbourg|Cologne|Köln|Bilbao|Málaga|Malaga|
Florence|Firenze|Bologna|Genoa|Genova|Verona|Brasília|Brasilia|Salvador|Recife|Fortaleza|Curitiba|Nagoya|
Sapporo|Yokohama|Fukuoka|Kobe|Hiroshima|Austin|Atlanta|Detroit|Minneapolis|Portland|Las Vegas|Nashville|
New Orleans|Baltimore|Pittsburgh|Cleveland|Montevideo|Quito|Havana|Panama City|San José|Kraków|Krakow|Gdańsk|
Tallinn|Riga|Vilnius|Minsk|Sofia|Belgrade|Zagreb|Ljubljana|Bratislava|Tbilisi|Yerevan|Baku|Almaty|Tashkent|
Bangalore|Bengaluru|Chennai|Kolkata|Hyderabad|Lahore|Dhaka|Hanoi|Ho Chi Minh City|Kuala Lumpur|Perth|
Brisbane|Adelaide|Wellington|Christchurch|Doha|Abu Dhabi|Muscat|Amman|Damascus|Baghdad|Kabul|Accra|Dakar|
Addis Ababa|Kinshasa|Luanda|Harare|Lusaka|Tunis|Algiers|Rabat|Marrakesh|Antwerp|Ghent|Luxembourg|Monaco|Basel|
Bern|Lausanne|Salzburg|Innsbruck|Graz|Gothenburg|Göteborg|Malmö|Bergen|Aarhus|Odense|Turku|Tampere
"""
# Continents and the world's regions, and the two Koreas (Faker writes "Korea"): no locale lists them, and their
# words read as names otherwise ("North America" is a surname after a given name; "Asia" is a given name).
_WORLD_REGIONS = """
Africa|Antarctica|Asia|Europe|Oceania|Australasia|Eurasia|North America|South America|Latin America|
Central America|Americas|Middle East|Near East|Far East|Southeast Asia|South Asia|East Asia|Central Asia|
Western Asia|Asia Pacific|Asia-Pacific|Western Europe|Eastern Europe|Northern Europe|Southern Europe|
Central Europe|Scandinavia|Nordics|Baltics|Balkans|Iberia|Caribbean|Mediterranean|Sub-Saharan Africa|
North Africa|West Africa|East Africa|Southern Africa|Central Africa|Horn of Africa|Patagonia|Siberia|Sahara|
Arctic|Pacific|Atlantic|Indian Ocean|Pacific Northwest|Midwest|New England|Great Lakes|West Coast|East Coast|
South Korea|North Korea
"""
_REGION_ATTRS = ("states", "provinces", "regions", "administrative_unit", "departments_names", "prefectures")
_CITY_ATTRS = ("cities", "city_names", "real_city_names")
# The words right before a listed city that make it a place: "in Lyon", "from Salvador", "visit Porto".
_PLACE_CUE = re.compile(
    r"(?:\b(?:in|from|to|near|around|across|outside|throughout|visit|visited|visiting|via|en|à|a|nach|aus|"
    r"di|da|em|de|desde|para|bei|im|au|aux)[ \t]+)$",
    re.IGNORECASE,
)
# Before an unlisted name, only phrases that can introduce nothing but a place.
_STRONG_CUE = re.compile(
    r"(?:\b(?:(?:i|we|they|he|she|you)[ \t]+(?:live|lives|lived)[ \t]+in|living[ \t]+in|moved[ \t]+(?:here[ \t]+)?"
    r"(?:to|from)|born[ \t]+in|based[ \t]+in|located[ \t]+in|grew[ \t]+up[ \t]+in|travell?ed[ \t]+to|"
    r"trip[ \t]+to|flew[ \t]+to|flight[ \t]+to|(?:i|we)(?:['\u2019]m|[ \t]+am|[ \t]+are)[ \t]+from|"
    r"(?:comes?|came)[ \t]+from|vivo[ \t]+en|j['\u2019]habite[ \t]+à|ich[ \t]+wohne[ \t]+in|abito[ \t]+a|"
    r"moro[ \t]+em)[ \t]+)$",
    re.IGNORECASE,
)
# "Ostrov nad Ohří", "San Juan": following capitalised words and small joiners belong to the name.
_NAME_TAIL = re.compile(r"[ \t]+(?:(?:nad|pod|am|an|de|del|la|le|sur)[ \t]+)?[^\W\d_][\w'\u2019-]*")

# A compass point or a town word before a name makes a place of it ("East Lansing", "Port Elizabeth"): without
# it, the name alone reads as a person.
_PREFIXED_TOWN = re.compile(
    r"(?<![\w-])(?:North|South|East|West|New|Lake|Port|Fort|Mount|Saint|St\.)[ \t]+([A-Z][^\W\d_]+)(?![\w-])"
)
_TOWN_PREFIX_BEFORE = re.compile(r"(?<![\w-])(?:North|South|East|West|New|Lake|Port|Fort|Mount|Saint|St\.)[ \t]+$")

# A given name or a surname grown into a town's name: "Josephchester", "O'Brienmouth", "Barthelemyville".
_TOWN_ENDING = re.compile(
    r"(?<![\w'\u2019-])([A-Z][\w'\u2019]{2,30}?)(?i:town|ton|land|ville|berg|burgh|borough|bury|view|port|mouth|stad|"
    r"furt|chester|fort|haven|side|shire|bourg)(?![\w-])"
)
# A region's code ("CA", "MI", "SGR") is a place where an address puts it: after a town and a comma or a wide
# gap, in brackets, or before a postcode; elsewhere the same letters are words ("an AI model", "an MA degree").
_CODE_BEFORE = re.compile(r"(?:[,(][ \t]*|\w[ \t]{2,})$")
_CODE_AFTER = re.compile(r"\)|[ \t]+\d")
# The administrative word some languages write after a region's name: "Hallands län", "Pardubický kraj".
_REGION_WORD = re.compile(r"[ \t]+(?:län|kraj|megye|maakunta|fylke|amt|oblast|County|Province|Region)(?![\w-])")


def _provider_lists(attrs: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for module in pkgutil.iter_modules(faker_address.__path__):
        provider = importlib.import_module(f"{faker_address.__name__}.{module.name}").Provider
        for attr in attrs:
            value = provider.__dict__.get(attr)
            if isinstance(value, dict):
                value = list(value)
            if isinstance(value, list | tuple):
                found.update(item for item in value if isinstance(item, str) and "(" not in item)
    return found


@cache
def places() -> PhraseList:
    """Countries, then regions, then cities: a name in two lists keeps the first label."""
    labelled = [(name, "world_region") for name in _WORLD_REGIONS.replace("\n", "").split("|")]
    labelled += [(name, "country") for name in sorted(_provider_lists(("countries",)))]
    labelled += [(name, "region") for name in sorted(_provider_lists(_REGION_ATTRS))]
    cities = _provider_lists(_CITY_ATTRS)
    labelled += [(name, "world_city") for name in _WORLD_CITIES.replace("\n", "").split("|")]
    labelled += [(name, "city") for name in sorted(cities)]
    common = gazetteer().common_words
    # A listed one-word region or city that is an everyday word ("Nice", "Man", "Split") would fire in every
    # sentence; countries and the hand-written cities are kept ("Paris" is a chat word only as a given name).
    return PhraseList.of(
        (name, label)
        for name, label in labelled
        if label in ("world_region", "country", "world_city") or name.casefold() not in common
    )


def locations(text: str) -> Iterator[Candidate]:
    names = gazetteer()
    listed = list(places().find(text))
    for start, end, label in listed:
        single = " " not in text[start:end]
        given_name = single and text[start:end].casefold() in names.first_names
        cued = _PLACE_CUE.search(text, max(0, start - 12), start) is not None
        if label == "world_region":
            # Above a person's name, which "North America" is to the name rules (a given name and a surname);
            # a lone word that is a given name too ("Asia") yields to a surname after it, as a country does.
            yield Candidate("LOCATION", start, end, 0.7 if given_name else 0.85)
        elif label == "country":
            yield Candidate("LOCATION", start, end, 0.7)
        elif cued:
            # "in Florence" outranks the lone given name "Florence" (0.6).
            yield Candidate("LOCATION", start, end, 0.65)
        elif label == "region" and not given_name:
            if not _is_code(text[start:end]) or _in_address(text, start, end):
                yield Candidate("LOCATION", start, end, 0.6)
        elif label == "world_city" and not given_name:
            yield Candidate("LOCATION", start, end, 0.55)
    for match in _TOWN_ENDING.finditer(text):
        stem, whole = match.group(1).casefold(), match.group().casefold()
        known = (stem in names.first_names or stem in names.last_names) and whole not in names.last_names
        if known and whole not in names.first_names:  # "Johnston" is a surname, not John's town
            prefix = _TOWN_PREFIX_BEFORE.search(text, max(0, match.start() - 8), match.start())
            yield Candidate("LOCATION", match.start() if prefix is None else prefix.start(), match.end(), 0.6)
    for match in _PREFIXED_TOWN.finditer(text):
        name = match.group(1).casefold()
        if name in names.first_names or name in names.last_names:
            yield Candidate("LOCATION", match.start(), match.end(), 0.7)
    taken = [(start, end) for start, end, _ in listed]
    yield from _after_strong_cue(text, taken)


def _is_code(name: str) -> bool:
    return len(name) <= 3 and name.isupper()


def _in_address(text: str, start: int, end: int) -> bool:
    return _CODE_BEFORE.search(text, max(0, start - 12), start) is not None or _CODE_AFTER.match(text, end) is not None


def _after_strong_cue(text: str, taken: list[tuple[int, int]]) -> Iterator[Candidate]:
    for word in WORD.finditer(text):
        start = word.start()
        if not text[start].isupper() or _STRONG_CUE.search(text, max(0, start - 30), start) is None:
            continue
        if any(s <= start < e for s, e in taken) or word.group().casefold() in gazetteer().common_words:
            continue
        end = word.end()
        for _ in range(2):
            more = _NAME_TAIL.match(text, end)
            if more is None or not more.group().split()[-1][0].isupper():
                break
            end = more.end()
        yield Candidate("LOCATION", start, end, 0.5)


def region_word_end(text: str, end: int) -> int:
    """Where a place ending at `end` ends once the administrative word after it is counted ("Skåne län")."""
    word = _REGION_WORD.match(text, end)
    return end if word is None else word.end()
