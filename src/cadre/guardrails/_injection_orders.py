"""The shape of an order whatever its verb: a sentence opening on a verb followed by its object's article or pronoun.

No verb list names every task ("Craft a riddle", "Devise the rules", "Rédigez une note", "Stelle mir eine Frage"),
but an order has a shape: it opens on the verb, and the verb's object follows with an article, a possessive or a
pronoun. A statement opens on its subject instead ("The invoice is attached", "Le client a payé"), and a subject
is an article, a pronoun, a number or a name followed by a verb, not by an article. This is a cheap screen that
only makes a document window a candidate for the embedding classifier; it decides nothing alone.
"""

from __future__ import annotations

import re

# What follows the verb of an order: its object's article, possessive or pronoun, per language. Not "an", which
# is also a German preposition ("Cloud an erster Stelle").
_OBJECT_OPENERS = (
    r"a|the|me|us|my|your|our|some|any|all|this|that|these|those|each|every|one|two|three|five|ten|how|what|why|"
    r"el|la|los|las|un|una|unos|unas|me|nos|mi|tu|su|sus|algo|todo|todos|cada|este|esta|esto|tres|cinco|c[óo]mo|"
    r"le|les|une|des|du|moi|nous|ton|ta|tes|votre|vos|ce|cette|ces|chaque|quelque|trois|cinq|comment|"
    r"den|die|das|dem|einen|eine|ein|mir|uns|deine|deinen|ihre|ihren|jede[ns]?|alle|drei|f[üu]nf|wie|"
    r"il|lo|gli|i|uno|mi|ci|il tuo|la tua|ogni|qualche|tre|cinque|"
    r"o|os|as|um|uma|seu|sua|meu|minha|cada|algum|alguma|tr[êe]s|cinco"
)
# Words that open a statement or a greeting though an article may follow them: function words, forms of "be" and
# "have", "there is", thanks, greetings, and the days and months a notice's line opens on.
_NOT_VERBS = frozenset(
    """
    a an the this that these those there here it he she we they i you his her its our their my your what which who
    when where why how if as at by for from in into of on to with and but or so then than also just only not no
    is are was were be been being has have had do does did will would can could should may might must shall
    thanks thank hi hello hey dear regards cheers welcome congratulations best kind
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december total note notes date time price amount
    all toda todas todo todos tout toute toutes tous alle allen tutta tutte tutti tutto jede jeder jedes
    even still too anche también tambien aussi auch também tambem solo sólo seulement nur só ainda encore
    es son era fue hay está esta están tiene tienen gracias hola el la los las un una de del en con por para que y o
    est sont était c'est il elle nous vous ils elles merci bonjour salut le les une des du au aux et ou
    ist sind war gibt hat haben danke hallo der die das ein eine und oder im am zum zur von mit für es er sie wir
    è sono era c'è ci grazie ciao il lo gli i e o del della nel con per
    é são era há tem obrigado obrigada olá o os as um uma e ou do da no na com para
    """.split()
)
_OPENING = re.compile(
    # An optional postscript mark or polite word, then the first two words.
    r"^\W*(?:p\.?\s?-?[sd]\.?\s*:?\s+)?(?:(?:please|kindly|now|also|then|por favor|bitte|per favore)\s+)?"
    rf"([^\W\d_][^\W\d_'\u2019-]+)\s+({_OBJECT_OPENERS})\b",
    re.IGNORECASE,
)
# Help articles in the Romance languages list their steps in the infinitive ("insertar un texto", "insérer une
# note"); an order to the reader is in the imperative. Only before a Romance article, so "Answer the" stays.
_INFINITIVE = re.compile(r"(?:ar|er|ir|re)$", re.IGNORECASE)
_ROMANCE_OBJECT = frozenset("el la los las un una unos unas le les une des du il lo gli i uno o os as um uma".split())
# Portuguese's article "a" is English's too: before it, only the -ar and -ir infinitives ("Enviar a proposta").
_PORTUGUESE_INFINITIVE = re.compile(r"(?:ar|ir)$", re.IGNORECASE)
# A past participle opening a line ("Clicked a campaign email") reports what happened; "-eed" verbs are no past.
_PAST = re.compile(r"(?<!e)ed$", re.IGNORECASE)
# German opens a condition on its verb too ("Passt eine Regel, wird sie angewendet"): the main clause then follows
# the comma, verb first.
_CONDITION_THEN = re.compile(
    r",\s*(?:wird|werden|ist|sind|gilt|kann|k[öo]nnen|muss|m[üu]ssen|soll|sollte|bleibt|bleiben|wirkt|wirken|"
    r"erh[äa]lt|erhalten|landet|landen|geht|gehen|sieht|sehen)\b",
    re.IGNORECASE,
)
_AMBIGUOUS_MID_SENTENCE = frozenset("der die das den dem des um o i".split())
MIN_WORDS = 5  # fewer words is a label, a cell or a fragment ("toutes les 24 heures"), no task


def opens_with_an_order(text: str, *, mid_sentence: bool = False) -> bool:
    """Whether `text` opens on a word that is no subject, article or greeting, followed by an object's article.

    `mid_sentence`: `text` follows other words on its line, where German capitalises every noun ("... die Sitzung
    das Ergebnis") and a noun before a German article, or before a word that is an article in one language and a
    conjunction or preposition in another ("o", "um"), is no order.
    """
    words = text.split()
    # "Take a Bow", "Love the Way You Lie": every word but the small ones capitalised is a title, no order.
    if len(words) < MIN_WORDS or _is_title(words):
        return False
    match = _OPENING.match(text)
    if match is None:
        return False
    verb, article = match.group(1), match.group(2).lower()
    return not (
        verb.lower() in _NOT_VERBS
        or verb.isupper()
        or _PAST.search(verb)
        or (article in _ROMANCE_OBJECT and _INFINITIVE.search(verb))
        or (article == "a" and _PORTUGUESE_INFINITIVE.search(verb))
        or _CONDITION_THEN.search(text)
        or (mid_sentence and article in _AMBIGUOUS_MID_SENTENCE)
    )


def _is_title(words: list[str]) -> bool:
    content = [word for word in words if word[0].isalpha() and word.lower() not in _NOT_VERBS]
    return len(content) >= 2 and all(word[0].isupper() for word in content)
