"""Organisations without a model: legal or trade suffixes, partners' surnames, work cues, a signature's firm line.

Product names in help text ("Halyard Pipeline", "Okta") carry none of these, so they stay unmarked.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from functools import cache

import faker.providers.company as faker_company

from cadre.guardrails._pii_gazetteer import gazetteer
from cadre.guardrails._pii_titles import job_line, occupations
from cadre.guardrails._pii_types import Candidate

_UPPER = r"[A-ZÀ-ÖØ-ÞĀ-ɏ]"
_NAME_WORD = rf"(?:{_UPPER}[\w'\u2019&.-]{{0,30}}|\d{{1,4}})"
# Legal forms, and the nouns companies end their names with: "Tableau Software", "National Van Lines".
_SUFFIX = (
    r"(?:Inc\.?|Incorporated|Corp\.?|Corporation|Co\.|Company|LLC|L\.L\.C\.|LLP|Ltd\.?|Limited|PLC|plc|GmbH|AG|"
    r"S\.A\.|SA|SAS|SARL|S\.r\.l\.|SpA|S\.p\.A\.|BV|B\.V\.|NV|N\.V\.|Oy|AB|ASA|KK|Pty|Group|Holdings|Partners|"
    r"Associates|Agency|Bank|Software|Solutions|Systems|Technologies|Technology|Labs|Laboratories|Research|"
    r"Services|Service|Consulting|Ventures|Capital|Media|Networks|Analytics|Insurance|Airlines|Airways|Lines|"
    r"Foundation|University|Institute|Enterprises|Industries|International|Pharmaceuticals|Motors|Energy|Finance|"
    r"Financial|Studios|Publishing|Press|Logistics|Partnership|Trust|Bancorp|Dynamics|Therapeutics|Biosciences|"
    r"Communications|Telecom|Restaurants|Hotels|Brands|Markets|Exchange|Realty|Properties|and[ \t]Sons)"
)
# A legal form ends a name: in "Acme Inc. and Globex Corp." the second firm starts after it.
_NOT_LEGAL_FORM = (
    r"(?!(?:Inc|Corp|Co|LLC|L\.L\.C|LLP|Ltd|Limited|PLC|plc|GmbH|AG|S\.A|SA|SAS|SARL|S\.r\.l|SpA|S\.p\.A|BV|B\.V|"
    r"NV|N\.V|Oy|AB|ASA|KK|Pty)\.?(?![\w&]))"
)
_WITH_SUFFIX = re.compile(
    rf"(?<![\w-]){_NAME_WORD}(?:[ \t]+(?:&[ \t]+|of[ \t]+|and[ \t]+)?{_NOT_LEGAL_FORM}{_NAME_WORD}){{0,3}}"
    rf",?[ \t]+{_SUFFIX}(?![\w-])"
)
_OF_FORM = re.compile(
    rf"\b(?:University|Bank|Institute|College|Museum|Ministry|Department|Bureau|Council|Society|Federation)[ \t]+"
    rf"of[ \t]+(?:the[ \t]+)?{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}"
)
# Law-firm style names built from surnames: "Fritz-Armstrong", "Barnett, Melton and Garcia", "Jensen & Brandt".
_SURNAME_WORD = r"[^\W\d_]{1,30}['\u2019][^\W\d_]{2,30}|[^\W\d_]{2,30}"  # "O'Neill" too
_SURNAME_PARTICLES = r"(?:(?:van|von|de|der|den|da|di|du|le|la)[ \t]+){0,2}"  # "van der Laar"
_PARTNERS = re.compile(
    r"(?<![\w-])([^\W\d_]{2,30})-([^\W\d_]{2,30})(?![\w-])"
    rf"|(?<![\w'\u2019-])({_SURNAME_WORD}),[ \t]({_SURNAME_WORD})[ \t](?i:and|&|og|och|und|et|y|e)[ \t]"
    rf"({_SURNAME_WORD})(?![\w'\u2019-])"
    # "Jensen & Brandt", "van Laar & Roukes": people are joined by "and", firms by an ampersand.
    rf"|(?<![\w-]){_SURNAME_PARTICLES}([^\W\d_]{{2,30}})[ \t]&[ \t]{_SURNAME_PARTICLES}([^\W\d_]{{2,30}})(?![\w-])"
)
# Words that open a sentence or a phrase before a firm's name without being part of it.
_LEADING_WORDS = frozenset(
    "the a an our my your their his her its this that these those please thanks hi hello dear at for with by from "
    "and or is are was were do does did can could will would should has have had after before since when while "
    "until once because although if yesterday today tomorrow meanwhile however then".split()
)
# Between the names of a firm's partners: "Boada y Gallart", "Biró és Nagy", "Kloppert & Blewanus".
_JOINER = (
    r"(?:,[ \t]+|[ \t]+(?:(?:&|and|y|e|és|und|et|en|og|och|i|de|del|da|do|dos|das|van|von|der|den|la|le)[ \t]+){0,2})"
)
# Two or three capitals alone are too often a word, an acronym or someone's initials ("ET", "URL"); these are
# unmistakable.
_SHORT_LEGAL_FORMS = frozenset("AG AB AS BV NV SA HB KG OG SRL SPA SNC SAS ASA VOF INC RFH".split())


# "I work for X", "employed by X", "the X office": what follows (or precedes) is an employer.
_WORK_CUE = re.compile(
    r"\b(?:work(?:s|ed|ing)?[ \t]+(?:for|at)|employed[ \t]+(?:by|at)|employee[ \t]+of|job[ \t]+at|"
    r"joined|(?:CEO|CTO|CFO|founder|co-founder|president|head)[ \t]+of|"
    r"intern(?:ship)?[ \t]+at|hired[ \t]+by|shares[ \t]+(?:of|in)|invest(?:ed)?[ \t]+in|acquired[ \t]+by)[ \t]+"
)
# Before three partners' surnames, words that make them a firm a business deals with ("a contract with Price,
# Welch and Cox", "our supplier ...").
_DEALS_WITH = re.compile(
    r"(?i:\b(?:contracts?|agreements?|deals?|invoices?|bills?|quotes?|orders?|payments?|partnerships?|mergers?)"
    r"[ \t]+(?:with|from|to)|\bthe|"
    r"\b(?:suppliers?|vendors?|clients?|customers?|partners?|firm|company|lawyers?|attorneys?|solicitors?|"
    r"accountants?|auditors?)|\bon[ \t]+behalf[ \t]+of|\bat|\b(?:left|quit|leaving|leaves)|"
    # "bought it from ...", a "Company:" field, and someone "from" them ("Ana Lobo from Price, Welch and Cox").
    r"\b(?:bought|ordered|purchased|buy|order|purchase)(?:[ \t]+(?:it|them|this|that|one))?[ \t]+from|"
    r"\b(?:company|employer|organi[sz]ation|vendor|supplier|firm|client|customer)[ \t]*:|"
    r"(?-i:[A-Z][\w'\u2019-]+)[ \t]+from)[ \t]+$"
)
# After them, a singular verb, a possessive, what only a firm does, or a job noun: one firm acts, not three people
# ("Mills, Morgan and Cook has acquired ...", "... went bankrupt", "Barnett, Melton and Garcia songwriter ...").
_ACTS_AS_ONE = re.compile(
    r"(?:['\u2019]s\b|[ \t]+(?:has|is|was|does|hasn['\u2019]t|isn['\u2019]t|wasn['\u2019]t|acquired|merged|"
    r"went[ \t]+(?:bankrupt|public|under)|filed[ \t]+for|is[ \t]+hiring|still[ \t]+hiring)\b)"
)
# An employer named before a job noun and the person's name, as the press writes it ("Estately songwriter Michele
# Østrem", "Northwind engineer Ana Lobo").
_EMPLOYER_BEFORE_JOB = re.compile(
    rf"(?<![\w-])({_UPPER}[\w'\u2019&.-]*(?:[ \t]+{_UPPER}[\w'\u2019&.-]*){{0,2}})[ \t]+([a-z][a-z-]+)[ \t]+"
    rf"({_UPPER}[\w'\u2019-]+)"
)
_JOB_MODIFIERS = frozenset("freelance senior junior chief lead head retired veteran trainee former acting".split())
_ADJECTIVE_ENDING = re.compile(r"(?:ous|ful|ive|ic|al|ed|ing|able|ible|ary|less|ish|ian|ese|ern|est)$")
_EMPLOYER = re.compile(rf"{_NAME_WORD}(?:[ \t]+(?:&[ \t]+)?{_NAME_WORD}){{0,3}}")
_BEFORE_WORK_NOUN = re.compile(
    rf"(?<![\w-]){_UPPER}[\w'\u2019&.-]{{0,30}}(?:[ \t]+{_NAME_WORD}){{0,2}}(?=(?:['\u2019]s)?[ \t]+"
    r"(?:office|offices|headquarters|HQ|employees|CEO|CFO|founders?|board|shareholders|stock|shares)\b)"
)


# A signature block: a name line, a job line, then the employer's line ("Ana Lobo / Account manager / Northwind").
_SIGNATURE = re.compile(
    r"(?m)^[ \t]*[^\W\d_][\w'\u2019.-]*(?:[ \t]+[^\W\d_][\w'\u2019.-]*){1,3}[ \t]*\n"
    r"[ \t]*([^\W\d_][^\n\d@:]{2,60})\n[ \t]*([^\W\d_][^\n\d@:/]{1,60}?)[ \t]*$"
)


def organisations(text: str) -> Iterator[Candidate]:
    for found in _found(text):
        yield found._replace(end=_without_trailing_marks(text, found.start, found.end))


def _found(text: str) -> Iterator[Candidate]:
    for match in _legal_forms().finditer(text):
        start = _skip_common_lead(text, match.start(), match.end())
        if start is not None:
            # A legal form after a name makes it a firm's, however much the name looks like a person's.
            yield Candidate("ORGANIZATION", start, match.end(), 0.92)
    for match in _WITH_SUFFIX.finditer(text):
        start = _skip_common_lead(text, match.start(), match.end())
        if start is not None:
            yield Candidate("ORGANIZATION", start, match.end(), 0.75)
    for match in _OF_FORM.finditer(text):
        yield Candidate("ORGANIZATION", match.start(), match.end(), 0.75)
    yield from _partner_firms(text)
    for cue in _WORK_CUE.finditer(text):
        partners = _PARTNERS.match(text, cue.end())
        if partners is not None and _listed_surnames(partners):  # "she joined Barnett, Melton and Garcia"
            yield Candidate("ORGANIZATION", partners.start(), partners.end(), 0.7)
            continue
        employer = _EMPLOYER.match(text, cue.end())
        start = None if employer is None else _skip_common_lead(text, employer.start(), employer.end())
        if employer is not None and start is not None:
            yield Candidate("ORGANIZATION", start, _trim_common_tail(text, start, employer.end()), 0.6)
    yield from _signature_employers(text)
    yield from _employers_before_jobs(text)
    for match in _BEFORE_WORK_NOUN.finditer(text):
        start = _skip_common_lead(text, match.start(), match.end())
        if start is not None:
            yield Candidate("ORGANIZATION", start, match.end(), 0.55)


def _employers_before_jobs(text: str) -> Iterator[Candidate]:
    names = gazetteer()
    for match in _EMPLOYER_BEFORE_JOB.finditer(text):
        if match.group(2) not in occupations() or match.group(3).casefold() not in names.first_names:
            continue
        words = match.group(1).casefold().split()
        if any(w in names.first_names or w in names.places for w in words):
            continue  # "Maria nurse Anna" reads as names, "Lisbon nurse Ana" as a place
        if _ADJECTIVE_ENDING.search(words[-1]) or words[-1] in _JOB_MODIFIERS:
            continue  # "Famous songwriter John Smith", "Freelance writer ...": a modifier, not an employer
        start = _skip_common_lead(text, match.start(1), match.end(1))
        if start is not None:
            yield Candidate("ORGANIZATION", start, match.end(1), 0.55)


def _signature_employers(text: str) -> Iterator[Candidate]:
    # Only where the middle line is a job title (its last word an occupation, no sentence words) and the third
    # is short: then it names the employer, whatever its words ("Here", "Placeilivecom").
    for match in _SIGNATURE.finditer(text):
        if not job_line(match.group(1)):
            continue
        if len(match.group(2).split()) > 4 or match.group(2).islower() != match.group(1).islower():
            continue
        yield Candidate("ORGANIZATION", match.start(2), match.end(2), 0.6)


def _partner_firms(text: str) -> Iterator[Candidate]:
    for match in _PARTNERS.finditer(text):
        # Three surnames in running prose are three people ("our founders: Morrison, Rogers and Torres");
        # on a line of their own, as in a signature block, or where one firm is meant, they are a firm. Where
        # the context says so, surnames that are everyday words count too ("the Smith, Young and Ali team").
        if match.group(3):
            alone, one_firm = _alone_on_line(text, match.start(), match.end()), _one_firm(text, match)
            if not (alone or one_firm) or not (_listed_surnames(match) or (one_firm and _surnames(match))):
                continue
        elif not (_listed_surnames(match) or (match.group(6) and _ampersand_partners(match))):
            continue
        yield Candidate("ORGANIZATION", match.start(), match.end(), 0.7)


def _ampersand_partners(match: re.Match[str]) -> bool:
    # People are joined by "and", firms by an ampersand: one listed surname vouches for the other partner,
    # when neither is an everyday word, a place or a given name ("van Laar & Roukes", not "Sales & Marketing").
    names = gazetteer()
    words = [match.group(6).casefold(), match.group(7).casefold()]
    if any(word in names.common_words or word in names.places or word in names.first_names for word in words):
        return False  # "Anna & Peter" are two people
    capitalised = match.group(6)[0].isupper() and match.group(7)[0].isupper()
    return capitalised and any(word in names.last_names for word in words)


def _one_firm(text: str, match: re.Match[str]) -> bool:
    if _DEALS_WITH.search(text, max(0, match.start() - 40), match.start()) or _ACTS_AS_ONE.match(text, match.end()):
        return True
    following = re.match(r"[ \t]+([a-z]+)\b", text[match.end() :])
    return following is not None and following.group(1) in occupations()


def _surnames(match: re.Match[str]) -> bool:
    # Every part a listed surname, at least one of them no everyday word.
    names = gazetteer()
    words = [word.casefold() for word in match.groups() if word]
    return all(word in names.last_names for word in words) and any(word not in names.common_words for word in words)


def _listed_surnames(match: re.Match[str]) -> bool:
    # Every part must be a listed surname, and none an everyday word: "self-service" is no firm. Two given names
    # joined by a hyphen are one person's ("Anne-Marie"), not a firm's.
    names = gazetteer()
    words = [word.casefold() for word in match.groups() if word]
    if (match.group(1) or match.group(6)) and all(word in names.widespread_first_names for word in words):
        return False
    return all(word in names.last_names and word not in names.common_words for word in words)


# The abbreviations that keep their full stop at the end of a firm's name; the legal forms add theirs.
_dotted_endings = set("inc corp co ltd bros jr sr st".split())


def _without_trailing_marks(text: str, start: int, end: int) -> int:
    """Where a firm's name ends without the possessive, quotes and full stop written after it ("Acme's",
    "'Risk'", "Johnson & Johnson.") but with an abbreviation's dot ("Acme Inc.", "S.A.")."""
    while end > start:
        tail = text[start:end]
        if tail.endswith(("'s", "\u2019s")) and end - start > 2:
            end -= 2
        elif tail[-1] in "'\u2019\",;:":
            end -= 1
        elif tail[-1] == "." and not _abbreviation(tail[:-1]):
            end -= 1
        else:
            return end
    return end


