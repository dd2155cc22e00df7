"""Titles: an honorific before a name ("Dr.", "Mrs"), or a job title where a text introduces one.

Job titles end in an occupation noun (Faker's job list gives most; the rest are written here) and are read
only where a title stands: after "a", a possessive or "as a", set off by commas after a name ("Marie, the
packager, said"), or alone on a line of a signature block.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from functools import cache

import faker.providers.job as faker_job
import faker.providers.person as faker_person

from cadre.guardrails._pii_gazetteer import gazetteer
from cadre.guardrails._pii_types import Candidate

_HONORIFIC = re.compile(
    r"(?<![\w.])(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Sir|Dame|Madam|Mme|Mlle|Herr|Frau|Sr|Sra|Srta|Dott|Dott\.ssa)\.?"
    r"(?=[ \t]+[A-ZÀ-ÖØ-ÞĀ-ɏ])"
)
_BEFORE_NAME = r"(?=[ \t]+[A-ZÀ-ÖØ-ÞĀ-ɏ])"
# After a name, what belongs to it: a generation or a degree, as Faker writes them ("Jr.", "III", "Ph.D.",
# "B.Eng.", "MBA."); dotted degrees of any field share one shape (capital, up to three letters, a dot).
_NAME_SUFFIX = re.compile(
    r"[ \t]+(?:Jr\.|Sr\.|Jr(?![\w.])|II|III|IV|PhD|MD|DDS|DVM|MBA\.?|BSc|MSc|BEng|MEng|BEd|MEd|LLB|LLM|BA|MA|"
    r"Bakk\.|DSc\.|CSc\.|DiS\.|Esq\.|[A-Z][a-z]{0,3}\.(?:-?[A-Z][a-z]{0,3}\.)+)(?![\w.]|\.\w)"
)
_MORE_OCCUPATIONS = """
clerk attendant installer cleaner driver controller distributor specialist technician writer manager director
packager soldier accountant librarian assistant nurse engineer teacher doctor lawyer officer operator mechanic
electrician plumber carpenter cashier waiter waitress chef cook baker butcher pilot farmer secretary receptionist
analyst developer programmer designer architect scientist researcher professor lecturer supervisor coordinator
inspector investigator agent broker salesperson representative advisor adviser counselor therapist pharmacist
dentist surgeon physician paramedic firefighter sheriff guard janitor custodian housekeeper nanny tutor editor
journalist reporter photographer artist musician singer actor actress dancer painter sculptor author poet
translator interpreter auditor bookkeeper banker economist statistician mathematician physicist chemist biologist
technologist tester repairer worker laborer labourer machinist welder assembler fabricator sorter loader courier
dispatcher planner estimator appraiser assessor examiner underwriter teller steward stewardess bartender barista
caretaker gardener landscaper groundskeeper president chairman chairwoman chairperson consultant administrator
cinematographer songwriter producer executive strategist recruiter paralegal veterinarian optometrist
"""
_OCCUPATION_ENDING = re.compile(r"(?:ologist|ographer|ician|iatrist|ographist)$")
_NOT_OCCUPATIONS = frozenset("boy copy crew land make person staff sub emeritus visitor runner streamer".split())
_JOB_WORD = r"[^\W\d_][\w'\u2019-]*"
# Up to four modifiers before the occupation noun: "Local transit bus driver", "Court, municipal, and license".
_JOB_PHRASE = re.compile(rf"{_JOB_WORD}(?:,?[ \t]+{_JOB_WORD}){{0,5}}")
# Words that say when someone holds a job, not which job: "our new engineering geologist".
_TENURE_WORDS = frozenset("new former current previous".split())
# Words that praise or describe the person who holds a job, not the job ("a seasoned journalist", "a helpful
# and knowledgeable librarian"); none of them is a word of Faker's job titles.
_DESCRIBING_WORDS = frozenset(
    """seasoned esteemed experienced renowned famous famed respected dedicated brilliant talented compassionate
    wise acclaimed distinguished knowledgeable meticulous helpful responsible ambitious innovative mature veteran
    young old fellow passionate skilled qualified friendly trusted caring kind diligent curious eager enthusiastic
    aspiring retired busy great good excellent wonderful amazing lovely nice best""".split()
)
_BEFORE_JOB = "|".join(sorted(_TENURE_WORDS | _DESCRIBING_WORDS))
# "The" alone is no cue: "have the manager call me" names a role, not anyone's title; set off by commas after
# a name it is one ("Marie Curie, the physicist, said").
_ARTICLE_CUE = re.compile(
    r"(?:\b(?:a|an|as|our|my|his|her|their|your|works as|worked as|working as|job as|position as)[ \t]+"
    rf"(?:(?:{_BEFORE_JOB})(?:,|[ \t]+and)?[ \t]+)*)$",
    re.IGNORECASE,
)
# Occupation words that are also adjectives: before a lower-case word that is no small word they describe it
# ("a professional tone", "an executive summary", "expert advice"); "a professional with ten years" is a job.
_ALSO_ADJECTIVES = frozenset("professional expert specialist executive".split())
_WORD_AFTER = re.compile(r" ([a-z][\w'\u2019-]*)")
_APPOSITION_CUE = re.compile(r",[ \t]+the[ \t]+$", re.IGNORECASE)
_FUNCTION_WORDS = frozenset(
    "a an the and or but of to in on at for with by from as is was are were be been my his her their our your its "
    "this that these those who which what when where why how i you he she we they it not no very just also then "
    "than so if".split()
)


# Words a job title does not hold but a heading's blurb or a sentence does.
_NOT_IN_A_JOB = frozenset(
    "the a an for to what how why is are was with your our you this that in on from by it".split()
)


def job_line(line: str) -> bool:
    """Whether a line of a signature or a résumé names a job: at most five words, the last an occupation, and
    none of a sentence's small words ("Local transit bus driver", not "Admin guide for the data engineer")."""
    words = re.findall(r"[^\W\d_]+", line.casefold())
    return 0 < len(words) <= 5 and _is_occupation(words[-1], occupations()) and not _NOT_IN_A_JOB.intersection(words)


