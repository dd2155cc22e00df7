"""Synthetic cases from a knowledge collection: questions its articles answer, in their languages, and ones they don't.

Offline, questions are made from the articles' own structure (titles and section headings) with templates, so a
generated suite is reproducible for a seed and needs no model. With a chat model, the model writes each question
from one passage, with the facts its answer must contain; a fact the passage does not state drops the case.
"""
# ruff: noqa: RUF001
# (the questions use each language's own typographic quotes and apostrophes)

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from cadre.agents.phrases import language_name
from cadre.engines.messages import ChatMessage
from cadre.engines.model import ChatModel
from cadre.errors import CadreError, ConfigError, NotFound
from cadre.evaluation.checks import normalise
from cadre.evaluation.suites import Case, Suite
from cadre.knowledge.store import ChunkRow, DocumentRow
from cadre.store import Database

Kind = Literal["title", "section", "paraphrase", "not-in-kb"]
EXCERPT_CHARS = 600  # facts come from what the offline engine quotes: the first ~700 characters of a passage
UNKNOWN_SHARE = 1 / 7  # one case in seven asks what no article covers
PARAPHRASE_SHARE = 1 / 5  # one knowledge case in five is asked a second way
MAX_FACT_OPTIONS = 3

# {title} is the article's title in that language; {heading} a section heading; `_lc` variants are lower-cased
# where the language lower-cases common nouns mid-sentence.
TITLE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        "Can you help me with this: {title}?",
        "I have a question about {title_lc}.",
        "Where do I find help on “{title}”?",
    ),
    "es": (
        "¿Me pueden ayudar con esto: {title}?",
        "Tengo una pregunta sobre {title_lc}.",
        "¿Dónde encuentro ayuda sobre «{title}»?",
    ),
    "fr": (
        "Pouvez-vous m’aider avec ceci : {title} ?",
        "J’ai une question sur {title_lc}.",
        "Où trouver de l’aide sur « {title} » ?",
    ),
    "de": (
        "Können Sie mir dabei helfen: {title}?",
        "Ich habe eine Frage zu {title}.",
        "Wo finde ich Hilfe zu „{title}“?",
    ),
    "it": ("Potete aiutarmi con questo: {title}?", "Ho una domanda su {title_lc}.", "Dove trovo aiuto su «{title}»?"),
    "pt": (
        "Podem me ajudar com isto: {title}?",
        "Tenho uma dúvida sobre {title_lc}.",
        "Onde encontro ajuda sobre “{title}”?",
    ),
    "ja": ("{title}について教えてください。", "{title}について質問があります。", "「{title}」はどこで確認できますか?"),
}
SECTION_TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": ("{title}: {heading}?", "About “{title}”, what about {heading_lc}?"),
    "es": ("{title}: ¿{heading}?", "Sobre «{title}», ¿qué hay de {heading_lc}?"),
    "fr": ("{title} : {heading} ?", "À propos de « {title} », qu’en est-il de {heading_lc} ?"),
    "de": ("{title}: {heading}?", "Zu „{title}“: was gilt für {heading}?"),
    "it": ("{title}: {heading}?", "A proposito di «{title}», che dire di {heading_lc}?"),
    "pt": ("{title}: {heading}?", "Sobre “{title}”, e quanto a {heading_lc}?"),
    "ja": ("{title}:{heading}について教えてください。", "「{title}」の「{heading}」について知りたいです。"),
}
# Questions no help centre of a software company answers; the second line is the customer asking again.
NOT_IN_KB: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("What will the weather be like in Lisbon tomorrow?", "I just want tomorrow's weather forecast for Lisbon."),
        ("Can you recommend a good restaurant for dinner tonight?", "Any restaurant tip for tonight would do."),
        ("Who won the football match last night?", "I meant the score of yesterday's football game."),
        ("How long should I boil pasta for?", "I'm asking about cooking pasta, how many minutes?"),
    ),
    "es": (
        ("¿Qué tiempo hará mañana en Lisboa?", "Solo quiero el pronóstico del tiempo de mañana en Lisboa."),
        (
            "¿Me recomiendas un buen restaurante para cenar esta noche?",
            "Cualquier restaurante para esta noche me vale.",
        ),
        ("¿Quién ganó el partido de fútbol anoche?", "Me refiero al resultado del partido de ayer."),
        ("¿Cuánto tiempo hay que hervir la pasta?", "Pregunto por la pasta, ¿cuántos minutos?"),
    ),
    "fr": (
        ("Quel temps fera-t-il demain à Lisbonne ?", "Je veux juste la météo de demain à Lisbonne."),
        ("Pouvez-vous me conseiller un bon restaurant pour ce soir ?", "N’importe quel restaurant pour ce soir."),
        ("Qui a gagné le match de football hier soir ?", "Je parle du score du match d’hier."),
        ("Combien de temps faut-il cuire les pâtes ?", "Je parle de la cuisson des pâtes, combien de minutes ?"),
    ),
    "de": (
        ("Wie wird das Wetter morgen in Lissabon?", "Ich möchte nur die Wettervorhersage für morgen in Lissabon."),
        ("Können Sie mir ein gutes Restaurant für heute Abend empfehlen?", "Irgendein Restaurant für heute Abend."),
        ("Wer hat gestern Abend das Fußballspiel gewonnen?", "Ich meine das Ergebnis des Spiels von gestern."),
        ("Wie lange muss man Nudeln kochen?", "Ich frage nach dem Kochen von Nudeln, wie viele Minuten?"),
    ),
    "it": (
        ("Che tempo farà domani a Lisbona?", "Voglio solo le previsioni del tempo di domani a Lisbona."),
        ("Mi consigli un buon ristorante per stasera?", "Va bene qualsiasi ristorante per stasera."),
        ("Chi ha vinto la partita di calcio ieri sera?", "Intendo il risultato della partita di ieri."),
        ("Quanto tempo deve cuocere la pasta?", "Parlo della cottura della pasta, quanti minuti?"),
    ),
    "pt": (
        ("Como vai estar o tempo amanhã em Lisboa?", "Só quero a previsão do tempo de amanhã em Lisboa."),
        ("Pode me recomendar um bom restaurante para hoje à noite?", "Qualquer restaurante para hoje à noite serve."),
        ("Quem ganhou o jogo de futebol ontem à noite?", "Estou falando do placar do jogo de ontem."),
        ("Quanto tempo devo cozinhar o macarrão?", "Pergunto sobre cozinhar macarrão, quantos minutos?"),
    ),
    "ja": (
        ("明日のリスボンの天気はどうですか?", "明日のリスボンの天気予報が知りたいだけです。"),
        ("今夜のディナーにおすすめのレストランはありますか?", "今夜行けるレストランならどこでも構いません。"),
        ("昨夜のサッカーの試合はどちらが勝ちましたか?", "昨日のサッカーの試合結果のことです。"),
        ("パスタは何分ゆでればいいですか?", "パスタのゆで時間を聞いています。何分ですか?"),
    ),
}
LANGUAGES = tuple(TITLE_TEMPLATES)
_BOLD = re.compile(r"\*\*([^*\n]{3,60})\*\*")
_AMOUNT = re.compile(r"(?:[$€£¥]\s?\d[\d,.]*|\d[\d,.]*\s?(?:%|days?|hours?|minutes?|seats?|GB|MB|USD|EUR))")


