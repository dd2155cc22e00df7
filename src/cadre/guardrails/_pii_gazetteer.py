"""Name and word lists built once from Faker's locale data (a PyPI dependency): no download, no model."""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from dataclasses import dataclass
from functools import cache

import faker.providers.address as faker_address
import faker.providers.lorem as faker_lorem
import faker.providers.person as faker_person

_FIRST_ATTRS = (
    "first_names", "first_names_male", "first_names_female", "first_names_nonbinary",
    "first_romanized_names", "first_romanized_names_male", "first_romanized_names_female",
)  # fmt: skip
_LOREM_LOCALES = ("en_US", "de_DE", "fr_FR", "es_ES", "it_IT")
_LAST_ATTRS = ("last_names", "last_names_male", "last_names_female", "last_romanized_names")
# Words that start sentences or headings in support chats and help centres, in Cadre's languages, and that
# Faker also lists as someone's name somewhere ("Will", "Page", "Case", "Art", "Mark"). Such a word is a name
# only beside another name token, never alone.
_CHAT_WORDS = """
a about after again all also am an and any april are as ask at august be because been before being best bill
both but by call can card case chase clear close cloud could day dear did do does done down each email even
every fall first for free friday from get give go good grace great had has have he hello help her here hi him
his hope how i if in is it its just june kind last let like long lot make many march mark may me mine monday
more most much must my need new next no not note now of off ok on once one only or order other our out over
page paris park part pay plan please plus pro rose sale saturday see she should so some star start still such
summer sunday support sure team than thank thanks that the their them then there these they this those thursday
to today too tuesday under up us use very want was way we wednesday well were what when where which while who
why will win winter with would yes yet you your
date time subject status total price amount ticket name address phone website title message reply link edit
save delete cancel open settings profile account dashboard admin sales billing login logout share export import
upload download
""".split()
# English words Faker's lorem list lacks that open requests and reports, capitalised at a sentence's start
# ("Ensure", "Sent", "Attached", "Yesterday"), or that a writer capitalises for emphasis: everyday words, never
# names alone.
_REQUEST_WORDS = """
arrange attach attached clarify click compose confirm confirmed contact copy correct deliver delivered draft
elaborate enable enclose enclosed ensure estimate evaluate explore fix fixed generate guide inform install
notify outline pretend print proceed recommend refund refunded remind remove renew repeat replace request
requested reschedule reset resend restore review rewrite schedule scheduled select sent ship shipped sketch
specify submit submitted summarize summarise switch transfer translate update updated upgrade verify verified
capitalized capitalised compared regarding following attention reminder warning caution important urgent
wisdom discipline courage honesty kindness loyalty freedom truth
thesis chapter section appendix figure table summary overview introduction conclusion abstract
yesterday tomorrow tonight morning afternoon evening weekend earlier later recently meanwhile afterwards
""".split()
_CHAT_WORDS_OTHER = """
al algo bien buenas buenos casa como con cuando de del el ella en es esta este gracias hola la las los mi muy
no para pero por que se si sin su sus tu un una usted y
au avec bonjour ce cette dans de des du elle en est et il je la le les leur mais merci mon nous ou par pas
pour que qui sa se son sur un une vous
auch aber am an auf aus bei bin bitte dank danke das dem den der des die du ein eine er es für hallo ich ihr im
in ist ja mein mit nach nicht noch oder sie sind und uns von vor wie wir zu
al alla alle anche buongiorno che chi ciao come con da dal dalla del della di e grazie il io la le lei lo ma mio
nel nella nelle nei non nota nuova nuovo ogni per più quando questo se si sono su sul sulla tu un una
ao as com da das de do dos e ela ele em entre essa este eu isso leia mais mas meu mude na nas no nos nova novo
obrigado olá os ou para pela pelo por que se sem seu sim sua também um uma você
""".split()


@dataclass(frozen=True)
class Gazetteer:
    """Case-folded word sets the name recogniser consults."""

    first_names: frozenset[str]
    widespread_first_names: frozenset[str]  # given in two or more locales: "Jacob", not "Okta"
    last_names: frozenset[str]
    common_words: frozenset[str]  # a name token that is also one of these needs a neighbour to count
    chat_words: frozenset[str]  # the hand-picked subset that opens a chat sentence ("Please", "Thanks")
    places: frozenset[str]  # countries, states and city words: alone they are places, not people
    ja_first_names: frozenset[str]
    ja_last_names: frozenset[str]


def _locale_providers(package: object) -> list[type]:
    providers = []
    for module in pkgutil.iter_modules(package.__path__):  # type: ignore[attr-defined]
        loaded = importlib.import_module(f"{package.__name__}.{module.name}")  # type: ignore[attr-defined]
        providers.append(loaded.Provider)
    return providers


def _words(provider: type, attrs: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for attr in attrs:
        value = provider.__dict__.get(attr)
        if isinstance(value, dict | list | tuple):
            found.update(str(name) for name in value)
    return found


@cache
def gazetteer() -> Gazetteer:
    """Build the lists on first use (about 0.2 s); every detector shares them."""
    first: set[str] = set()
    locales_of_first: Counter[str] = Counter()
    last: set[str] = set()
    ja_first: set[str] = set()
    ja_last: set[str] = set()
    for provider in _locale_providers(faker_person):
        given = _words(provider, _FIRST_ATTRS)
        first |= given
        locales_of_first.update({name.casefold() for name in given})
        last |= _words(provider, _LAST_ATTRS)
        if provider.__module__.endswith("ja_JP"):
            ja_first = _words(provider, ("first_names",))
            ja_last = _words(provider, ("last_names",))
    common = {word.casefold() for word in (*_CHAT_WORDS, *_CHAT_WORDS_OTHER, *_REQUEST_WORDS)}
    # Language names ("English", "German") are surnames somewhere, and everywhere in help text.
    common |= {str(name).casefold() for name in faker_person.Provider.language_names}
    for provider in _locale_providers(faker_lorem):
        # Only the agents' languages: another language's everyday words are names here ("Ella", "Jan").
        if provider.__module__.rsplit(".", 1)[-1] in _LOREM_LOCALES:
            common |= {str(word).casefold() for word in _words(provider, ("word_list",))}
    places: set[str] = set()
    for provider in _locale_providers(faker_address):
        # Countries and regions only: city lists hold too many given names ("Antonio", "Roy").
        for attr in ("countries", "states"):
            places.update(place.casefold() for place in _words(provider, (attr,)) if " " not in place)
    # Single letters and two-letter tokens are initials or words, never a name on their own.
    first_folded = {n.casefold() for n in first if len(n) > 2 and " " not in n}
    last_folded = {n.casefold() for n in last if len(n) > 2 and " " not in n}
    return Gazetteer(
        first_names=frozenset(first_folded),
        widespread_first_names=frozenset(n for n in first_folded if locales_of_first[n] >= 2),
        last_names=frozenset(last_folded),
        common_words=frozenset(common),
        chat_words=frozenset(word.casefold() for word in (*_CHAT_WORDS, *_CHAT_WORDS_OTHER)),
        places=frozenset(places),
        ja_first_names=frozenset(n for n in ja_first if len(n) <= 3),
        ja_last_names=frozenset(ja_last),
    )
