"""Person names without a model: cue phrases, titles, and runs of capitalised words anchored on known names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cadre.guardrails._pii_gazetteer import Gazetteer, gazetteer
from cadre.guardrails._pii_places import places
from cadre.guardrails._pii_titles import job_line, occupations
from cadre.guardrails._pii_types import Candidate
from cadre.guardrails._pii_vocabulary import english_words

_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_PARTICLES = frozenset("de da das do dos del della dei di du van von der den het ter ten la le bin ibn al el y".split())
# Someone giving a name names a person whatever the case of what follows ("my name is john smith").
_NAME_GIVEN_CUE = re.compile(
    r"(?:\b(?:my|his|her|their|your|maiden) name is|\bmy name's|\bme llamo|\bmi nombre es|\bje m['\u2019]appelle|"
    r"\bmon nom est|\bich heiße|\bich heisse|\bmein name ist|\bmi chiamo|\bil mio nome è|\bmeu nome é|\bme chamo|"
    r"\bchamo-me)[ \t]+",
    re.IGNORECASE,
)
# Labels and sign-offs name a person when what follows is capitalised ("Name: Åsa Laine", "Regards,\nAna").
_LABEL_CUE = re.compile(
    r"(?:\bname\s?:|\bname\?|\bfull name\s?:|\bcustomer\s?:|\bnombre\s?:|\bnom\s?:|\bnome\s?:|\bsigned\s?:?|"
    r"\b(?:kind |best )?regards,|\bsincerely,|\bsaludos,|\bcordialement,|\bgrüße,|\bsaluti,|\batenciosamente,)"
    r"[ \t]*\n?[ \t]*",
    re.IGNORECASE,
)
# A title or a weaker cue introduces a name only if what follows is capitalised.
_TITLE_CUE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Sir|Madam|Sr|Sra|Srta|Dña|Doña|Don|Mme|Mlle|Herr|Frau|Sig|Sig\.ra|"
    r"Signor|Signora|Dott|Dott\.ssa)\.?[ \t]+",
    re.IGNORECASE,
)
_WEAK_CUE = re.compile(
    r"(?:\bI['\u2019]m|\bI am|\bthis is|\bdear|\bhi|\bhello|\bhey|\bthanks|\bthank you|\bspeak to|\btalk to|"
    r"\bspeak with|\bask for|\bcalls? me|\bnamed|\bsaid|\basked|\btold|\bheard|\bmet|\bmeet|\bwith|\bunder|"
    r"\bfor|\bfrom|\bcc|\bsoy|\bhola|\bestimad[oa]|\bje suis|\bbonjour|\bcher|\bchère|\bich bin|\bhallo|"
    r"\blieber?|\bsono|\bciao|\bcar[oa]|\bsou|\bolá|\boi|\bprezad[oa]),?[ \t]+",
    re.IGNORECASE,
)
# Surname endings shared by many families in one language (Slavic, Nordic, Iberian, Greek, Caucasian, Turkic):
# a capitalised word ending so reads as a surname even when no list has it.
_SURNAME_ENDING = re.compile(
    r"(?:ova|eva|ev|ov|ovich|evich|ovna|evna|ski|ska|sky|skaya|cki|cka|ić|vić|ović|enko|chuk|czyk|wicz|"
    r"sson|(?<=[nrldmtkf])sen|poulos|opoulou|idis|akis|escu|eanu|shvili|dze|oğlu|oglu|yan)$"
)
# Organisation and product words: a run that contains one names a company or an offering, not a person.
_ORGANISATION_WORDS = frozenset(
    "inc corp corporation co company ltd llc plc gmbh ag sa sas sarl srl spa bv nv group agency bank holdings "
    "partners labs systems solutions services technologies software cloud plan pro premium enterprise starter "
    "edition team support foundation university institute college school hospital clinic hotel airlines "
    "insurance associates consulting studio studios street avenue road boulevard bridge square plaza highway".split()
)
_NAME_LIST = re.compile(
    r"(?<![\w'\u2019-])(?:[^\W\d_][\w'\u2019-]*,[ \t]){1,5}[^\W\d_][\w'\u2019-]*,?[ \t](?:and|&|y|et|und|e)[ \t]"
    r"[^\W\d_][\w'\u2019-]*(?![\w-])"
)
# Verbs whose subject is a person: an unlisted capitalised word before one is a name ("Trivo lives on ...").
_PERSON_VERB = re.compile(
    r"[ \t]+(?:lives|lived|said|says|told|asked|wrote|replied|answered|smiled|laughed|was[ \t]+born|"
    r"vive|dijo|habite|a[ \t]+dit|wohnt|sagte|abita|disse|mora)\b"
)
_APPOSITION = re.compile(
    r",[ \t]+(?:the|our|a|an|their|his|her)[ \t]+((?:[^\W\d_][\w-]*[ \t]){0,4}[^\W\d_][\w-]*)[ \t]*[,.]"
)
# A surname, a comma, then a given name and perhaps an initial: a roster or a CRM export ("Larsen, Jeppe").
_INVERTED = re.compile(
    r"(?<![\w'\u2019,-])([^\W\d_][\w'\u2019-]+),[ \t]([^\W\d_][\w'\u2019-]+)(?:[ \t][^\W\d_]\.)?(?![\w'\u2019-])"
)
# What follows the second word of a list of names ("Barnett, Melton and Garcia", "Rudi, Jackson, ...").
_LIST_GOES_ON = re.compile(r"[ \t]*(?:,[ \t]*[^\W\d_]|(?:and|&|y|et|und|e)[ \t])")
# A line of two or three capitalised words (particles and initials aside) above a line that names a job: a
# signature or a résumé's head.
_NAME_LINE = re.compile(
    r"(?m)^[ \t]*([^\W\d_][\w'\u2019-]+(?:[ \t][^\W\d_](?:[\w'\u2019-]+|\.)?){1,4})[ \t]*\n"
    r"(?:[ \t]*\n)?[ \t]*([^\n]{3,80})$"
)
# Words one or two spaces apart on a line: where a name in capitals is looked for.
_WORD_RUN = re.compile(r"(?<![\w'\u2019-])[^\W\d_][\w'\u2019-]*(?:[ \t]{1,2}[^\W\d_][\w'\u2019-]*)*")
# Dotted letters with a piece of two or more ("B.Eng.", "M.Sc.", "Ph.D."): a degree or an abbreviation;
# "J.R.R." (one letter each) stays as initials.
_DOTTED_ABBREVIATION = re.compile(
    r"^[(\[]?(?=[^\s]*[^\W\d_]{2}\.?[^\s]*$)[^\W\d_]{1,4}(?:\.[^\W\d_]{1,4})+\.?[)\],;:]*$"
)
_VOCATIVE_END = re.compile(r",[ \t]+([^\W\d_][\w'\u2019-]{1,30})[ \t]*[!?]")
_SPEAKER = re.compile(r"(?m)^[ \t]*([^\W\d_](?:[^\W\d_]|['\u2019-]){2,30}):[ \t]+\S")
_LABEL_VALUE = re.compile(r"[ \t]*:[ \t]*[-+]?(?:[$€£¥]|\d+[.,]\d)")
_MENU_ARROW = re.compile(r"[ \t]*(?:→|->|>|\u203a)")
_HONORIFICS = ("さん", "様", "さま", "氏", "君", "くん", "ちゃん", "先生", "殿")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str  # case-folded, possessive 's removed

    @property
    def initial(self) -> bool:
        return len(self.word) == 1


def person_names(text: str, *, language: str | None = None, capitals_are_evidence: bool = True) -> Iterator[Candidate]:
    names = gazetteer()
    tokens = _tokens(text)
    yield from _after_cues(text, tokens, names, cased=capitals_are_evidence)
    # German capitalises every noun, so there a lone capitalised word is no evidence of a name ("Tage", "Link").
    yield from _anchored_runs(
        text, tokens, names, lone_words=language != "de" and capitals_are_evidence, cased=capitals_are_evidence
    )
    yield from _name_lists(text, names)
    yield from _inverted(text, names)
    yield from _above_a_job(text, names)
    if capitals_are_evidence:
        yield from _capitals(text, names)
    yield from _addressed(text, names, speakers=capitals_are_evidence)
    yield from _japanese_names(text)


def _tokens(text: str) -> list[_Token]:
    found = []
    for chunk in re.finditer(r"\S+", text):
        # Words glued into a URL or an email address ("CelebrityForeclosures.cz") are not names on their own.
        if "@" in chunk.group() or "://" in chunk.group() or "www." in chunk.group():
            continue
        if _DOTTED_ABBREVIATION.match(chunk.group()):
            continue  # "Paul Weber B.Eng.": a degree's letters are no initial of the name
        for match in _TOKEN.finditer(text, chunk.start(), chunk.end()):
            start, end = match.span()
            if text[end - 2 : end] in ("'s", "\u2019s") and end - start > 3:
                end -= 2
            if end - start == 1 and text[end : end + 1] == ".":
                end += 1  # an initial keeps its full stop: "Chise T. Horiguchi"
            found.append(_Token(start, end, text[start:end].rstrip(".").casefold()))
    return found


def _capitalised(text: str, token: _Token) -> bool:
    first = text[token.start]
    # ALL-CAPS words are acronyms and headings far more often than names.
    return first.isupper() and (token.end - token.start <= 2 or not text[token.start : token.end].isupper())


def _joined(text: str, left: _Token, right: _Token) -> bool:
    gap = text[left.end : right.start]
    if not gap:
        # Initials written without a space ("J.R. Smith") are still one name's letters.
        return left.initial and right.initial and text[left.end - 1] == "."
    return len(gap) <= 2 and gap.isspace() and "\n" not in gap


def _after_cues(text: str, tokens: list[_Token], names: Gazetteer, *, cased: bool) -> Iterator[Candidate]:
    starts = {token.start: index for index, token in enumerate(tokens)}
    cues = ((_NAME_GIVEN_CUE, True, 0.9), (_LABEL_CUE, False, 0.9), (_TITLE_CUE, False, 0.9), (_WEAK_CUE, False, 0.7))
    for pattern, strong, score in cues:
        for cue in pattern.finditer(text):
            index = starts.get(cue.end())
            if index is None:
                continue
            title = _TITLE_CUE.match(text, cue.end())
            if pattern is not _TITLE_CUE and title is not None and "." in title.group():
                continue  # "Regards,\nSra. Eloah": the title's own cue finds the name after it
            taken: list[_Token] = []
            for token in tokens[index : index + 4]:
                if taken and not _joined(text, taken[-1], token):
                    break
                known = token.word in names.first_names or token.word in names.last_names
                # A capital can make an everyday word a name ("Rose", "Lot") only where the writer uses capitals:
                # in "thanks a lot joana" every capital is Cadre's own reading.
                proven = known and cased and _capitalised(text, token)
                # A particle ("van", "da") may be an everyday word; one left at the end is dropped below.
                if (
                    token.word in names.common_words
                    and not token.initial
                    and not proven
                    and token.word not in _PARTICLES
                ):
                    break
                if not strong and not _capitalised(text, token) and token.word not in _PARTICLES:
                    break
                taken.append(token)
            while taken and taken[-1].word in _PARTICLES:
                taken.pop()
            if not taken:
                continue
            if pattern is _WEAK_CUE and not _weak_cue_holds(taken, names):
                continue
            yield Candidate("PERSON", taken[0].start, taken[-1].end, score)


def _addressed(text: str, names: Gazetteer, *, speakers: bool) -> Iterator[Candidate]:
    # "Don't go to town, Mark!", "Remember me, Mary?": a given name set off at a sentence's end is someone
    # spoken to, even when it is also an everyday word.
    for match in _VOCATIVE_END.finditer(text):
        if match.group(1).casefold() in names.first_names:
            yield Candidate("PERSON", match.start(1), match.end(1), 0.6)
    # A chat transcript: two or more lines open with a speaker's capitalised one-word name and a colon (in
    # text without capitals, "category: ..." lines are fields, not speakers).
    found = [
        m
        for m in _SPEAKER.finditer(text)
        if m.group(1)[0].isupper() and m.group(1).casefold() not in names.common_words
    ]
    if speakers and len(found) >= 2:
        for match in found:
            yield Candidate("PERSON", match.start(1), match.end(1), 0.5)


def _name_lists(text: str, names: Gazetteer) -> Iterator[Candidate]:
    # "our 3 founders: Kónya, Becker and Vasquez": capitalised words listed together, most of them known
    # names and none a place or an everyday word (but a surname), are people, the unknown ones included.
    for match in _NAME_LIST.finditer(text):
        words = list(re.finditer(r"[^\W\d_][\w'\u2019-]*", match.group()))
        words = [w for w in words if w.group().casefold() not in ("and", "y", "et", "und", "e")]
        folded = [w.group().casefold() for w in words]
        # An everyday word that is also a surname ("White", "Young") counts as one of the people beside a name
        # that is not an everyday word.
        known = [word in names.first_names or word in names.last_names for word in folded]
        plainly_known = [k and word not in names.common_words for k, word in zip(known, folded, strict=True)]
        if (
            sum(known) < 2
            or not any(plainly_known)
            or not all(w.group()[0].isupper() for w in words)
            or any(
                (word in names.common_words and word not in names.last_names) or word in names.places for word in folded
            )
        ):
            continue
        for word in words:
            yield Candidate("PERSON", match.start() + word.start(), match.start() + word.end(), 0.55)


def _inverted(text: str, names: Gazetteer) -> Iterator[Candidate]:
    # Only a word that is a surname and no widespread given name, then one that is a given name and no surname
    # (or a given name in several locales), outside a list: "Thanks, Anna", "Martin, Jeffrey" (two given names)
    # and "Melton, Garcia and Ruiz" stay as they are.
    for match in _INVERTED.finditer(text):
        surname, given = match.group(1), match.group(2)
        folded, given_folded = surname.casefold(), given.casefold()
        if not (surname[0].isupper() and given[0].isupper()) or surname.isupper() or given.isupper():
            continue
        listed = folded in names.last_names and folded not in names.common_words
        # In a field ("Reviewer: Martin, Jeffrey", "Customer name: Cooper, Natasha") the pair is one person even
        # when the surname is also a given name or an everyday word; a place stays a place.
        field = _FIELD_BEFORE.search(text, max(0, match.start() - 40), match.start()) is not None
        # A field whose value is the pair and nothing more ("Customer name: Wojnicz, Rafał").
        whole_field = field and _FIELD_ENDS.match(text, match.end()) is not None
        in_field = (
            field
            and folded not in names.places
            and places().phrases.get((folded,)) not in ("world_region", "country", "world_city")
            and (folded in names.last_names or folded in names.first_names)
        )
        if not (
            listed
            or in_field
            or _SURNAME_ENDING.search(folded)
            or _unlisted_surname(text, match, names, whole_field=whole_field)
        ):
            continue
        if folded in names.widespread_first_names and not in_field:
            continue
        if re.search(r"[^\W\d_][ \t]+$", text[max(0, match.start() - 2) : match.start()]):
            continue  # "cc: Carmelo Benigni, Ugolino Baroffio": the surname ends one name, the given name opens another
        # In a field, a listed surname vouches for a given name that is also an everyday word ("Carlsen, Ella").
        everyday_given = given_folded in names.common_words and not (
            in_field and folded in names.last_names and folded not in names.common_words
        )
        if given_folded not in names.first_names or everyday_given:
            continue
        if given_folded in names.last_names and given_folded not in names.widespread_first_names and not whole_field:
            continue
        if _LIST_GOES_ON.match(text, match.end()) or re.search(
            r",[ \t]*$", text[max(0, match.start() - 3) : match.start()]
        ):
            continue
        # Above the one word a label cue reads as the name ("Customer name: Haug").
        yield Candidate("PERSON", match.start(), _second_given_name_end(text, match, names), 0.92)


_FIELD_BEFORE = re.compile(r":[ \t]*$")
_FIELD_ENDS = re.compile(r"[ \t]*(?:$|\n)")
_SECOND_GIVEN_NAME = re.compile(r"[ \t]([^\W\d_][\w'\u2019-]+)(?=[ \t]*(?:$|\n|[,.;)]))")


def _second_given_name_end(text: str, match: re.Match[str], names: Gazetteer) -> int:
    # "Souza, Luiz Fernando": a second given name that ends the field or the clause is the same person's.
    second = _SECOND_GIVEN_NAME.match(text, match.end())
    if second is None or match.group(0).endswith("."):
        return match.end()
    word = second.group(1)
    if not word[0].isupper() or word.casefold() not in names.first_names or word.casefold() in names.chat_words:
        return match.end()
    return second.end()


def _unlisted_surname(text: str, match: re.Match[str], names: Gazetteer, *, whole_field: bool) -> bool:
    # In a field ("Reviewer: Grzenia, Dominik") or alone on a line, an unlisted word before a given name common
    # to several locales is a surname, unless it is an everyday word, a place or itself a given name. A field
    # whose value is the pair and nothing more vouches for any given name ("Customer name: Wojnicz, Rafał").
    surname, given = match.group(1).casefold(), match.group(2).casefold()
    if surname in names.first_names or surname in names.common_words or surname in names.places:
        return False
    before = text[max(0, match.start() - 40) : match.start()]
    if given not in names.widespread_first_names and not (whole_field and given in names.first_names):
        return False
    return re.search(r"(?:^|\n|:)[ \t]*$", before) is not None


def _above_a_job(text: str, names: Gazetteer) -> Iterator[Candidate]:
    # The name's words need no list ("Einojuhani Pyysalo"); the job line below vouches for them. Everyday,
    # organisation and place words on the line make it a heading or a firm instead.
    for match in _NAME_LINE.finditer(text):
        every_word = match.group(1).split()
        # Particles and initials may join the words ("Maika van de Noort", "Anna K. Berg"), but neither open nor
        # close the name.
        words = [w for w in every_word if w.casefold() not in _PARTICLES and len(w.rstrip(".")) > 1]
        if not 2 <= len(words) <= 3 or every_word[0] != words[0] or every_word[-1] != words[-1]:
            continue
        if not job_line(match.group(2)):
            continue  # "Getting Started / Admin guide for the data engineer" is a heading and its blurb
        if not all(w[0].isupper() and not w.isupper() for w in words):
            continue
        folded = [w.casefold() for w in words]
        if any(w in _ORGANISATION_WORDS or w in names.places for w in folded):
            continue
        if any(w in names.common_words and w not in names.first_names and w not in names.last_names for w in folded):
            continue
        yield Candidate("PERSON", match.start(1), match.end(1), 0.7)


def _capitals(text: str, names: Gazetteer) -> Iterator[Candidate]:
    # A given name and a surname in capitals are a name, the longest such start of a run ("ADAM TRZOS SEAT 14C");
    # a heading or an acronym run ("API KEY") holds no known given name followed by a known surname.
    for run in _WORD_RUN.finditer(text):
        words = list(re.finditer(r"\S+", run.group()))
        for index, word in enumerate(words):
            head = word.group()
            if not (head.isupper() and len(head) > 1) or head.casefold() not in names.first_names:
                continue
            if head.casefold() in names.common_words:
                continue
            for last in reversed(words[index + 1 : index + 3]):
                tail = last.group()
                if not all(w.group().isupper() for w in words[index + 1 : words.index(last) + 1]):
                    continue
                folded = tail.casefold()
                if _capitals_surname(head.casefold(), folded, names, next_word=last is words[index + 1]):
                    yield Candidate("PERSON", run.start() + word.start(), run.start() + last.end(), 0.75)
                    break


def _capitals_surname(given: str, word: str, names: Gazetteer, *, next_word: bool) -> bool:
    # Right after a given name common to several locales, an unlisted word ("ADAM TRZOS") or a surname that is
    # also an everyday word ("ADRIAN FLORES") is the surname; otherwise only a listed surname is.
    if (word in names.last_names and word not in names.common_words) or _SURNAME_ENDING.search(word):
        return True
    if not next_word or given not in names.widespread_first_names or word in names.places or len(word) < 3:
        return False
    return word in names.last_names or word not in names.common_words


def _weak_cue_holds(taken: list[_Token], names: Gazetteer) -> bool:
    # "thanks Halyard Support" and "from Spain" are not people: after a weak cue, one word must be a known
    # name, none may be an organisation word, and a lone word must not be a listed place ("from Lyon")
    # unless it is a given name in several locales.
    words = [t.word for t in taken if not t.initial]
    if any(word in _ORGANISATION_WORDS for word in words):
        return False
    if len(words) == 1:
        if words[0] in names.places or (
            (words[0],) in places().phrases and words[0] not in names.widespread_first_names
        ):
            return False
        # One word after "with" or "for" is as often a product ("with Okta") as a person: it must be a given
        # name in several locales, or a surname.
        return words[0] in names.widespread_first_names or words[0] in names.last_names
    return any(word in names.first_names or word in names.last_names for word in words)


def _anchored_runs(
    text: str, tokens: list[_Token], names: Gazetteer, *, lone_words: bool, cased: bool
) -> Iterator[Candidate]:
    run: list[_Token] = []
    for token in [*tokens, None]:
        if token is not None and _capitalised(text, token) and (not run or _joined(text, run[-1], token)):
            run.append(token)
            continue
        if token is not None and run and token.word in _PARTICLES and _joined(text, run[-1], token):
            run.append(token)  # "Ana de Souza": kept only if a capitalised word follows
            continue
        yield from _runs_names(text, run, names, lone_words=lone_words, cased=cased)
        run = [token] if token is not None and _capitalised(text, token) else []


def _runs_names(
    text: str, run: list[_Token], names: Gazetteer, *, lone_words: bool, cased: bool
) -> Iterator[Candidate]:
    # A common word ("The", "Please", "Cloud") splits the run; each piece stands or falls on its own.
    piece: list[_Token] = []
    for index, token in enumerate([*run, None]):
        breaks = token is None or (
            not token.initial
            and token.word not in _PARTICLES
            and token.word in names.common_words
            and token.word not in names.last_names
            and not (piece and token.word in names.first_names)
            and not _opens_full_name(token, _next_name_words(run[index + 1 : index + 5]), names)
        )
        if not breaks and token is not None:
            piece.append(token)
            continue
        while piece and (piece[-1].word in _PARTICLES or piece[0].word in _PARTICLES):
            piece.pop(0 if piece[0].word in _PARTICLES else -1)
        if _unknown_lead(piece, names):
            piece.pop(0)  # "Yesterday John Salazar", "Passenger Anna Berg": the name starts at the given name
        candidate = _piece_score(text, piece, names, strict=not lone_words, cased=cased)
        if candidate is not None:
            yield Candidate("PERSON", piece[0].start, piece[-1].end, candidate)
        piece = []


def _unknown_lead(piece: list[_Token], names: Gazetteer) -> bool:
    # A capitalised word no list knows, before a given name that a surname follows, opens a sentence or names a
    # role; it is not the name's first word.
    if len(piece) < 3 or piece[0].initial or piece[1].initial:
        return False
    head, given = piece[0].word, piece[1].word
    if head in names.first_names or head in names.last_names or head in _PARTICLES:
        return False
    tail = piece[-1].word
    surname = tail in names.last_names or bool(_SURNAME_ENDING.search(tail))
    return given in names.first_names and given not in names.common_words and surname


def _next_name_words(following: list[_Token]) -> list[_Token]:
    # Initials and particles sit between a given name and the surname it opens ("Luis da Silva").
    return [t for t in following if not t.initial and t.word not in _PARTICLES][:2]


def _opens_full_name(token: _Token, following: list[_Token], names: Gazetteer) -> bool:
    # A given name that is another language's everyday word ("Claire", "Stella", "Mira") still opens a name
    # when a surname or a second given name that is no everyday word follows it ("Claire Cooper", "María
    # Fernanda Alfaro").
    if token.word not in names.first_names or not following:
        return False
    tail = following[0].word
    if token.word in names.widespread_first_names and tail not in names.common_words:
        return tail in names.last_names or tail in names.first_names or bool(_SURNAME_ENDING.search(tail))
    # Two given names and a surname that is no everyday word ("José Pedro Marques", "Luis Miguel Galán"): the
    # given names may both be everyday words somewhere, but not a chat's opening word ("Mark", "Will").
    if len(following) < 2 or token.word in names.chat_words or tail not in names.first_names:
        return False
    surname = following[1].word
    return (surname in names.last_names and surname not in names.common_words) or bool(_SURNAME_ENDING.search(surname))


def _piece_score(text: str, piece: list[_Token], names: Gazetteer, *, strict: bool, cased: bool) -> float | None:
    words = [t for t in piece if not t.initial and t.word not in _PARTICLES]
    # Particles do not count towards the length: "Louis Arnaud de la Royer" is one name.
    if not words or len(words) > 4 or any(w.word in _ORGANISATION_WORDS for w in words):
        return None
    head, tail = words[0].word, words[-1].word
    surname_tail = (tail in names.last_names and tail not in names.common_words) or bool(_SURNAME_ENDING.search(tail))
    if strict:
        # Where capitals prove nothing, only a known given name followed by a surname counts; in text typed
        # without capitals, not one that is also an everyday word ("than early lindqvist").
        everyday = not cased and head in names.common_words
        return 0.8 if len(words) >= 2 and head in names.first_names and surname_tail and not everyday else None
    if len(words) >= 2:
        # A given name before an everyday word that nobody bears as a surname is no full name ("Francisco  CA" of
        # a flattened e-mail footer, "Madison Square"); the tagger may still read the given name alone.
        everyday_tail = tail in english_words() and tail not in names.last_names
        if head in names.first_names and not everyday_tail:
            return 0.8
        if _followed_by_job(text, piece[-1].end):
            return 0.6
        if surname_tail:
            return 0.65
        if head in names.last_names and head not in names.common_words:
            return 0.55
        return None
    if head in names.places or head in names.common_words:
        return None
    # A capital at a sentence's start proves nothing ("Nella sezione...", "Nova versão..."): there a lone word
    # must be a given name in several locales, or be set off like a vocative or a speaker ("Virpi, can I...").
    arrow_before = _MENU_ARROW.search(text, max(0, piece[0].start - 3), piece[0].start)
    if arrow_before or _MENU_ARROW.match(text, piece[-1].end):
        return None  # "Relay → Admin → Canali": a step in a menu path, not a person
    if _LABEL_VALUE.match(text, piece[-1].end):
        return None  # a colon before an amount ends a receipt's label ("Fee: $5.85"), not a speaker's name
    starts_sentence = _sentence_start(text, piece[0].start)
    # Set off like a vocative or a speaker ("Virpi, can I..."); mid-sentence a comma only ends a list item.
    vocative = starts_sentence and re.match(r"[ \t]*[,!?:]", text[piece[-1].end :]) is not None
    acts = _PERSON_VERB.match(text, piece[-1].end) is not None
    if starts_sentence and not (vocative or acts or head in names.widespread_first_names):
        return None
    if head in names.widespread_first_names or (head in names.first_names and (vocative or acts)):
        return 0.6
    if head in names.last_names or _SURNAME_ENDING.search(head) or acts:
        return 0.45
    return None


def _followed_by_job(text: str, end: int) -> bool:
    # "Hijacinta Godina, the Technical writer, said": a name set beside the job its bearer holds.
    apposition = _APPOSITION.match(text, end)
    if apposition is None:
        return False
    words = re.findall(r"[^\W\d_]+", apposition.group(1))
    return bool(words) and words[-1].casefold() in occupations()


def _sentence_start(text: str, start: int) -> bool:
    # Markdown bullets, headings, numbered steps, emphasis and table cells start a sentence too.
    window = text[max(0, start - 200) : start]
    before = re.sub(r"(?:^|\n)[ \t]*(?:[-*+#>|]+|\d+[.)])?[ \t]*$", "\n", window).rstrip(" \t\"'“(|*_`")
    return not before or before[-1] in ".!?\n"


def _is_kanji(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _japanese_names(text: str) -> Iterator[Candidate]:
    """A known surname (not inside a longer kanji word), optionally a known given name, then an honorific
    or, for a full name, the end of the kanji run. Dictionary lookups, not one huge alternation: linear."""
    if not any("\u3040" <= char <= "\u9fff" for char in text):
        return
    names = gazetteer()
    position = 0
    while position < len(text):
        end = None
        if not (position and _is_kanji(text[position - 1])):
            end = _japanese_name_end(text, position, names)
        if end is None:
            position += 1
            continue
        yield Candidate("PERSON", position, end, 0.8)
        position = end


def _japanese_name_end(text: str, start: int, names: Gazetteer) -> int | None:
    for surname_length in (3, 2, 1):
        after = start + surname_length
        if text[start:after] not in names.ja_last_names:
            continue
        given_start = after + 1 if text[after : after + 1] in (" ", "\u3000") else after
        for given_length in (3, 2, 1):
            given_end = given_start + given_length
            following = text[given_end : given_end + 1]
            if text[given_start:given_end] in names.ja_first_names and (
                text.startswith(_HONORIFICS, given_end) or not (following and _is_kanji(following))
            ):
                return given_end
        if text.startswith(_HONORIFICS, after):
            return after
    return None