class SuiteGenerationError(CadreError):
    """The generator was asked for something it cannot make (a count, a language, a collection)."""


@dataclass(frozen=True)
class Section:
    ordinal: int
    heading: str | None
    text: str


@dataclass(frozen=True)
class Article:
    doc_id: str
    language: str
    title: str
    sections: tuple[Section, ...]


Method = Literal["offline", "llm", "auto"]


@dataclass
class Generated:
    suite: Suite
    counts: dict[str, Any] = field(default_factory=dict)
    header: str = ""  # the comment block the suite file opens with: how its cases were made

    def to_json(self, out: Path) -> dict[str, Any]:
        return {"out": str(out), "agent": self.suite.agent, "cases": len(self.suite.cases), **self.counts}


def model_for(method: Method, configured: ChatModel | None) -> ChatModel | None:
    """The model `--method` asks for: none offline, the configured one for `llm` (an error when there is none),
    and for `auto` whichever there is."""
    if method == "llm" and configured is None:
        raise ConfigError("--method llm needs an LLM: set `CADRE_LLM_BASE_URL` (or use --method offline), got none")
    return None if method == "offline" else configured


def generate_suite(
    db: Database,
    *,
    collection: str,
    agent: str,
    count: int,
    languages: list[str] | None = None,
    seed: int = 0,
    model: ChatModel | None = None,
) -> Generated:
    """`count` cases for `agent` from `collection`: questions its articles answer, paraphrases, and unknowns;
    written by `model` from the articles' passages when one is given, else from templates."""
    if count < 1:
        raise SuiteGenerationError(f"--count must be at least 1, got {count}")
    articles = load_articles(db, collection)
    held = sorted({a.language for a in articles})
    wanted = languages or held
    for language in wanted:
        if language not in held:
            raise SuiteGenerationError(
                f"--languages must name languages collection {collection!r} holds ({', '.join(held)}), got {language!r}"
            )
        if language not in LANGUAGES:
            raise SuiteGenerationError(
                f"--languages must name languages the generator writes ({', '.join(LANGUAGES)}), got {language!r}"
            )
    rng = random.Random(seed)
    unknown = round(count * UNKNOWN_SHARE) if count >= 4 else 0
    knowledge = count - unknown
    paraphrases = int(knowledge * PARAPHRASE_SHARE)
    if model is None:
        cases = _knowledge_cases(articles, wanted, knowledge - paraphrases, rng)
        cases += [_paraphrase(case) for case in rng.sample(cases, min(paraphrases, len(cases)))]
        cases += [_unknown_case(i, wanted[i % len(wanted)], rng) for i in range(unknown)]
        how = "questions made from article titles and section headings, paraphrases, and questions no article answers"
        extra: dict[str, Any] = {"method": "offline"}
    else:
        writer = CaseWriter(model, collection)
        cases = writer.knowledge_cases(articles, wanted, knowledge - paraphrases, paraphrases, rng)
        cases += writer.unknown_cases(articles, wanted, unknown)
        how = (
            f"questions {writer.model_name} wrote from one article passage each, with facts checked to appear in "
            f"it, paraphrases, and questions no article answers"
        )
        extra = {"method": "llm", "model": writer.model_name, "model_calls": writer.calls, "skipped": writer.skipped}
        if not cases:
            raise SuiteGenerationError(f"the model must write at least one usable case, got none: {writer.skipped}")
    suite = Suite(
        agent=agent,
        description=f"Generated from knowledge collection {collection!r} ({', '.join(wanted)}), seed {seed}: {how}.",
        cases=[Case.model_validate(_public(c)) for c in cases],
    )
    counts = {
        **extra,
        "by_kind": dict(Counter(t for c in suite.cases for t in c.tags if t in _KINDS)),
        "by_language": dict(Counter(c.tags[0] for c in suite.cases)),
    }
    return Generated(suite=suite, counts=counts, header=GENERATED_HEADER if model is None else LLM_HEADER)


