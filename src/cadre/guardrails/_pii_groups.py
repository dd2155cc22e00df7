"""Nationalities, religions and political groups (NRP): written lists of the adjectives and nouns people use.

A nationality adjective is also a language's name: "the Spanish government" is a group, "available in
Spanish" is a language, so the words that introduce a language exclude it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from cadre.guardrails._pii_phrases import PhraseList
from cadre.guardrails._pii_types import Candidate

_NATIONALITIES = """
Afghan Albanian Algerian American Andorran Angolan Argentine Argentinian Armenian Australian Austrian
Azerbaijani Bahamian Bahraini Bangladeshi Barbadian Belarusian Belgian Belizean Beninese Bhutanese Bolivian
Bosnian Botswanan Brazilian British Bruneian Bulgarian Burkinabe Burmese Burundian Cambodian Cameroonian
Canadian Chadian Chilean Chinese Colombian Congolese Croatian Cuban Cypriot Czech Danish Djiboutian
Dominican Dutch Ecuadorian Egyptian Emirati English Eritrean Estonian Ethiopian Fijian Filipino Finnish French
Gabonese Gambian Georgian German Ghanaian Greek Grenadian Guatemalan Guinean Guyanese Haitian Honduran
Hungarian Icelandic Indian Indonesian Iranian Iraqi Irish Israeli Italian Ivorian Jamaican Japanese Jordanian
Kazakh Kenyan Korean Kosovar Kuwaiti Kyrgyz Laotian Latvian Lebanese Liberian Libyan Lithuanian Luxembourgish
Macedonian Malagasy Malawian Malaysian Maldivian Malian Maltese Mauritanian Mauritian Mexican Moldovan
Monegasque Mongolian Montenegrin Moroccan Mozambican Namibian Nepalese Nepali Nicaraguan
Nigerian Nigerien Norwegian Omani Pakistani Palestinian Panamanian Paraguayan Peruvian Polish Portuguese
Qatari Romanian Russian Rwandan Salvadoran Samoan Saudi Scottish Senegalese Serbian Singaporean Slovak
Slovakian Slovenian Somali Spanish Sudanese Surinamese Swedish Swiss Syrian
Taiwanese Tajik Tanzanian Thai Togolese Tongan Trinidadian Tunisian Turkish Turkmen Ugandan Ukrainian
Uruguayan Uzbek Venezuelan Vietnamese Welsh Yemeni Zambian Zimbabwean Greenlander Greenlandic Faroese
Basque Catalan Flemish Kurdish Tamil Punjabi Bengali Asian European African Latino Latina Hispanic Arab
Arabic Scandinavian Balkan Caribbean Nordic Slavic Americans Canadians Germans Italians Russians Mexicans
Brazilians Australians Africans Europeans Asians Arabs
"""
_RELIGIONS = """
Christian Christians Catholic Catholics Protestant Protestants Orthodox Evangelical Evangelicals Baptist
Methodist Lutheran Anglican Presbyterian Mormon Mormons Muslim Muslims Islamic Sunni Shia Shiite Jewish Jew
Jews Hindu Hindus Buddhist Buddhists Sikh Sikhs Jain Atheist Atheists Agnostic Agnostics Taoist Shinto
Quaker Quakers Pentecostal Adventist Bahá'í Baha'i Zoroastrian Rastafarian
"""
_POLITICAL = """
Democrat Democrats Democratic Republican Republicans Conservative Conservatives Tory Tories Labour Liberal
Liberals Libertarian Libertarians Socialist Socialists Communist Communists Green Greens Marxist Marxists
Nationalist Nationalists Populist
Progressive Progressives Whig Whigs Federalist Federalists
"""
_MULTI_WORD = (
    "New Zealander|Costa Rican|South African|Sri Lankan|Social Democrat|Social Democrats|Christian Democrat|"
    "Christian Democrats|Puerto Rican|Saudi Arabian|Roman Catholic|Roman Catholics|First Nations"
)
# A compass point or "Native" before a group narrows it and belongs to it: "South Korean", "Native American".
_QUALIFIER_BEFORE = re.compile(r"(?:North|South|East|West|Northern|Southern|Eastern|Western|Central|Native)[ \t]$")
# "in Spanish", "speak French", "Dutch translation": the word names a language there, not a people.
_LANGUAGE_BEFORE = re.compile(
    r"\b(?:in|into|speak|speaks|spoke|speaking|learn|learning|translate|translated|from|to|and|or)[ \t]+$",
    re.IGNORECASE,
)
_LANGUAGE_AFTER = re.compile(r"[ \t]+(?:translation|version|language|speaker|speakers|text|keyboard|locale)\b")
# "European Union", "Democratic Party": the adjective starts an institution's name.
_INSTITUTION_AFTER = re.compile(
    r"[ \t]+(?:Union|Commission|Parliament|Council|Court|Central|Space|Party|Republic|Federation|Airlines|Railways)\b"
)


@cache
def groups() -> PhraseList:
    words = _MULTI_WORD.split("|")
    for block in (_NATIONALITIES, _RELIGIONS, _POLITICAL):
        words += block.split()
    return PhraseList.of((word, "group") for word in words)


@cache
def group_words() -> frozenset[str]:
    """The listed one-word groups, case-folded: alone, such a word names a people or a faith, never a person."""
    return frozenset(word.casefold() for block in (_NATIONALITIES, _RELIGIONS, _POLITICAL) for word in block.split())


def nationalities_religions_politics(text: str) -> Iterator[Candidate]:
    kept: list[tuple[int, int]] = []
    for start, end, _ in groups().find(text):
        if (
            _LANGUAGE_BEFORE.search(text, max(0, start - 12), start)
            or _LANGUAGE_AFTER.match(text, end)
            or _INSTITUTION_AFTER.match(text, end)
        ):
            continue
        qualifier = _QUALIFIER_BEFORE.search(text, max(0, start - 10), start)
        if qualifier is not None:
            start = qualifier.start()
        # Two groups side by side name one ("Greek Orthodox", "Sunni Muslim", "African American").
        if kept and text[kept[-1][1] : start] == " ":
            kept[-1] = (kept[-1][0], end)
        else:
            kept.append((start, end))
    listed = {phrase.casefold() for phrase in _MULTI_WORD.split("|")}
    for start, end in kept:
        # A listed phrase outranks a given name and a surname it is made of ("Roman Catholic").
        yield Candidate("NRP", start, end, 0.85 if text[start:end].casefold() in listed else 0.6)
