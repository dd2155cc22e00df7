"""Synthetic cases from a knowledge collection: questions its articles answer, in their languages, and ones they don't.

Offline only: questions are made from the articles' own structure (titles and section headings) with
templates, so a generated suite is reproducible for a seed and needs no model.
"""
# ruff: noqa: RUF001
# (the questions use each language's own typographic quotes and apostrophes)

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from sqlalchemy import select

from cadre.errors import CadreError, NotFound
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


@dataclass
class Generated:
    suite: Suite
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_json(self, out: Path) -> dict[str, Any]:
        return {"out": str(out), "agent": self.suite.agent, "cases": len(self.suite.cases), **self.counts}


def generate_suite(
    db: Database,
    *,
    collection: str,
    agent: str,
    count: int,
    languages: list[str] | None = None,
    seed: int = 0,
) -> Generated:
    """`count` cases for `agent` from `collection`: questions its articles answer, paraphrases, and unknowns."""
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
                f"--languages must name languages with question templates ({', '.join(LANGUAGES)}), got {language!r}"
            )
    rng = random.Random(seed)
    unknown = round(count * UNKNOWN_SHARE) if count >= 4 else 0
    knowledge = count - unknown
    paraphrases = int(knowledge * PARAPHRASE_SHARE)
    cases = _knowledge_cases(articles, wanted, knowledge - paraphrases, rng)
    cases += [_paraphrase(case) for case in rng.sample(cases, min(paraphrases, len(cases)))]
    cases += [_unknown_case(i, wanted[i % len(wanted)], rng) for i in range(unknown)]
    suite = Suite(
        agent=agent,
        description=(
            f"Generated from knowledge collection {collection!r} ({', '.join(wanted)}), seed {seed}: questions "
            f"made from article titles and section headings, paraphrases, and questions no article answers."
        ),
        cases=[Case.model_validate(_public(c)) for c in cases],
    )
    return Generated(
        suite=suite,
        counts={
            "by_kind": dict(Counter(t for c in suite.cases for t in c.tags if t in _KINDS)),
            "by_language": dict(Counter(c.tags[0] for c in suite.cases)),
        },
    )


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
    first, again = rng.choice(NOT_IN_KB[language])
    # The intended behaviour for a question outside the knowledge base: no quote and no action on the first
    # turn (the agent says it found nothing or asks what is meant); asked again, two low-confidence turns in a
    # row hand the conversation to a person (the spec's `escalation.low_confidence_turns`, 2 by default).
    return {
        "id": f"not-in-kb-{index + 1:02d}-{language}",
        "made_by": "offline: a not-in-the-knowledge-base question from the generator's own templates, asked twice",
        "tags": [language, "not-in-kb", "generated"],
        "turns": [
            {"user": first, "expect": {"language": language, "cited": False, "no_actions": True, "handoff": False}},
            {"user": again, "expect": {"no_actions": True, "handoff": True}},
        ],
    }


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
