"""Street addresses: a street core (number + name + street word, in each language's order), then its tail.

The tail takes what postal addresses put after the street: a unit ("Apt. 4", "Suite 210"), then up to three
comma- or line-separated parts that look like a city, a region with its postcode, or a country.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from functools import cache

import faker.providers.address as faker_address
import faker.providers.address.en_US as faker_en_address

from cadre.guardrails._pii_context import near_after, near_before
from cadre.guardrails._pii_gazetteer import gazetteer
from cadre.guardrails._pii_types import Candidate

# A capitalised word, but not a unit word: "Hulotais Apt. 087" is a street name, then its unit.
# Upper-case letters of the Latin, Greek and Cyrillic scripts (Latin Extended-A/B mixes in its lower case,
# which is harmless). Words are capped at 40 letters so that no pattern can backtrack across a long run.
_UPPER = r"[A-ZÀ-ÖØ-ÞĀ-ɏΆ-ΏΑ-ΩЀ-Я]"
_CAP = rf"(?!(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Box)\b){_UPPER}[\w'\u2019.-]{{0,40}}"
_PARTICLE = (
    r"(?:(?:de|du|des|del|della|dei|degli|delle|di|da|das|do|dos|la|le|les|los|las|von|der|van|am|an|im|y|e|"
    r"nad|pod|na|v|u|i|ob|pri|sur|sous|bei)\b|d['\u2019](?=\w))"
)
_ABBREVIATIONS = "St Ave Av Rd Blvd Ln Dr Ct Pl Sq Ter Pkwy Hwy Cir Cres Trl Expy Fwy Pk"
_PREFIXES = (
    "Calle C/ Avenida Avda Av Paseo Plaza Pza Camino Carretera Ronda Travesía Carrer Passeig Rambla Cuesta Vial Acceso "
    "Pasadizo Calzada Cerrada Privada Prolongación Circuito Andador Periférico "
    "Rue Avenue Boulevard Bd Bvd Chemin Allée Impasse Place Quai Route Cours "
    "Via Viale Piazza Piazzale Corso Vicolo Largo Strada Contrada Borgo Rotonda Incrocio Stretto Canale "
    "Rua Travessa Praça Alameda Estrada Rodovia Beco Ladeira Viaduto Viela Passarela Vereda Esplanada Sítio "
    "Núcleo Condomínio Morro Chácara Glorieta Urbanización Callejón Pasaje Cañada "
    "Conjunto Residencial Loteamento Quadra Setor Colônia Fazenda Recanto Trecho Aeroporto Estação Jardim Parque Vila "
    "Lagoa "
    "ul ulica al aleja pl plac os osiedle trg ulice náměstí nám"
)
# Street words written after the name as a separate word (German, Hungarian, Swedish, Finnish, Slovenian,
# Croatian).
_SUFFIX_WORDS = (
    "Straße|Strasse|Str\\.|Weg|Platz|Allee|Allé|Gasse|Ring|u\\.|utca|útja|út|tér|körút|köz|sétány|fasor|rakpart|"
    "gatan|vägen|gata|tie|katu|kuja|polku|bulevardi|puistotie|"
    "ulica|cesta|steza|trg|nabrežje|pot"  # Slovenian, Croatian
)
_PO_BOX = (
    r"(?:P\.?[ \t]?O\.?[ \t]?Box|Post(?:al)?[ \t]?[Bb]ox|Apartado(?:[ \t]de[ \t]correos)?|Boîte[ \t]postale|B\.P\.|"
    r"Postfach|Casella[ \t]postale|Caixa[ \t]postal)[ \t]?\d{1,6}"
)
_ADDRESS_CONTEXT = (
    "address", "corner of", "live at", "lives at", "living at", "live on", "lives on", "located at", "meet me at",
    "deliver to", "ship to", "send it to", "ship it to", "shipped to", "deliver it to", "delivered to", "mail it to",
    "moved to", "moving to", "move to", "drop off at", "drops you off at", "pick me up at", "staying at",
    "stay at", "office is at", "office at", "offices at", "headquarters at", "based at", "find us at",
    "visit us at", "reside at", "resides at", "enter on", "delivery to", "deliveries to", "return label",
    "new place is", "new home is", "dirección",
    "domicilio", "vivo en", "adresse", "j'habite", "habite", "anschrift", "wohne", "wohnhaft", "indirizzo", "abito",
    "endereço", "moro na", "moro em", "住所",
)  # fmt: skip
# What follows a street that a sentence names as an address ("Is Kloboukova 1 the correct address?").
_ADDRESS_CONTEXT_AFTER = (
    "is my address", "is our address", "is the address", "the correct address", "the right address",
    "is my new address", "is where i live", "is where we live", "is where i'm staying", "is where i am staying",
    "is my home", "is our new office",
)  # fmt: skip
_COMPOUND = (
    "straße|strasse|str\\.|gasse|weg|platz|allee|ring|damm|ufer|chaussee|"  # de
    "straat|laan|plein|gracht|kade|singel|dreef|baan|boulevard|steeg|lei|"  # nl, Flemish
    "katu|tie|kuja|polku|bulevardi|gatan|vägen|gata|gränd|stigen|torget|vej|gade|veien|vegen|gaten|stræde|"  # nordic
    "bakken|berget|bråten|flata|gjerdet|grenda|haugen|havna|jordet|kollen|kroken|lunden|løkka|plassen|ringen|"  # no
    "skogen|skrenten|spranget|stranda|stubben|svingen|toppen|tunet|vollen|alléen|eggen|engen|ekra|faret|gropa|"  # no
    "holtet|høgda|lyngen|marka|moen|myra|stien|stykket|tjernet|vika|åsen|"  # no
    "utca"  # hu
)
_UNIT = (
    r"(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm|Bldg|Building|Piso|Planta|Puerta|Depto|Dpto|Étage|"
    r"Bâtiment|Bât|Appartement|Appartamento|Wohnung|Whg|Stock|Interior|Interno|Int|Scala|Piano|Andar|Sala|Bloco|Box)"
    r"(?:\.[ \t]?|[ \t])"
    r"(?:#[ \t]?)?(?:\d[\w-]*|[A-Z]\b)"
    r"|#[ \t]?\d+[A-Za-z]?"
)
# Longest shapes first: "4951 RW" (Dutch) before "4951"; "H-3480" (Hungarian), "30-746" (Polish), "585 57"
# (Czech, Slovak, Swedish).
# A Brazilian postcode may lose its hyphen ("74833788"); eight bare digits count only before a city's name.
_POSTCODE = (
    rf"(?:\d{{8}}(?=[ \t]+{_UPPER})|"
    r"\d{4}[ \t]?[A-Z]{2}\b|\d{4,5}(?:-\d{3,4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d|"
    r"[A-Z]{1,2}-\d{4,5}|\d{2}-\d{3}|\d{3}[ \t]\d{2}\b)"
)
# A place word has no digits: in "United Kingdom SW1A 1AA", "SW1A" starts the postcode.
_PLACE_WORD = rf"{_UPPER}[^\W\d_]{{0,40}}(?:['\u2019.-][^\W\d_]{{1,40}}){{0,4}}\b\.?"
_PLACE_PART = rf"(?:{_PLACE_WORD}(?:[ \t]+(?:{_PLACE_WORD}|{_PARTICLE}|\({_PLACE_WORD}\))){{0,3}})"
_SEPARATOR = r"[ \t]*(?:\n[ \t]*,?|,[ \t]*\n?)[ \t]*"
# A region code typed in lower case ("austin, tx 78701") is a tail part only where a postcode follows it, on
# its line or the next: alone, two lower-case letters are a word.
_LOWER_REGION = rf"[a-z]{{2,3}}(?=(?:[ \t]+|{_SEPARATOR}(?:{_PLACE_PART}[ \t]+)?){_POSTCODE}\b)"
# Brazilian addresses write the state after the city and a slash ("Florianópolis / SC").
_STATE_AFTER_SLASH = r"[ \t]*/[ \t]*[A-Z]{2}\b"
# A postcode written after a district is followed by its city on the same line: "Vila Oeste, 97278-428 Barros / AP",
# "Pavlova 11, 136 39 Jablonné v Podještědí".
_CITY_AFTER_POSTCODE = rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{_PLACE_PART}(?:{_STATE_AFTER_SLASH})?)?"
_TAIL_PART = (
    rf"(?:{_UNIT}|(?:{_POSTCODE}[ \t]+)?(?:{_PARTICLE}[ \t]+)*{_PLACE_PART}"
    rf"(?:,?[ \t]+(?:[A-Z]{{2}}[ \t]+)?{_POSTCODE}{_CITY_AFTER_POSTCODE}|{_STATE_AFTER_SLASH})?"
    rf"|{_POSTCODE}{_CITY_AFTER_POSTCODE}"
    rf"|[A-Z]{{2,3}}(?:[ \t]+{_POSTCODE})?\b|{_LOWER_REGION}(?:[ \t]+{_POSTCODE}\b)?)"
)
_MILITARY = re.compile(
    r"\b(?:(?:PSC|Unit)[ \t]\d{3,5},?[ \t]Box[ \t]\d{3,5}|(?:USNS|USNV|USS|USCGC)[ \t]" + _CAP + r")"
    r"\s*\n?[ \t]*(?:APO|FPO|DPO)[ \t][A-Z]{2}[ \t]\d{5}\b"
)
_JAPANESE = re.compile(
    r"(?:北海道|東京都|大阪府|京都府|[\u4e00-\u9fff]{2,3}県)?[\u4e00-\u9fff\u30a0-\u30ff]{1,6}[市区町村郡]"
    r"[\u4e00-\u9fff\u3040-\u30ff]{0,12}?[0-9\uff10-\uff19]{1,4}(?:丁目|[-\uff0dー\u2010])[0-9\uff10-\uff19]{1,4}"
    r"(?:(?:番地?|[-\uff0dー\u2010])[0-9\uff10-\uff19]{1,4}号?)?"
)


@cache
def _cores() -> tuple[re.Pattern[str], ...]:
    # Faker's list of US street words ("Street", "Avenue", "Crossing", plurals included) is the vocabulary
    # of English number-first addresses; abbreviations are added because people type them.
    suffixes = {str(s) for s in faker_en_address.Provider.street_suffixes} | set(_ABBREVIATIONS.split())
    for module in pkgutil.iter_modules(faker_address.__path__):  # en_GB's "Fairway", en_IN's "Zila"
        if module.name.startswith("en_"):
            provider = importlib.import_module(f"{faker_address.__name__}.{module.name}").Provider
            suffixes |= {str(s) for s in getattr(provider, "street_suffixes", ()) if str(s)[:1].isupper()}
    suffix = "|".join(sorted((re.escape(s) for s in suffixes), key=len, reverse=True))
    prefix = "|".join(sorted((re.escape(p) for p in _PREFIXES.split()), key=len, reverse=True))
    number = r"\d{1,6}[A-Za-z]?(?:/\d{1,6}[A-Za-z]?)?(?:[ \t]+\d{1,5})?"
    # "12 Avenue Moreau St.": a name that opens with a prefix street word is the prefix pattern's.
    number_first = re.compile(
        rf"(?<![\w.,-]){number}[ \t]+(?!(?i:{prefix})\b)(?:{_CAP}|\d{{1,3}}(?:st|nd|rd|th))(?:[ \t]+{_CAP}){{0,3}}"
        rf"[ \t]+(?:{suffix})\b\.?"
        rf"(?:[ \t]+(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\b)?"
    )
    prefix_first = re.compile(
        rf"(?:(?<![\w.,-]){number},?[ \t]+)?\b(?i:{prefix})\.?[ \t]+(?:(?:{_PARTICLE}[ \t]*)*{_CAP}[ \t]+){{1,4}}"
        rf"(?:[nN][º°oO]\.?[ \t]?)?\d{{1,5}}[A-Za-z]?(?:/\d{{1,5}}[A-Za-z]?)?\b"
    )
    # Italian and Brazilian addresses put a comma before the number ("Viale Ernesto, 7", "Largo de Borges, 52"),
    # Portuguese ones "S/N" where the building has none ("Travessa dos Guindais, S/N").
    # Only a capitalised street word opens one: in "send it via Email, 5 times" the comma ends a phrase.
    # Portuguese addresses abbreviate "Rua" to "R." ("R. Melo, 58"): only before a comma and a number, where
    # "R." is no initial.
    prefix_comma = re.compile(
        rf"\b(?:(?:{prefix})\.?|R\.)[ \t]+(?:(?:{_PARTICLE}[ \t]*)*{_CAP}[ \t]+){{0,3}}"
        rf"(?:{_PARTICLE}[ \t]*)*{_CAP},[ \t]+"
        rf"(?:\d{{1,5}}[A-Za-z]?\b(?![.,]\d)|S/N\b)"
    )
    # "69 Av Sidi Lakhmi", "12 rue de la Paix": the number comes first and nothing numeric follows.
    # The prefix is the street's type, so a street-type abbreviation after the name is the sentence's, not the
    # street's ("turn into 20 Rue Moreau St. ..."); in the middle it is a saint ("12 Rue St. Honoré").
    abbreviation = "|".join(_ABBREVIATIONS.split())
    closing_abbreviation = rf"(?:{abbreviation})(?:\.|(?![\w'\u2019.-]))(?![ \t]+{_UPPER})"
    number_then_prefix = re.compile(
        rf"(?<![\w.,-]){number},?[ \t]+\b(?i:{prefix})\.?[ \t]+(?:{_PARTICLE}[ \t]+)*{_CAP}"
        rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)*(?!{closing_abbreviation}){_CAP}){{0,3}}"
    )
    suffix_word = re.compile(
        rf"(?:(?<![\w.,-]){number}[ \t]+)?{_CAP}(?:[ \t]+{_CAP}){{0,2}}[ \t]+(?:{_SUFFIX_WORDS})[ \t]+"
        rf"\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,5}}[A-Za-z]?)?\b\.?"
    )
    compound = re.compile(
        rf"(?:(?<![\w.,-]){number}[ \t]+)?(?:{_CAP}[ \t]+){{0,2}}{_UPPER}[\w'\u2019-]{{0,40}}?(?i:{_COMPOUND})[ \t]+"
        rf"\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,5}}[A-Za-z]?)?\b"
    )
    po_box = re.compile(rf"(?:(?<![\w.,-]){number}[ \t]+)?{_PO_BOX}")
    # British flats name the building's street without a number, on the next line or after a comma:
    # "Flat 27\nBriggs Park", "Studio 11Q, Gregory Cliffs".
    unit_then_street = re.compile(
        rf"(?<![\w.-])(?:Flat|Apartment|Apt|Studio|Unit|Suite)\.?[ \t]+\d{{1,5}}[A-Za-z]?"
        rf"(?:[ \t]*,[ \t]*|[ \t]*\n[ \t]*)(?:{_CAP}[ \t]+){{1,3}}(?:{suffix})\b\.?"
    )
    return (
        number_first,
        prefix_first,
        prefix_comma,
        number_then_prefix,
        suffix_word,
        compound,
        po_box,
        unit_then_street,
    )


# French streets are written in lower case and often without a number ("rue de Besson", "chemin Bernier"): the
# lower-case street word then proves the address on its own, unless an everyday word follows it ("I rue Monday").
# English writes "avenue", "boulevard" and "impasse" before a name too ("another avenue Microsoft could take", "an
# impasse Monday"): those need a French particle or a postcode after them.
_FRENCH_POSTCODE = rf"(?:[ \t]+{_CAP}){{1,3}},[ \t]*\d{{5}}\b"  # "avenue Joséphine Jacob, 73388 Hubert"
_FRENCH_STREET = re.compile(
    rf"(?<![\w'\u2019.-])(?:rue|chemin|allée|(?:avenue|boulevard|impasse)(?=[ \t]+{_PARTICLE}|{_FRENCH_POSTCODE}))"
    rf"[ \t]+(?:{_PARTICLE}[ \t]*)*({_CAP})(?:[ \t]+(?:{_PARTICLE}[ \t]*)*{_CAP}){{0,2}}"
)


def _french_streets(text: str) -> Iterator[re.Match[str]]:
    common = gazetteer().common_words
    for match in _FRENCH_STREET.finditer(text):
        if match.group(1).rstrip(".").casefold() not in common:
            yield match


# "Kuuse 53", "Dobrovského 1394": a name and a number are an address only with evidence (a unit or a
# postcode after it, or the word "address" before it); alone they are "Windows 11" or "Article 50".
_NAME_NUMBER = re.compile(
    rf"(?:(?<![\w.,-])\d{{1,6}}[ \t]+)?{_CAP}(?:[ \t]+(?:{_CAP}|[^\W\d_]{{1,40}})){{0,3}},?[ \t]+\d{{1,5}}[A-Za-z]?"
    # A Hungarian house number keeps its full stop before the city: "Dózsa György utca 95., Kaposvár".
    r"(?:[-/]\d{1,5}[A-Za-z]?)?\b(?:\.(?=,))?"
)
# A bare number after a comma ("Windows 11, 2024") is no evidence; a postcode next to a place name is.
_EVIDENCE = re.compile(
    rf"(?:{_UNIT})|(?<![\w-])(?:{_PLACE_WORD},?[ \t]+{_POSTCODE}|{_POSTCODE}[ \t]+{_PLACE_WORD})(?![\w-])"
)


_CORNER_BEFORE = re.compile(r"(?:\b(?:the|at)[ \t]+)?\bcorner[ \t]+of[ \t]+$", re.IGNORECASE)
# "at Petőfi and Kossuth u. 15.": a street name joined by "and" to an address whose street comes first names its
# crossing; before a house number ("Sales and 12 Main Street") it does not.
_CROSS_STREET_BEFORE = re.compile(rf"(?<![\w'\u2019.-])({_CAP}(?:[ \t]+{_CAP})?)[ \t]+(?:and|&)[ \t]+$")
_CROSS_STREET = re.compile(rf"[ \t]+(?:and|&)[ \t]+(?:{_CAP}|[a-z]{{1,20}})(?:[ \t]+(?:{_CAP}|\d{{1,5}}\b)){{0,3}}")


# After a unit, a city and country often follow on the same line ("Apt. 050 Coalville South Africa").
# A French street's core may end on its postcode ("rue de Giraud, 48843"): the city follows it after a space.
_TAIL = re.compile(
    rf"(?:(?<=,[ \t]\d{{5}})[ \t]+{_PLACE_PART}|(?:[ \t]+{_UNIT}){{1,2}}(?:[ \t]+{_PLACE_PART})?)?"
    rf"(?:{_SEPARATOR}{_TAIL_PART}){{0,4}}"
)


def street_addresses(text: str) -> Iterator[Candidate]:
    found: list[tuple[int, int, float]] = []
    for pattern in _cores():
        found += [(_unit_start(text, m.start()), _tail_end(text, m.end()), 0.85) for m in pattern.finditer(text)]
    found += [(m.start(), _tail_end(text, m.end()), 0.85) for m in _french_streets(text)]
    for match in _NAME_NUMBER.finditer(text):
        end = _tail_end(text, match.end())
        cued = _after_cue(text, match.start(), match.end())
        if cued is not None:
            found.append((cued, end, 0.85))
        elif (
            _EVIDENCE.search(text, match.end(), end)
            or near_before(text, match.start(), _ADDRESS_CONTEXT, window=30)
            or near_after(text, end, _ADDRESS_CONTEXT_AFTER, window=25)
        ):
            found.append((_without_common_lead(text, match.start(), match.end()), end, 0.85))
    found += [(m.start(), m.end(), 0.9) for m in _MILITARY.finditer(text)]
    found += [(start, end, 0.85) for start, end in _address_fields(text)]
    found += [(m.start(), m.end(), 0.85) for m in _JAPANESE.finditer(text)]
    # Two street patterns often see parts of one address ("Brucker Bundesstrasse 31" and "31 Zezig Streets"):
    # overlapping or touching parts are one address.
    merged: list[tuple[int, int, float]] = []
    for start, end, score in sorted(found):
        if merged and start <= merged[-1][1] + 1 and not text[merged[-1][1] : start].strip():
            last_start, last_end, last_score = merged[-1]
            merged[-1] = (last_start, max(last_end, end), max(last_score, score))
        else:
            merged.append((start, end, score))
    for start, end, score in merged:
        start = _street_word_start(text, _without_lead_words(text, start, end))
        yield Candidate("STREET_ADDRESS", *_with_crossing(text, start, end), score)


# A form's address field: its value is the address whatever its shape ("Street: Naumovac 2b", "Address: Av
# Rodrigues, S/N"), up to the line's end or a new sentence on the same line.
_ADDRESS_FIELD = re.compile(
    r"(?im)^[ \t]*(?:(?:street|postal|mailing|home|billing|shipping|delivery|office)[ \t]+address|street|address"
    r"(?:[ \t]+line[ \t]*\d)?|addr\.?)[ \t]*:[ \t]*([^\W_][^\n]{2,100})$"
)
_NEW_SENTENCE = re.compile(r"[.!?;][ \t]+(?=[A-Z][a-z]+[ \t]+[a-z])|[ \t]+\(")


def _address_fields(text: str) -> Iterator[tuple[int, int]]:
    for match in _ADDRESS_FIELD.finditer(text):
        start, end = match.span(1)
        stop = _NEW_SENTENCE.search(text, start, end)
        end = stop.start() if stop is not None else end
        value = text[start:end].rstrip(" \t.,")
        words = re.findall(r"[^\W\d_]+", value)
        # A number, or nothing but names and particles: "see below" or "same as billing" is no address.
        if any(char.isdigit() for char in value) or (
            words and all(w[0].isupper() or re.fullmatch(_PARTICLE, w) for w in words)
        ):
            yield start, start + len(value)


# A unit written before the street, as Australian and British addresses do: "Unit 88 53 Anthony Quad", or on
# the line above it: "Suite 717\n222 Emily Street".
_UNIT_BEFORE = re.compile(
    r"(?<![\w.-])(?:Apt|Apartment|Suite|Unit|Level|Flat|Studio)\.?"
    r"(?:(?:[ \t]+\d{1,5}[A-Za-z]?)?[ \t]+|[ \t]+\d{1,5}[A-Za-z]?,?[ \t]*\n[ \t]*)$"
)


def _unit_start(text: str, start: int) -> int:
    unit = _UNIT_BEFORE.search(text, max(0, start - 24), start)
    return start if unit is None else unit.start()


@cache
def _street_word_before() -> re.Pattern[str]:
    prefix = "|".join(sorted((re.escape(p) for p in _PREFIXES.split()), key=len, reverse=True))
    return re.compile(rf"(?<![\w'\u2019.-])(?i:{prefix})\.?[ \t]+(?:{_PARTICLE}[ \t]*)*$")


def _street_word_start(text: str, start: int) -> int:
    # "rue de Giraud, 48843 ...", "avenue Anouk Muller, 91652 ...": a street word typed in lower case opens the
    # street, though the patterns that find the address start at its capitalised name.
    if not text[start : start + 1].isupper():
        return start
    before = _street_word_before().search(text, max(0, start - 40), start)
    return start if before is None else before.start()


# Words that open a question or a clause before an address ("Is Zänkerring 3 the correct address?").
_LEAD_WORDS = frozenset("is are was were do does did can could will would should our my your their his her".split())
# Czech, Slovak and Polish street names often open with a capitalised preposition ("Na Pomezí 179", "K Lipám 42",
# "Nad Zátiším 18"): it is the street's first word even where the same word is everyday chat ("na").
_STREET_OPENERS = frozenset("Na Nad Pod K Ke V Ve U Za Ze Do Pri Při Przy".split())


def _without_lead_words(text: str, start: int, end: int) -> int:
    # "Is Hannukselanpolku 6, Ulvila the correct address?": a pattern that takes capitalised words before the
    # street's own may take the word that opens the question.
    lead = re.match(r"([^\W\d_]+)[ \t]+(?=[^\W\d_])", text[start:end])
    if lead is None or lead.group(1).casefold() not in _LEAD_WORDS:
        return start
    return start + lead.end()


def _without_common_lead(text: str, start: int, end: int) -> int:
    # "Please Kuuse 53, 12345 Tallinn": the words that open a sentence are not the street's name, nor is a
    # lower-case word before the street's capitalised one ("Our office at Mannerheimintie 92"), particles aside.
    common = gazetteer().chat_words
    words = list(re.finditer(r"\S+", text[start:end]))
    first = 0
    for index, word in enumerate(words):
        if word.group()[0].isdigit():
            break
        folded = word.group().casefold()
        lower_word = word.group()[0].islower() and not re.fullmatch(_PARTICLE, word.group())
        opener = word.group() in _STREET_OPENERS and index + 1 < len(words) and words[index + 1].group()[0].isupper()
        if (((folded in common and not opener) or folded in _LEAD_WORDS) and index == first) or lower_word:
            first = index + 1
    if first >= len(words) or not words[first].group()[0].isupper():
        first = 0 if not words or words[0].group().casefold() not in common else min(first, len(words) - 1)
    return start + words[first].start() if words else start


_LINKING_WORDS = re.compile(r"(?:(?:is|are|was|now|still)\b[ \t]*|:[ \t]*)*")


def _after_cue(text: str, start: int, end: int) -> int | None:
    """Where an address starts when an address cue sits inside the words matched before its number ("Ship it
    to Vajgarská 3"): just after the cue, if a capitalised word follows it."""
    number = re.search(r"\d", text[start:end])
    stop = start + (number.start() if number else end - start)
    lowered = text[start:stop].lower()
    best = -1
    for cue in _ADDRESS_CONTEXT:
        at = lowered.rfind(cue + " ")
        if at != -1 and (at == 0 or not lowered[at - 1].isalnum()):
            best = max(best, at + len(cue) + 1)
    if best == -1:
        return None
    # "My address is Paulsenmoen 47": a linking word between the cue and the street belongs to the sentence.
    linking = _LINKING_WORDS.match(text, start + best, stop)
    begin = start + best if linking is None else linking.end()
    return begin if begin < stop and text[begin].isupper() else None


def _with_crossing(text: str, start: int, end: int) -> tuple[int, int]:
    # "the corner of 3744 Retreat Avenue and Władysława Route": an intersection names one place by two streets.
    corner = _CORNER_BEFORE.search(text, max(0, start - 20), start)
    if corner is None:
        return _cross_street_before(text, start), end
    other = _CROSS_STREET.match(text, end)
    return corner.start(), end if other is None else other.start() + len(other.group().rstrip("."))


_HOUSE_NUMBER = re.compile(r"\d{1,6}[A-Za-z]?(?:[-/]\d{1,6}[A-Za-z]?)?")
_HUNGARIAN_NUMBER = re.compile(r"\b(?:u\.|utca|útja|út|tér|körút|köz|sétány|fasor|rakpart)[ \t]+\d{1,5}\.$")


def _tail_end(text: str, end: int) -> int:
    # "... 219 Stephanie Flat.\nBest, Ann": a full stop after a whole street word ends the sentence, and the
    # address with it; after an abbreviation ("Main St.\nSpringfield") it is the abbreviation's.
    # A number's full stop is Hungarian usage ("Kossuth u. 15.") and stays.
    last_word = (text[:end].rstrip(".").rsplit(None, 1) or [""])[-1] if text[end - 1 : end] == "." else ""
    if last_word.isalpha() and last_word not in _ABBREVIATIONS.split():
        return end - 1
    # Elsewhere a full stop after the house number ends the sentence ("... katu 231.\nBest, Ann").
    if _HOUSE_NUMBER.fullmatch(last_word) and not _HUNGARIAN_NUMBER.search(text, max(0, end - 60), end):
        return end - 1
    tail = _TAIL.match(text, end)
    stop = end if tail is None else tail.end()
    # A full stop that ends a line ends the sentence, and the address with it ("..., Vihti.\nBest, Ann").
    line_end = re.search(r"\.[ \t]*\n", text[end:stop])
    if line_end is not None:
        stop = end + line_end.start()
    # A tail never ends on an everyday word ("... New Zealand. Please"), a separator or a closing full stop.
    common = gazetteer().chat_words
    while stop > end:
        words = text[end:stop].rstrip(" \t\n,.").rsplit(None, 1)
        # Nor on a field's label: in "address: 5 Main St\nPhone: ..." the next line is another field.
        label = re.match(r"[ \t]*:", text[end + len(text[end:stop].rstrip(" \t\n,.")) :]) is not None
        if not words or (words[-1].casefold() not in common and not label):
            break
        if len(words) == 2 and words[0].endswith("/") and not label:
            break  # "Aracaju / SE": after a slash, two letters are a state's code, not the word "se"
        stop = end + len(words[0]) if len(words) == 2 else end
    return end + len(text[end:stop].rstrip(" \t\n,."))


def _cross_street_before(text: str, start: int) -> int:
    if text[start : start + 1].isdigit():
        return start
    before = _CROSS_STREET_BEFORE.search(text, max(0, start - 60), start)
    if before is None or any(word.casefold() in gazetteer().common_words for word in before.group(1).split()):
        return start
    return before.start()