_KINDS = frozenset({"title", "section", "paraphrase", "not-in-kb"})


def load_articles(db: Database, collection: str) -> list[Article]:
    """Every language version of every document in `collection`, with its chunks as sections, in a stable order."""
    with db.session() as session:
        rows = session.execute(
            select(DocumentRow.doc_id, DocumentRow.language, DocumentRow.title, ChunkRow)
            .join(ChunkRow, ChunkRow.document_id == DocumentRow.id)
            .where(DocumentRow.collection == collection)
            .order_by(DocumentRow.doc_id, DocumentRow.language, ChunkRow.ordinal)
        ).all()
    if not rows:
        raise NotFound(
            f"knowledge collection {collection!r} is empty or does not exist", hint="`cadre kb list` shows them"
        )
    grouped: dict[tuple[str, str], tuple[str, list[Section]]] = {}
    for doc_id, language, title, chunk in rows:
        heading = chunk.heading_path[-1] if chunk.heading_path else None
        grouped.setdefault((doc_id, language), (title, []))[1].append(Section(chunk.ordinal, heading, chunk.text))
    return [Article(d, lang, title, tuple(sections)) for (d, lang), (title, sections) in grouped.items()]


def _knowledge_cases(
    articles: list[Article], languages: list[str], count: int, rng: random.Random
) -> list[dict[str, Any]]:
    by_language = {lang: [a for a in articles if a.language == lang] for lang in languages}
    for pool in by_language.values():
        rng.shuffle(pool)
    cases: list[dict[str, Any]] = []
    for i in range(count):
        language = languages[i % len(languages)]
        pool = by_language[language]
        article = pool[(i // len(languages)) % len(pool)]
        sections = [s for s in article.sections if s.heading and s.heading != article.title]
        if i // len(languages) % 2 and sections:
            cases.append(_section_case(article, rng.choice(sections), rng.randrange(len(SECTION_TEMPLATES[language]))))
        else:
            cases.append(_title_case(article, rng.randrange(len(TITLE_TEMPLATES[language]))))
    return _unique_ids(cases)


def _title_case(article: Article, template: int) -> dict[str, Any]:
    question = _fill(TITLE_TEMPLATES[article.language][template], article)
    return _case(
        f"kb-{article.doc_id}-{article.language}-title",
        "title",
        article,
        None,
        question,
        f"offline: title template {template + 1} on article {article.doc_id!r} ({article.language}); "
        f"facts: one distinctive phrase from each of its passages",
    )


def _section_case(article: Article, section: Section, template: int) -> dict[str, Any]:
    question = _fill(SECTION_TEMPLATES[article.language][template], article, section.heading)
    return _case(
        f"kb-{article.doc_id}-{article.language}-section-{section.ordinal}",
        "section",
        article,
        section,
        question,
        f"offline: section template {template + 1} on article {article.doc_id!r} ({article.language}), "
        f"section {section.heading!r}; facts from that section",
    )


def _case(
    case_id: str, kind: str, article: Article, passage: Section | None, question: str, made_by: str
) -> dict[str, Any]:
    expect: dict[str, Any] = {"language": article.language, "cited": True, "no_actions": True, "handoff": False}
    asked = question + " " + article.title
    if passage is not None:
        facts = _passage_facts(passage, asked)
    else:
        # The whole article answers a question about its title, and the agent may quote any of its passages.
        firsts = (_passage_facts(s, asked)[:1] for s in article.sections)
        facts = list(dict.fromkeys(f for first in firsts for f in first))
    if facts:
        expect["facts"] = [facts]
    return {
        "id": _slug(case_id),
        "made_by": made_by,
        "tags": [article.language, kind, "generated"],
        "turns": [{"user": question, "expect": expect}],
        # kept for the paraphrase; dropped before validation
        "_source": (article, passage, kind),
    }


def _paraphrase(case: dict[str, Any]) -> dict[str, Any]:
    article, passage, kind = case["_source"]
    templates = TITLE_TEMPLATES if kind == "title" else SECTION_TEMPLATES
    current = case["turns"][0]["user"]
    heading = passage.heading if passage is not None else None
    choices = [t for t in templates[article.language] if _fill(t, article, heading) != current]
    template = choices[0]
    question = _fill(template, article, heading)
    number = templates[article.language].index(template) + 1
    return {
        **case,
        "id": f"{case['id']}-paraphrase",
        "made_by": f"offline: paraphrase of {case['id']!r} with {kind} template {number}",
        "tags": [article.language, "paraphrase", "generated"],
        "turns": [{"user": question, "expect": case["turns"][0]["expect"]}],
    }


def _unknown_case(index: int, language: str, rng: random.Random) -> dict[str, Any]:
    made_by = "offline: a not-in-the-knowledge-base question from the generator's own templates, asked twice"
    return _unknown(f"not-in-kb-{index + 1:02d}-{language}", language, rng.choice(NOT_IN_KB[language]), made_by)


def _unknown(case_id: str, language: str, asked: tuple[str, str], made_by: str) -> dict[str, Any]:
    first, again = asked
    # The intended behaviour for a question outside the knowledge base: no quote and no action on the first
    # turn (the agent says it found nothing or asks what is meant); asked again, two low-confidence turns in a
    # row hand the conversation to a person (the spec's `escalation.low_confidence_turns`, 2 by default).
    return {
        "id": case_id,
        "made_by": made_by,
        "tags": [language, "not-in-kb", "generated"],
        "turns": [
            {"user": first, "expect": {"language": language, "cited": False, "no_actions": True, "handoff": False}},
            {"user": again, "expect": {"no_actions": True, "handoff": True}},
        ],
    }


# ---------------------------------------------------------------------------------------------- written by a model

MAX_WRITTEN_FACTS = 3
WRITER_ROLE = (
    "You write test cases for a company's customer-support assistant. Answer with one JSON object and nothing else: "
    "no prose, no Markdown fence."
)
PASSAGE_BRIEF = """\
The assistant's knowledge base holds this passage.

Article: {title}
Section: {heading}
Passage:
{text}

Write, in {language}:
- "question": one question a customer would ask whose answer is in this passage;
- "facts": 1 to {facts} short facts a correct answer must contain, each copied word for word from the passage
  (a number with its unit, a name, a setting, a short phrase), none of them already in the question;
- "paraphrase": the same question as another customer would word it.
Answer as {{"question": "…", "facts": ["…"], "paraphrase": "…"}}"""
UNKNOWN_BRIEF = """\
The assistant answers from a knowledge base whose articles are titled:
{titles}

Write, in {language}, a question a customer of this company might ask that none of these articles answers (not
about the company's product at all), and how the customer would ask it again when the assistant cannot help.
{asked}Answer as {{"question": "…", "again": "…"}}"""


class _Answerable(BaseModel):
    model_config = ConfigDict(extra="ignore")

    question: str = Field(min_length=3)
    facts: list[str] = Field(min_length=1)
    paraphrase: str = Field(min_length=3)


class _Unanswerable(BaseModel):
    model_config = ConfigDict(extra="ignore")

    question: str = Field(min_length=3)
    again: str = Field(min_length=3)


Written = TypeVar("Written", _Answerable, _Unanswerable)


class CaseWriter:
    """Asks a chat model for cases, one passage (or one unknown question) per call. An answer that is not the JSON
    asked for is asked again once, then skipped; a case whose facts the passage does not state is dropped."""

    def __init__(self, model: ChatModel, collection: str) -> None:
        self.model = model
        self.collection = collection
        self.model_name = model.name
        self.calls = 0
        self.skipped = {"malformed": 0, "facts_not_in_passage": 0, "facts_in_question": 0}

    def knowledge_cases(
        self, articles: list[Article], languages: list[str], count: int, paraphrases: int, rng: random.Random
    ) -> list[dict[str, Any]]:
        passages = _passages_by_language(articles, languages, rng)
        cases: list[dict[str, Any]] = []
        # A dropped case is made up from the next passage, within twice the cases asked for (and one more round).
        for attempt in range(2 * count + len(languages)):
            if len(cases) == count:
                break
            language = languages[attempt % len(languages)]
            pool = passages[language]
            article, section = pool[(attempt // len(languages)) % len(pool)]
            case = self._answerable(article, section)
            if case is not None:
                cases.append(case)
        cases = _unique_ids(cases)
        return cases + [self._paraphrase(case) for case in rng.sample(cases, min(paraphrases, len(cases)))]

    def unknown_cases(self, articles: list[Article], languages: list[str], count: int) -> list[dict[str, Any]]:
        cases: list[dict[str, Any]] = []
        asked: dict[str, list[str]] = {language: [] for language in languages}
        for index in range(count):
            language = languages[index % len(languages)]
            titles = sorted({a.title for a in articles if a.language == language})
            before = asked[language]
            brief = UNKNOWN_BRIEF.format(
                titles="\n".join(f"- {t}" for t in titles),
                language=language_name(language, "en"),
                asked=f"Not one of these, already asked: {before}\n" if before else "",
            )
            written = self._ask(brief, _Unanswerable)
            if written is None:
                continue
            before.append(written.question)
            cases.append(
                _unknown(
                    f"not-in-kb-{index + 1:02d}-{language}",
                    language,
                    (written.question, written.again),
                    f"llm: {self.model_name} wrote a question no article of {self.collection!r} answers "
                    f"({language}), asked twice",
                )
            )
        return cases

    def _answerable(self, article: Article, section: Section) -> dict[str, Any] | None:
        brief = PASSAGE_BRIEF.format(
            title=article.title,
            heading=section.heading or article.title,
            text=section.text.strip(),
            language=language_name(article.language, "en"),
            facts=MAX_WRITTEN_FACTS,
        )
        written = self._ask(brief, _Answerable)
        if written is None:
            return None
        stated = normalise(_plain(section.text))
        if not all(normalise(_plain(fact)) in stated for fact in written.facts):
            self.skipped["facts_not_in_passage"] += 1
            return None
        # A fact the question already holds is said by any reply that repeats the question: it tells nothing.
        asked = normalise(written.question)
        facts = [f.strip() for f in written.facts if normalise(f) not in asked][:MAX_WRITTEN_FACTS]
        if not facts:
            self.skipped["facts_in_question"] += 1
            return None
        expect = {"language": article.language, "cited": True, "no_actions": True, "handoff": False, "facts": facts}
        return {
            "id": _slug(f"llm-{article.doc_id}-{article.language}-chunk-{section.ordinal}"),
            "made_by": f"llm: {self.model_name} wrote it from article {article.doc_id!r} ({article.language}), "
            f"chunk {section.ordinal} ({section.heading or article.title!r})",
            "tags": [article.language, "section", "generated"],
            "turns": [{"user": written.question.strip(), "expect": expect}],
            "_paraphrase": written.paraphrase.strip(),
        }

    def _paraphrase(self, case: dict[str, Any]) -> dict[str, Any]:
        return {
            **case,
            "id": f"{case['id']}-paraphrase",
            "made_by": f"llm: {self.model_name}'s paraphrase of {case['id']!r}",
            "tags": [case["tags"][0], "paraphrase", "generated"],
            "turns": [{"user": case["_paraphrase"], "expect": case["turns"][0]["expect"]}],
        }

    def _ask(self, brief: str, shape: type[Written]) -> Written | None:
        messages = [ChatMessage.system(WRITER_ROLE), ChatMessage.user(brief)]
        for _ in range(2):
            self.calls += 1
            response = self.model.complete(messages)
            self.model_name = response.model or self.model_name
            text = response.content or ""
            try:
                return shape.model_validate_json(_json_object(text))
            except ValueError as exc:  # pydantic's ValidationError is one
                problem = str(exc).splitlines()[0]
                messages += [
                    ChatMessage.assistant(text),
                    ChatMessage.user(f"That is not the JSON object asked for ({problem}). Answer again, JSON only."),
                ]
        self.skipped["malformed"] += 1
        return None


def _passages_by_language(
    articles: list[Article], languages: list[str], rng: random.Random
) -> dict[str, list[tuple[Article, Section]]]:
    """Each language's passages worth a question (some text beyond a heading), articles shuffled, each article's
    passages taken in turn so one long article does not fill the suite."""
    found: dict[str, list[tuple[Article, Section]]] = {}
    for language in languages:
        pool = [a for a in articles if a.language == language]
        rng.shuffle(pool)
        rounds = [[(a, s) for s in a.sections if len(_plain(s.text).split()) >= 8] for a in pool]
        found[language] = [pair for step in zip_longest(*rounds) for pair in step if pair is not None]
        if not found[language]:
            raise SuiteGenerationError(f"collection articles in {language!r} must hold passages, got only headings")
    return found


def _json_object(text: str) -> str:
    """The JSON object in a model's answer, fenced in Markdown or not."""
    start, end = text.find("{"), text.rfind("}")
    if start == -1 or end < start:
        raise ValueError(f"no JSON object in the answer, got {text[:60]!r}")
    return text[start : end + 1]


def _plain(text: str) -> str:
    # A model copies what a reader sees: "14 days", not "**14 days**".
    return re.sub(r"\*\*|__|`", "", text)


def distinctive_phrases(text: str, *, exclude: str = "") -> list[str]:
    """Phrases a reply quoting `text` would contain and a reply about something else would not: bold spans first,
    then amounts; none that `exclude` (the question, the title) already contains."""
    found: list[str] = []
    excluded = exclude.casefold()
    for match in [*_BOLD.findall(text), *_AMOUNT.findall(text)]:
        phrase = match.strip(" .,:;")
        # a short bold word ("Live", "Owner") turns up in replies about anything; a number does not
        telling = len(phrase) >= 6 or any(ch.isdigit() for ch in phrase)
        if telling and phrase.casefold() not in excluded and phrase not in found:
            found.append(phrase)
        if len(found) == MAX_FACT_OPTIONS:
            break
    return found


def opening_words(text: str) -> str | None:
    """The first words of a passage's body: what a reply quoting the passage starts with, when it has no bold
    span or amount to expect instead."""
    body = next((line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    if " " not in body:  # Japanese and other unspaced scripts: a run of characters
        return body[:12] or None
    words = body.split()[:6]
    return " ".join(words) if len(words) >= 3 else None


def _passage_facts(passage: Section, asked: str) -> list[str]:
    found = distinctive_phrases(passage.text[:EXCERPT_CHARS], exclude=asked)
    opening = None if found else opening_words(passage.text)
    return found or ([opening] if opening else [])


def _fill(template: str, article: Article, heading: str | None = None) -> str:
    lower = article.language not in ("de", "ja")  # German nouns keep their capital; Japanese has no case
    title = article.title.rstrip(" ?？.。")  # the template ends the sentence
    return template.format(
        title=title,
        title_lc=_lower_first(title) if lower else title,
        heading=heading or "",
        heading_lc=_lower_first(heading or "") if lower else heading or "",
    )


def _lower_first(text: str) -> str:
    # "API keys" stays as it is: lowering only a capital followed by a lower-case letter keeps acronyms
    return text[0].lower() + text[1:] if len(text) > 1 and text[0].isupper() and text[1].islower() else text


def _slug(text: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "-", text.lower())).strip("-")


def _unique_ids(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: Counter[str] = Counter()
    for case in cases:
        seen[case["id"]] += 1
        if seen[case["id"]] > 1:
            case["id"] = f"{case['id']}-{seen[case['id']]}"
    return cases


def _public(case: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in case.items() if not k.startswith("_")}


GENERATED_HEADER = """\
# Generated by `cadre eval generate` (offline: no model is asked; every question comes from templates over the
# articles' titles and section headings, and each case's `made_by` says which).
#   title / section   a question whose answer is in that article, in the article's own language; `facts` lists
#                     distinctive phrases of the answering passage, any one of which the reply must contain
#   paraphrase        the same question asked with another template; the same expectations
#   not-in-kb         a question no article covers: the agent must not quote an article or call an action, and
#                     when asked again it must hand the conversation to a person
# Edit freely: it is a suite like any other and runs with `cadre eval run`.
"""


def dump_suite(suite: Suite, path: Path, *, header: str) -> None:
    """Write `suite` as YAML under a comment header, in the shipped suites' key order."""
    body = suite.model_dump(mode="json", exclude_defaults=True)
    body["agent"] = suite.agent  # required, but never a default worth dropping
    text = yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=120)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + text, encoding="utf-8")


LLM_HEADER = """\
# Generated by `cadre eval generate --method llm`: a chat model wrote each question from one article passage, in
# the passage's language, with the facts a correct answer must contain; every fact was checked to appear word for
# word in that passage (cases whose facts did not were dropped). Each case's `made_by` names the model and the
# article chunk it was written from.
#   section           a question that passage answers; the reply must contain every fact listed
#   paraphrase        the same question as the model reworded it; the same expectations
#   not-in-kb         a question the model wrote to fall outside every article: the agent must not quote an
#                     article or call an action, and when asked again it must hand the conversation to a person
# Edit freely: it is a suite like any other and runs with `cadre eval run`.
"""
