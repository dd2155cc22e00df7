"""Classify a lead's reply as one of six intents, in the seven languages, from the words people actually write.

A lexicon rather than embeddings: replies are short, their intent is carried by a few set phrases ("out of office",
"darme de baja", "nicht zuständig"), and a wrong class costs a booking or an unwanted e-mail, so every decision
can be traced to the phrase that made it. Stronger intents win: a reply that unsubscribes and asks a question is
an unsubscribe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cadre.sales.models import ReplyClass

_CUES: dict[ReplyClass, str] = {
    "unsubscribe": (
        r"\bunsubscribe|\bremove me\b|\btake me off\b|\bstop (?:e-?mailing|writing|contacting)|\bopt(?:ing)? out\b"
        r"|\bdo(?:n't| not) (?:e-?mail|contact|write to) me\b|\bno more e-?mails\b|\bnot interested\b|\bno interest\b"
        r"|\bno,? thanks?\b|\bdarme de baja\b|\bde baja\b|^\s*baja\b|\bno me (?:escriban?|contacten?) más\b"
        r"|\belimín(?:enme|ame)\b|\bno (?:me )?interesa\b|\bno quiero recibir\b|\bdésinscri|\bdésabonn"
        r"|\bne (?:m'écrivez|me contactez) plus\b|\bretirez-moi\b|\bsupprimez-moi\b|\bpas intéressée?\b"
        r"|\bne plus recevoir\b|\babmelden\b|\babbestellen\b|\baustragen\b|\bkeine (?:weiteren )?e-?mails\b"
        r"|\bnicht mehr (?:kontaktieren|anschreiben|schreiben)\b|\btragen sie mich (?:bitte )?aus\b"
        r"|\b(?:kontaktieren sie mich|schreiben sie mir) nicht mehr\b|\bkein interesse\b"
        r"|\bcancellami\b|\bcancellatemi\b"
        r"|\bdisiscriv|\bnon (?:scrivetemi|contattatemi) più\b|\brimuovetemi\b|\bnon mi interessa\b"
        r"|\bnon voglio più ricevere\b|\bdescadastr|\bcancelar (?:a )?(?:subscrição|inscrição)\b|^\s*cancelar\b"
        r"|\bremov(?:a|am)-me\b|\bnão quero (?:mais )?receber\b|\bparem de (?:enviar|escrever)\b"
        r"|\bnão tenho interesse\b|\bnão me escrevam mais\b"
        r"|配信停止|配信を停止|配信解除|今後のご連絡は不要|連絡しないで"
        r"|興味(?:は)?ありません"
    ),
    "out_of_office": (
        r"\bout of (?:the )?office\b|\bo\.?o\.?o\b|\bon (?:annual |parental |sick )?leave\b|\bon (?:vacation|holiday)\b"
        r"|\baway from (?:the office|my desk)\b|\bauto(?:matic)?[- ]?reply\b|\blimited access to (?:my )?e-?mail\b"
        r"|\bfuera de la oficina\b|\bde vacaciones\b|\brespuesta automática\b|\bausente hasta\b|\bestaré fuera\b"
        r"|\babsente? (?:du bureau|jusqu)|\ben congés?\b|\bréponse automatique\b|\ben vacances\b"
        r"|\babwesend\b|\bnicht im büro\b|\baußer haus\b|\bim urlaub\b|\bautomatische antwort\b|\babwesenheit"
        r"|\bfuori (?:ufficio|sede)\b|\bin ferie\b|\brisposta automatica\b|\bassente fino\b|\bin vacanza\b"
        r"|\bfora do escritório\b|\bde férias\b|\bresposta automática\b|\bausente até\b|\bestarei fora\b"
        r"|不在|休暇|自動返信|自動応答|出張中"
    ),
    "wrong_person": (
        r"\bwrong (?:person|contact)\b|\bnot the (?:right|best|correct) (?:person|contact)\b"
        r"|\bno longer (?:work|with|at)\b|\bleft the company\b|\bnot responsible for\b"
        r"|\bnot my (?:area|department)\b"
        r"|\bi don't (?:handle|deal with|look after)\b"
        r"|\b(?:contact|reach out to|talk to|speak (?:to|with)) my colleague"
        r"|\bno soy (?:la persona|el responsable|quien)\b|\bya no trabajo\b|\bno es mi área\b|\bno me encargo\b"
        r"|\bpas la bonne personne\b|\bpas le bon interlocuteur\b|\bne travaille plus\b|\bne m'occupe pas\b"
        r"|\bpas mon domaine\b|\bcontactez (?:plutôt )?(?:mon|ma) collègue\b"
        r"|\bnicht (?:der|die) richtige (?:ansprechpartner(?:in)?|person)\b|\bnicht (?:mehr )?zuständig\b"
        r"|\barbeite nicht mehr\b|\bnicht mein bereich\b|\bwenden sie sich (?:bitte )?an\b"
        r"|\bnon sono la persona giusta\b|\bnon lavoro più\b|\bnon mi occupo\b|\bnon è di mia competenza\b"
        r"|\bsi rivolga a\b|\bnão sou a pessoa (?:certa|indicada)\b|\bjá não trabalho\b|\bnão trabalho mais\b"
        r"|\bnão é a minha área\b|\bnão sou (?:o|a) responsável\b|\bcontacte (?:o meu|a minha) colega\b"
        r"|担当ではありません|担当者ではありません|担当外|退職しました|担当者が(?:異なり|違い)|別の担当|異動"
    ),
    "not_now": (
        r"\bnot (?:right )?now\b|\bnot a priority\b|\bmaybe later\b|\bnext (?:quarter|year|month)\b|\bcircle back\b"
        r"|\bno budget\b|\bnot at this (?:time|moment)\b|\btoo busy\b|\bnot the right time\b|\btiming isn't right\b"
        r"|\breach out (?:again )?in\b|\bahora no\b|\bno es (?:una )?prioridad\b|\bmás adelante\b"
        r"|\b(?:el )?próximo (?:trimestre|año|mes)\b|\bsin presupuesto\b|\bno tenemos presupuesto\b"
        r"|\ben este momento no\b|\bpas (?:pour )?(?:le moment|maintenant)\b|\bpas une priorité\b|\bplus tard\b"
        r"|\ble trimestre prochain\b|\bl'année prochaine\b|\bpas de budget\b|\bnicht jetzt\b|\bderzeit nicht\b"
        r"|\bmomentan nicht\b|\bkeine priorität\b|\bnächste[sn]? (?:quartal|jahr|monat)\b|\bkein budget\b"
        r"|\bnon (?:ora|adesso)\b|\bnon è una priorità\b|\bpiù avanti\b|\bil prossimo (?:trimestre|anno|mese)\b"
        r"|\bnon abbiamo budget\b|\bin questo momento no\b|\bagora não\b|\bnão é (?:uma )?prioridade\b"
        r"|\bmais (?:tarde|para a frente)\b|\bpróximo (?:trimestre|ano|mês)\b|\bsem orçamento\b"
        r"|\bneste momento não\b|今は(?:難しい|必要ない|結構)|現時点では|来期|来年|予算がない|また改めて|時期ではない"
    ),
    "interested": (
        r"\binterested\b|\blet's (?:talk|meet|chat|set up|schedule|book)\b|\bsounds (?:good|great|interesting)\b"
        r"|\bhappy to (?:talk|meet|chat|hop on)\b|\b(?:book|schedule|set up|arrange) (?:a )?(?:call|meeting|demo)\b"
        r"|\bsend (?:me |over )?(?:some )?times\b|\bwhen are you (?:free|available)\b|\bi'd like (?:a|to see a) demo\b"
        r"|\bme interesa\b|\binteresad[oa]\b|\bhablemos\b|\bagend(?:emos|ar) una (?:llamada|reunión)\b"
        r"|\benvíe(?:me)? (?:horarios|disponibilidad)\b|\bencantad[oa]\b|\bcon gusto\b|\bintéress(?:é|ée)\b"
        r"|\bça m'intéresse\b|\bvolontiers\b|\bavec plaisir\b|\bprenons rendez-vous\b|\bparlons-en\b"
        r"|\b(?:organiser|planifier) un (?:appel|rendez-vous)\b|\binteressiert\b|\bgerne\b|\bklingt gut\b"
        r"|\btermin (?:vereinbaren|machen|finden)\b|\bschicken sie mir (?:termine|zeiten|vorschläge)\b"
        r"|\binteressat[oa]\b|\bmi interessa\b|\bvolentieri\b|\bfissiamo\b|\bsentiamoci\b"
        r"|\borganizziamo una (?:chiamata|call)\b|\binteressad[oa]\b|\btenho interesse\b|\bcom (?:todo o )?gosto\b"
        r"|\bvamos (?:conversar|falar|marcar)\b|\bmarc(?:ar|amos) uma (?:chamada|reunião)\b"
        r"|興味があります|興味あり|ぜひ|打ち合わせ(?:を|の)|ミーティング|日程(?:を|の)|お話を(?:伺|聞)"
    ),
    "question": (
        r"\bhow (?:much|many|does|do|long|can)\b|\bwhat (?:is|are|does)\b|\bdoes (?:it|halyard|relay|pipeline|pulse"
        r"|beacon|vault)\b|\bis there\b|\bdo you (?:support|offer|have|integrate)\b|\bpric(?:e|ing)\b|\bcost\b"
        r"|\bcuánto\b|\bcómo\b|\bprecio\b|\bcombien\b|\bcomment\b|\bprix\b|\best-ce\b|\bwie (?:viel|funktioniert)\b"
        r"|\bkostet\b|\bpreis\b|\bgibt es\b|\bquanto\b|\bprezzo\b|\bcome funziona\b|\bpreço\b|\bcomo funciona\b"
        r"|いくら|料金|価格|ですか|ますか|でしょうか"
    ),
}
_PATTERNS = {name: re.compile(pattern, re.IGNORECASE | re.MULTILINE) for name, pattern in _CUES.items()}
# The order in which intents win when several phrases appear: what must never be ignored comes first.
PRECEDENCE: tuple[ReplyClass, ...] = (
    "unsubscribe",
    "out_of_office",
    "wrong_person",
    "not_now",
    "interested",
    "question",
)


@dataclass(frozen=True)
class Classification:
    label: ReplyClass | None  # None: no phrase of any class, the reply needs a person
    cue: str | None  # the phrase that decided it


def classify_reply(text: str, *, auto_reply: bool = False) -> Classification:
    """The reply's intent; `auto_reply` (an `Auto-Submitted` header) marks an out-of-office however it is worded."""
    if auto_reply:
        return Classification("out_of_office", "Auto-Submitted header")
    for label in PRECEDENCE:
        found = _PATTERNS[label].search(text)
        if found:
            return Classification(label, found.group(0).strip())
    if "?" in text or "\uff1f" in text:  # the ASCII or the full-width (Japanese) question mark
        return Classification("question", "?")
    return Classification(None, None)