@cache
def occupations() -> frozenset[str]:
    heads = {job.split(",")[0].split()[-1].casefold() for job in faker_job.Provider.jobs}
    heads |= set(_MORE_OCCUPATIONS.split())
    return frozenset(head for head in heads if head.isalpha() and head not in _NOT_OCCUPATIONS)


@cache
def _abbreviated_honorifics() -> re.Pattern[str]:
    """Faker's abbreviated honorifics in every locale ("Ing.", "Mtro.", "RNDr.", "Prof. Dr."), initials aside."""
    found: set[str] = set()
    for module in pkgutil.iter_modules(faker_person.__path__):
        provider = importlib.import_module(f"{faker_person.__name__}.{module.name}").Provider
        for attr, value in vars(provider).items():
            if attr.startswith("prefixes") and isinstance(value, list | tuple | dict):
                found.update(p for p in value if isinstance(p, str) and p.endswith(".") and len(p) > 2)
    words = "|".join(re.escape(p) for p in sorted(found, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{words}){_BEFORE_NAME}")


def name_suffix_end(text: str, start: int, end: int) -> int:
    """Where the name `text[start:end]` ends once a generation or a degree written after it is counted, also
    when the name already holds part of one ("Salas Jr" of "Salas Jr.")."""
    last_gap = max(text.rfind(" ", start, end), text.rfind("\t", start, end))
    for at in (end, last_gap):
        suffix = _NAME_SUFFIX.match(text, at) if at > start else None
        if suffix is not None and suffix.end() >= end:
            return suffix.end()
    return end


def titles(text: str) -> Iterator[Candidate]:
    for match in _HONORIFIC.finditer(text):
        yield Candidate("TITLE", match.start(), match.end(), 0.6)
    for match in _abbreviated_honorifics().finditer(text):
        yield Candidate("TITLE", match.start(), match.end(), 0.6)
    for line in re.finditer(r"[^\n]+", text):
        yield from _job_titles(text, line.start(), line.end())


def _job_titles(text: str, line_start: int, line_end: int) -> Iterator[Candidate]:
    words = list(re.finditer(_JOB_WORD, text[line_start:line_end]))
    heads = occupations()
    for index, word in enumerate(words):
        if not _is_occupation(word.group().casefold(), heads) or _describes_next(text, word, line_start):
            continue
        # Extend left over modifiers: any word but a function word, joined by spaces or a comma ("Court,
        # municipal, and license clerk" keeps its "and").
        first = index
        while first > 0 and index - first < 5:
            previous = words[first - 1]
            gap = text[line_start + previous.end() : line_start + words[first].start()]
            folded = previous.group().casefold()
            if (
                gap not in (" ", ", ")
                or (folded in _FUNCTION_WORDS and folded != "and")
                or folded in _TENURE_WORDS
                or folded in _DESCRIBING_WORDS
            ):
                break
            first -= 1
        while first < index and words[first].group().casefold() == "and":
            first += 1
        start, end = line_start + words[first].start(), line_start + word.end()
        if _stands_as_title(text, start, end, line_start, line_end):
            yield Candidate("TITLE", start, end, 0.5)


def _describes_next(text: str, word: re.Match[str], line_start: int) -> bool:
    if word.group().casefold() not in _ALSO_ADJECTIVES:
        return False
    after = _WORD_AFTER.match(text, line_start + word.end())
    return after is not None and after.group(1) not in _FUNCTION_WORDS


def _is_occupation(word: str, heads: frozenset[str]) -> bool:
    return word in heads or bool(_OCCUPATION_ENDING.search(word))


def _stands_as_title(text: str, start: int, end: int, line_start: int, line_end: int) -> bool:
    if not text[line_start:start].strip() and not text[end:line_end].strip(" .,"):
        return True  # a line of its own, as in a signature block
    before = text[max(line_start, start - 30) : start]
    if _ARTICLE_CUE.search(before):
        return True
    if _APPOSITION_CUE.search(before) and text[end : end + 1] in (",", "."):
        return True
    # "Marie Langrová, Packager, said" or "Zoe Young, songwriter": a name, a comma, then the title.
    return before.endswith(", ") and _capitalised_word_before(before[:-2]) and text[end : end + 1] in (",", ".", "")


def _capitalised_word_before(text: str) -> bool:
    last = re.search(r"([^\W\d_][\w'\u2019-]*)$", text)
    return last is not None and last.group(1)[0].isupper() and last.group(1).casefold() not in gazetteer().chat_words