def _abbreviation(name: str) -> bool:
    last = name.rsplit(None, 1)[-1] if name.split() else name
    _legal_forms()  # fills in the legal forms' abbreviations
    return "." in last or last.casefold() in _dotted_endings


def _alone_on_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return not text[line_start:start].strip() and not text[end : None if line_end == -1 else line_end].strip(" .,")


def _skip_common_lead(text: str, start: int, end: int) -> int | None:
    # A sentence-initial "The" or "Our" is not part of the name ("The Northwind office"); a run of nothing
    # but everyday words names no organisation. Other everyday words belong to it ("National Van Lines").
    common = gazetteer().common_words
    words = list(re.finditer(r"\S+", text[start:end]))
    if all(word.group().casefold() in common for word in words):
        return None
    first = next((word for word in words if word.group().casefold() not in _LEADING_WORDS), words[-1])
    return start + first.start()


def _trim_common_tail(text: str, start: int, end: int) -> int:
    # "I work for Uber Today": the employer ends at its last word that is not an everyday one.
    common = gazetteer().common_words
    words = list(re.finditer(r"\S+", text[start:end]))
    while len(words) > 1 and words[-1].group().casefold() in common:
        words.pop()
    return start + words[-1].end() if words else end


@cache
def _legal_forms() -> re.Pattern[str]:
    """A name followed by a legal form Faker writes in some locale ("S.A.R.L.", "Kkt.", "Sp. z o.o.")."""
    forms: set[str] = set()
    for module in pkgutil.iter_modules(faker_company.__path__):
        provider = importlib.import_module(f"{faker_company.__name__}.{module.name}").Provider
        for attr, value in vars(provider).items():
            if "suffix" in attr and isinstance(value, list | tuple | dict):
                forms.update(v for v in value if isinstance(v, str) and _latin(v))
    # A slash makes a short form unmistakable too ("A/S", "S/A").
    forms = {f for f in forms if len(f) > 3 or "." in f or "/" in f or not f.isupper() or f in _SHORT_LEGAL_FORMS}
    # "y Asociados" is also written "y asociados".
    forms |= {f.lower() for f in forms if " " in f and f.split()[0].islower()}
    _dotted_endings.update(f.rsplit(None, 1)[-1][:-1].casefold() for f in forms if f.endswith("."))
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    # A second form may follow the first: "y asociados S.A.", "AG & Co. OHG".
    # A legal form ends a name: "Appen GmbH and Siemens AG" are two firms.
    name_word = rf"(?!(?:{alternatives})(?![\w&]|\.\w)){_NAME_WORD}"
    # A Dutch or German firm named after a family keeps its particle: "van Bunschoten NV", "von Appen GmbH".
    return re.compile(
        rf"(?<![\w-])(?:(?:van|von|ter|ten)[ \t]+(?:(?:der|den|de)[ \t]+)?)?{name_word}(?:{_JOINER}{name_word}){{0,3}}"
        rf"[ \t]+(?:{alternatives})"
        rf"(?:[ \t]+(?:&[ \t]+)?(?:{alternatives}))*(?![\w&]|\.\w)"
    )


def _latin(form: str) -> bool:
    return bool(form.strip()) and all(char.isascii() or (char.isalpha() and ord(char) < 0x250) for char in form)
