"""How much a window of a document shares its vocabulary with the rest of it: injected tasks are off-topic."""

from __future__ import annotations

import re
from collections import Counter

from cadre.guardrails._injection_windows import Span

# A support document's own orders name its product, its screens and its data ("click Export", "send the signed
# contract"), so their words recur elsewhere in the document; a task slipped into it ("write a poem about the
# sea") shares almost none. Words are cut to a prefix so "invoice" meets "invoices" and "Rechnung" "Rechnungen".
STEM = 6
MIN_WORD = 4
MIN_WINDOW_TERMS = 3  # a window with fewer content words says too little to be judged on topic or not
MIN_CONTEXT_TERMS = 12  # a context this small has no topic to stray from
_WORD = re.compile(r"[^\W\d_]+")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]+")
# Words that carry no topic: function words and the verbs of orders themselves, in the seven languages.
_NO_TOPIC = frozenset(
    """
    about above after again also another answer anything before below between could does doing each every first
    from have here into just like make more most much must need only other over please should some such than that
    their them then there these they this those through under until very want what when where which while whoever
    will with would your yours reader reads write tell give explain describe list answer question following
    antes ahora como cada cual desde donde esta este esto para pero porque puede sobre todo todos tras unos usted
    escribe explica responde pregunta
    avant aussi avec cette comme dans donc elle encore entre leur mais même nous pour quand quel quelle sans sont
    tous tout très votre vous réponds question écris explique
    aber alle auch bitte dann dass dein deine diese dieser eine einen einer für haben hier ihre immer kann mehr
    nach oder schon sehr sein sich sind über unter vorher wenn werden wird zuerst
    anche come dopo ancora della delle dove essere fare molto nella ogni perché prima questa questo quando sono
    tutti tutto sulla
    após como depois essa esse esta este isso mais muito para pela pelo porque primeiro quando seja sobre todas
    todos você
    """.split()
)


def topic_overlaps(text: str, spans: list[Span]) -> list[float | None]:
    """Per window: the share of its content words found elsewhere in `text` (None when too little to tell)."""
    per_window = [Counter(_terms(text[start:end])) for start, end in spans]
    everything = Counter(_terms(text))
    total = sum(everything.values())
    overlaps: list[float | None] = []
    # Linear in the window, not the document: a term is elsewhere when the document counts it more often than the
    # window does, so a long document's thousands of windows never each copy its vocabulary.
    for terms in per_window:
        size = sum(terms.values())
        if size < MIN_WINDOW_TERMS or total - size < MIN_CONTEXT_TERMS:
            overlaps.append(None)
            continue
        overlaps.append(sum(1 for term, count in terms.items() if everything[term] > count) / len(terms))
    return overlaps


def _terms(text: str) -> list[str]:
    lowered = text.lower()
    words = [w[:STEM] for w in _WORD.findall(_CJK_RUN.sub(" ", lowered)) if len(w) >= MIN_WORD and w not in _NO_TOPIC]
    # Japanese has no spaces: overlapping character pairs stand in for words.
    pairs = [run[i : i + 2] for run in _CJK_RUN.findall(lowered) for i in range(len(run) - 1)]
    return words + [p for p in pairs if not _kana_only(p)]


def _kana_only(pair: str) -> bool:
    # Two hiragana are mostly grammar (particles, verb endings); kanji and katakana carry the topic.
    return all("\u3040" <= char <= "\u309f" for char in pair)
