"""Lexical cues of prompt injection in the agents' seven languages (en, es, fr, de, it, pt, ja), with their weights."""
# ruff: noqa: RUF001
# (full-width letters and punctuation are how Japanese text writes them)

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from cadre.guardrails._injection_orders import opens_with_an_order

InputKind = Literal["user", "document"]

# Gaps between the words of a cue are bounded and never nested, so no pattern can backtrack badly on long input.
_GAP = r"(?:\W+\w+){0,3}?\W+"
_SHORT_GAP = r"(?:\W+\w+){0,2}?\W+"


@dataclass(frozen=True)
class Cue:
    """A phrase family that signals an injection, and how much it moves the score (logit units) per input kind.

    A user asking the assistant to format its reply is ordinary; a retrieved document doing so is not. That is
    why most cues weigh more in documents than in user input.
    """

    reason: str
    pattern: re.Pattern[str]
    user: float
    document: float

    def weight(self, kind: InputKind) -> float:
        return self.user if kind == "user" else self.document


@dataclass(frozen=True)
class CueHit:
    reason: str
    weight: float
    start: int
    end: int


def _cue(reason: str, user: float, document: float, *alternatives: str) -> Cue:
    return Cue(reason, re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE), user, document)


_OVERRIDE_VERBS = (
    r"ignore|disregard|forget|override|bypass|skip|drop|abandon|"  # en
    r"ignora\w*|olvida\w*|descarta\w*|omit[ea]\w*|"  # es, it, pt share several stems
    r"ignore[zr]?|oublie[zr]?|n[ée]glige[zr]?|"  # fr
    r"ignorier\w*|vergiss\w*|vergesst|missachte\w*|"  # de
    r"dimentica\w*|tralascia\w*|"  # it
    r"esque[çc]a\w*|desconsider\w*"  # pt
)
_PRIOR = (
    r"previous|prior|above|earlier|preceding|original|initial|system|your|"
    r"anteriores|previas|precedentes|de arriba|tus|sus|"
    r"pr[ée]c[ée]dentes|ant[ée]rieures|ci-dessus|tes|vos|"
    r"vorherigen|bisherigen|obigen|vorigen|alle|deine|ihre|"
    r"precedenti|tue|sue|"
    r"suas|tuas"
)
_PRIOR_AFTER = (
    r"anteriores|previas|previos|de arriba|pr[ée]c[ée]dentes|ant[ée]rieures|ci-dessus|precedenti|sopra|pr[ée]vias"
)
_INSTRUCTIONS = (
    r"instructions?|prompts?|directives?|guidelines|guardrails|programming|rules|restrictions|constraints|"
    r"instrucciones|indicaciones|reglas|[óo]rdenes|restricciones|"
    r"consignes|r[èe]gles|"
    r"anweisungen|instruktionen|regeln|vorgaben|richtlinien|"
    r"istruzioni|regole|indicazioni|"
    r"instru[çc][õo]es|regras|orienta[çc][õo]es"
)

CUES: tuple[Cue, ...] = (
    _cue(
        "asks to ignore prior instructions",
        4.0,
        4.5,
        rf"\b(?:{_OVERRIDE_VERBS})\b{_GAP}(?:{_PRIOR})\b{_SHORT_GAP}(?:{_INSTRUCTIONS})\b",
        rf"\b(?:{_OVERRIDE_VERBS})\W+(?:all|todas?|toutes?|tutte|alle)\W+(?:{_INSTRUCTIONS})\b",
        # Romance languages put the adjective after the noun: "las instrucciones anteriores"
        rf"\b(?:{_OVERRIDE_VERBS})\b{_SHORT_GAP}(?:{_INSTRUCTIONS})\W+(?:{_PRIOR_AFTER})\b",
        r"\b(?:ignore|disregard|forget)\W+(?:all\W+(?:of\W+)?)?(?:the\W+(?:text\W+)?|everything\W+)?above\b",
        r"\b(?:ignore|disregard|forget)\W+everything\W+(?:you\W+(?:were|have\W+been)\W+told|before|so\W+far)\b",
        # German puts the verb last: "alle vorherigen Anweisungen ignorieren"
        rf"\b(?:{_PRIOR})\W+(?:\w+\W+)?(?:{_INSTRUCTIONS})\W+(?:\w+\W+){{0,2}}?(?:ignorieren|vergessen|missachten)\b",
        r"(?:以前|これまで|今まで|前|上記|先ほど|最初)の(?:すべての|全ての)?(?:指示|命令|ルール|設定|プロンプト)(?:を|は)"
        r"(?:すべて|全て)?(?:無視|忘れ|破棄)",
    ),
    _cue(
        "asks for the hidden system prompt",
        3.5,
        4.0,
        r"\b(?:reveal|print|show|repeat|output|display|leak|tell me|give me|write out)\b"
        rf"{_GAP}(?:system|hidden|initial|original|secret)\W+(?:prompt|instructions|message)",
        r"\b(?:muestra|revela|repite|imprime|mu[ée]strame|dime)\b"
        rf"{_GAP}(?:prompt|instrucciones)\W+(?:del sistema|ocult|inicial|original)",
        r"\b(?:r[ée]v[èe]le|affiche|r[ée]p[èe]te|montre|donne)\w*\b"
        rf"{_GAP}(?:prompt|instructions)\W+(?:syst[èe]me|cach[ée]|initial)",
        r"\b(?:systemprompt|system-prompt|systemanweisung\w*)\b",
        r"\b(?:mostra|rivela|ripeti|stampa|mostre|revele|repita)\w*\b"
        rf"{_GAP}(?:prompt|istruzioni|instru[çc][õo]es)\W+(?:di sistema|do sistema|nascost|ocult|inizial|inicia)",
        r"システムプロンプト|(?:隠された|最初の|元の)(?:指示|プロンプト)を(?:表示|教え|出力|見せ)",
    ),
    _cue(
        "redefines the assistant's role",
        1.5,
        3.0,
        r"\byou are (?:now|no longer)\b|\bfrom now on,? you\b|\bact as (?:an? )?(?:unrestricted|unfiltered|jailbroken)",
        r"\b(?:developer|god|dan|debug|admin) mode\b|\bdo anything now\b",
        r"\b(?:ahora eres|a partir de ahora,? (?:eres|act[úu]a|responde))\b",
        r"\bmodo (?:desarrollador|dios|sin restricciones)\b",
        r"\b(?:tu es d[ée]sormais|tu es maintenant|vous [êe]tes d[ée]sormais)\b",
        r"\b[àa] partir de maintenant,? (?:tu|vous)\b",
        r"\bmode d[ée]veloppeur\b",
        r"\b(?:du bist (?:jetzt|ab sofort|nun)|ab (?:jetzt|sofort),? (?:bist|antwortest) du|entwicklermodus)\b",
        r"\b(?:ora sei|d'ora in poi,? (?:sei|rispondi|agisci)|modalit[àa] sviluppatore)\b",
        r"\b(?:agora voc[êe] [ée]|a partir de agora,? (?:voc[êe]|responda|aja)|modo desenvolvedor)\b",
        r"(?:あなたは|君は)(?:今から|これから|今後)|開発者モード|制限(?:なし|のない)モード",
    ),
    _cue(
        "asks to drop safety limits",
        1.0,
        2.5,
        r"\bwithout (?:any )?(?:restrictions|filters|censorship|limits|safety|guardrails)\b",
        r"\bno (?:restrictions|filters|censorship|ethical guidelines)\b",
        r"\bsin (?:restricciones|filtros|censura)\b|\bsans (?:restrictions|filtres|censure)\b",
        r"\bohne (?:einschr[äa]nkungen|filter|zensur)\b|\bsenza (?:restrizioni|filtri|censura)\b",
        r"\bsem (?:restri[çc][õo]es|filtros|censura)\b|制限なしで|フィルターなしで",
    ),
    _cue(
        "speaks to the AI reading the text",
        1.0,
        4.0,
        r"\b(?:note|message|instructions?|attention|important) (?:to|for) (?:the |any )?"
        r"(?:ai|assistant|llm|language model|model|chatbot|bot|agent)\b",
        r"\b(?:dear|hey|hello|attention) (?:ai|assistant|llm|language model|chatbot|gpt|agent)\b",
        # Not "to the agent": in a support product's documents the agent is a person on the support team.
        r"\bto the (?:ai|assistant|llm|language model|chatbot|gpt)\b",
        r"\bif you are an? (?:ai|llm|language model|assistant|chatbot|bot)\b",
        r"\bas (?:an? |the )?(?:ai|assistant|language model|llm|chatbot)(?: assistant)?,? (?:you|please|your)\b",
        r"\b(?:ai|assistant|llm|chatbot|agent)\s*[:,]\s*(?:you must|please|ignore|do not|always|now)\b",
        r"\b(?:querid[oa]|atenci[óo]n|nota para(?: el| la)?) (?:ia|asistente|modelo|chatbot|agente)\b",
        r"\b(?:cher|ch[èe]re|attention|note pour l'|note [àa] l'|note au) ?(?:ia|assistant|mod[èe]le|chatbot|agent)\b",
        r"\b(?:liebe[rs]?|achtung|hinweis f[üu]r (?:die|den)) (?:ki|assistent\w*|modell|chatbot|agent)\b",
        r"\b(?:car[oa]|attenzione|nota per (?:l'|il )?) ?(?:ia|assistente|modello|chatbot|agente)\b",
        r"\b(?:caro|cara|aten[çc][ãa]o|nota para o) (?:ia|assistente|modelo|chatbot|agente)\b",
        r"(?:AI|ＡＩ|アシスタント|チャットボット|言語モデル)(?:へ|の方へ|への指示|に告ぐ)",
    ),
    _cue(
        "dictates the assistant's response",
        0.3,
        3.0,
        r"\b(?:in|into|to|at the (?:start|end|beginning) of) (?:your|the|any|every) "
        r"(?:response|answer|reply|output|summary)\b",
        # Not what a system "should/will/must answer with": that describes software (a webhook endpoint's reply).
        r"(?<!should )(?<!will )(?<!must )(?<!can )(?<!to )\b(?:respond|reply|answer) (?:only )?(?:with|using|in)\b",
        r"\b(?:when|before|instead of) (?:you )?(?:respond|answer|reply|summari[sz]e)\w*\b",
        r"\b(?:tell|inform|remind|advise|urge|convince) the user\b",
        r"\ben (?:tu|su) (?:respuesta|resumen)\b|\b(?:responde|contesta) (?:solo |[úu]nicamente )?(?:con|en)\b",
        r"\bdans (?:ta|votre) (?:r[ée]ponse|r[ée]sum[ée])\b",
        r"\b(?:r[ée]ponds|r[ée]pondez) (?:uniquement |seulement )?(?:par|en|avec)\b",
        r"\bin (?:deiner|ihrer|der) (?:antwort|zusammenfassung)\b|\bantworte (?:nur |ausschlie[ßs]lich )?(?:mit|auf)\b",
        r"\bnella (?:tua|sua) (?:risposta|sintesi)\b|\brispondi (?:solo |soltanto )?(?:con|in)\b",
        r"\bna (?:sua|tua) (?:resposta|resumo)\b|\bresponda (?:apenas |somente )?(?:com|em)\b",
        r"(?:回答|返答|返信|応答|要約)(?:の(?:最初|最後|冒頭|末尾)に|に(?:必ず)?(?:含め|追加|入れ|記載|書))",
        r"(?:ユーザー|利用者)に(?:伝え|言っ|知らせ)",
    ),
    _cue(
        "asks to keep the instruction secret",
        2.0,
        3.5,
        r"\b(?:do not|don't|never) (?:tell|mention|reveal|let|inform)\w* (?:the user|them|anyone)\b",
        r"\b(?:do not|don't|never) (?:mention|reveal|disclose) (?:this|these) (?:instruction|message|note)s?\b",
        r"\bno (?:le )?(?:digas|menciones|reveles) (?:al usuario|esto|estas instrucciones)\b",
        r"\bne (?:le )?(?:dis|dites|mentionne[zr]?|r[ée]v[èe]le[zr]?) (?:pas|jamais)"
        r" (?:[àa] l'utilisateur|ces instructions)\b",
        r"\b(?:sag|erw[äa]hne|verrate) (?:dem (?:nutzer|benutzer)|es) (?:nicht|niemals)\b",
        r"\bnon (?:dire|menzionare|rivelare) (?:all'utente|queste istruzioni)\b",
        r"\bn[ãa]o (?:diga|mencione|revele) (?:ao usu[áa]rio|estas instru[çc][õo]es)\b",
        r"(?:ユーザー|利用者)に(?:は)?(?:言わない|伝えない|知らせない|教えない)",
    ),
    _cue(
        "asks to send data to an outside address",
        2.5,
        4.0,
        r"\b(?:send|forward|email|e-mail|upload|post|export|leak|transfer|copy)\b"
        r"(?:\W+\w+){0,6}?\W+(?:customer|client|user|account|contact|employee|payment|card)s?\W+"
        r"(?:list|data|records|details|emails|database|passwords?|credentials|numbers)\b"
        r"(?:\W+\w+){0,4}?\W+(?:to|at)\W+(?:\S+@\S+|https?://|www\.)",
        r"\b(?:send|forward|upload)\b(?:\W+\w+){0,4}?\W+(?:passwords?|credentials|api keys?|tokens?|"
        r"conversation history|chat history|system prompt)\b",
        r"\b(?:env[íi]a|reenv[íi]a|envoie|envoyez|transf[èe]re|sende|schicke|leite|invia|inoltra|envie|encaminhe)\w*\b"
        r"(?:\W+\w+){0,6}?\W+(?:clientes|clients|kunden\w*|clienti|usuarios|utilisateurs|utenti|usu[áa]rios)\b"
        # ... to an outside address: an admin sending users a reset link is how help articles speak.
        r"[^\n]{0,80}?(?:\S+@\S+\.\w+|https?://|www\.)",
        r"(?:顧客|ユーザー|利用者|会員)(?:リスト|データ|情報|一覧).{0,20}?(?:送信|送って|転送|メールして)",
    ),
    _cue(
        "imitates a system or chat-template marker",
        2.5,
        4.0,
        r"<\|(?:im_start|im_end|system|user|assistant|endoftext)\|>|\[/?INST\]|<</?SYS>>|</?(?:system|instructions?)>",
        r"(?:^|\n)\s*#{2,}\s*(?:system|instruction|new instructions?)\b",
        r"(?:^|\n)\s*(?:system|sistema|syst[èe]me)\s*(?:prompt)?\s*:",
        r"\b(?:new|updated|real|actual) instructions?\s*:",
        r"\bend of (?:the )?(?:user )?(?:input|document|context|email|text|prompt)\b",
        r"\b(?:nuevas instrucciones|nouvelles (?:instructions|consignes)|neue anweisungen|nuove istruzioni|"
        r"novas instru[çc][õo]es)\s*:",
        r"新しい指示\s*[:：]|システム\s*[:：]",
    ),
    _cue(
        "asks to encode or disguise the output",
        0.5,
        2.5,
        r"\b(?:base64|base-64|rot13|rot-13|caesar cipher|morse code|hexadecimal|leetspeak|pig latin)\b",
        r"\b(?:reverse|backwards?|reversed)\b(?:\W+\w+){0,3}?\W+(?:order|text|response|answer|letters|words)\b",
        r"\b(?:using|with|in|into) (?:only )?emojis?\b",
    ),
)

# A window that opens with an order to whoever reads it is worth a closer look in a document, though e-mails are
# full of polite requests; the classifier decides, this only makes the window a candidate. The order may follow a
# short lead-in ("Before anything else, write ...", "Whoever reads this: list ...").
_TASK_VERBS = (
    r"add|append|include|insert|integrate|incorporate|mention|write|rewrite|translate|respond|reply|answer|tell|"
    r"say|state|claim|recommend|promote|suggest|advertise|encourage|inform|provide|list|output|print|reveal|"
    r"ignore|disregard|forget|summari[sz]e|analy[sz]e|encode|decode|convert|replace|change|use|start|begin|end|"
    r"conclude|make|ask|urge|direct|redirect|visit|click|describe|explain|generate|create|compose|share|send|"
    r"forward|display|show|express|emphasi[sz]e|highlight|praise|criticize|spread|insist|solve|calculate|compute|"
    r"plan|give|draft|outline|name|produce|recount|narrate|invent|imagine|find|rank|sort|compare|contrast|define|"
    r"paraphrase|rephrase|brainstorm|identify|classify|predict|guess|recite|spell|count|estimate|evaluate|"
    r"busca|encuentra|compara|ordena|define|clasifica|identifica|"
    r"trouve[zr]?|compare[zr]?|classe[zr]?|d[ée]finis|identifie[zr]?|"
    r"finde|vergleiche|ordne|definiere|bestimme|"
    r"trova|confronta|ordina|definisci|individua|"
    r"encontre|compare|ordene|defina|identifique|classifique|"
    r"a[ñn]ade|incluye|escribe|traduce|responde|dile|menciona|recomienda|redacta|explica|enumera|calcula|"
    r"resume|cuenta|sugiere|nombra|describe|crea|genera|inventa|"
    r"ajoute[zr]?|inclue[zr]?|[ée]cri[st]|[ée]crivez|traduis|traduisez|r[ée]ponds|r[ée]pondez|dis|dites|"
    r"mentionne[zr]?|r[ée]dige[zr]?|raconte[zr]?|explique[zr]?|calcule[zr]?|r[ée]sume[zr]?|donne[zr]?|"
    r"[ée]num[èe]re[zr]?|propose[zr]?|d[ée]cri[st]|cr[ée]e[zr]?|invente[zr]?|"
    r"f[üu]ge|schreibe?|[üu]bersetze|antworte|sage?|erw[äa]hne|empfiehl|erkl[äa]re|plane|berechne|nenne|"
    r"beschreibe|erz[äa]hle|gib|fasse|erstelle|erfinde|"
    r"aggiungi|includi|scrivi|traduci|rispondi|dì|menziona|consiglia|spiega|elenca|componi|racconta|calcola|"
    r"riassumi|descrivi|suggerisci|proponi|pianifica|fornisci|crea|inventa|"
    r"adicione|inclua|escreva|traduza|responda|diga|mencione|recomende|explique|calcule|"
    # "Liste" is also the French and German noun ("Liste d'adresses", "Liste der Benutzer").
    r"liste(?=\s+(?!d[e']|des\b|der\b|von\b|zeigt\b)[^\W\d_])|resuma|descreva|"
    r"conte|sugira|planeje|dê|forne[çc]a|crie|invente|"
    # Familiar forms with the reader as object, and German's short imperative: how a task is asked in passing.
    r"cu[ée]ntame|escr[íi]beme|expl[íi]came|dame|hazme|"
    r"raconte-moi|[ée]cris-moi|explique-moi|donne-moi|"
    r"erz[äa]hl|schreib|erkl[äa]r|"
    r"raccontami|scrivimi|spiegami|dimmi|dammi|"
    r"me conte|me explique|me diga|me d[êe]|"
    # Verbs of creative, teaching and arguing tasks, which no help article's steps use.
    r"draw|sketch|design|teach|discuss|argue|justify|prove|critique|quote|cite|sing|pretend|elaborate|illustrate|"
    r"dibuja|cita|imagina|dise[ñn]a|prop[óo]n|ense[ñn]a|comp[óo]n|haz|recita|canta|argumenta|justifica|"
    r"dessine[zr]?|cite[zr]?|imagine[zr]?|con[çc]ois|enseigne[zr]?|compose[zr]?|fais|faites|chante[zr]?|"
    r"argumente[zr]?|justifie[zr]?|"
    r"zeichne|zitiere|entwirf|lehre|komponiere|verfasse|dichte|singe?|begr[üu]nde|stell dir|"
    r"disegna|cita|immagina|progetta|insegna|fai|canta|argomenta|giustifica|"
    r"desenhe|cite|imagine|projete|proponha|ensine|componha|fa[çc]a|cante|argumente|justifique|"
    # Phrasal and reflexive ways of setting a task: "come up with", "put together", "think of", "denk dir ... aus".
    r"come up with|think (?:up|of)|put together|make up|dream up|jot down|sum up|(?:walk|talk) me through|"
    r"piensa en|pr[ée]par[ae]me|pr[ée]pare-moi|pense à|denk dir|überleg dir|mach mir|pensa a|preparami|"
    r"pense em"
)
# A postscript mark before an order ("P.S.", "P.D.:", "P.-S. :", "PS:") leaves it an order to whoever reads.
_POSTSCRIPT = r"(?:p\.?\s?-?[sd]\.?(?:\s?s\.?)?\s*:?\s+)"
IMPERATIVE_OPENING = re.compile(
    rf"^\W*{_POSTSCRIPT}?(?:[^,:;.!?。\n]{{1,40}}[,:;]\s*)?(?:(?:please|also|now|then|and|first|finally|"
    r"additionally|por favor|"
    rf"s'il vous pla[îi]t|bitte|per favore|favor)\W+)?(?:{_TASK_VERBS})\b",
    re.IGNORECASE,
)
# The verbs of a help article's steps and the names of what they act on: an order made only of these is about the
# product's screens, not a task for the assistant.
_UI_WORDS = re.compile(
    r"\*\*|→|>|\b(?:click|tap|press|select|choose|open|go to|navigate|toggle|enable|disable|turn (?:on|off)|"
    r"sign (?:in|out)|log (?:in|out)|upload|download|drag|scroll|paste|save|button|menu|tab|field|icon|page|"
    r"screen|settings|dashboard|filters?|columns?|rows?|links?|options?|box|panel|sidebar|checkbox|dropdown|"
    r"haz clic|pulsa|selecciona|abre|ve a|guardar|bot[óo]n|men[úu]|pesta[ñn]a|configuraci[óo]n|"
    r"cliquez|clique[rz]?|s[ée]lectionne[zr]?|ouvre[zr]?|enregistre[rz]?|bouton|onglet|param[èe]tres|"
    r"klicken|klicke|w[äa]hle[n]?|[öo]ffne[n]?|speichern|schaltfl[äa]che|einstellungen|"
    r"fai clic|premi|seleziona|apri|salva|pulsante|impostazioni|"
    r"clique em|toque em|selecione|abra|salvar|bot[ãa]o|configura[çc][õo]es)\b|"
    r"クリック|タップ|選択|開き|保存|ボタン|設定|メニュー|画面",
    re.IGNORECASE,
)
# What a support document's orders are about: its product's objects. A task slipped into a document is about the
# world outside it (a poem, a recipe, a capital city) and rarely names them.
_PRODUCT_WORDS = re.compile(
    r"\b(?:accounts?|invoices?|billing|payments?|subscriptions?|seats?|licen[cs]es?|users?|admins?|r[ôo]les?|"
    r"permissions?|workspaces?|customers?|clients?|tickets?|refunds?|passwords?|log ?in|sign-?in|tokens?|api|"
    r"webhooks?|integrations?|exports?|imports?|reports?|dashboards?|fields?|columns?|rows?|files?|csv|pdf|"
    r"settings|profiles?|email address|domains?|sso|saml|regions?|records?|contacts?|leads?|deals?|pipelines?|"
    r"macros?|templates?|rules?|forms?|widgets?|browser|cache|devices?|currency|amounts?|quote|proposal|renewal|"
    r"conversations?|conversaci[óo]n(?:es)?|konversation(?:en)?|conversazion[ei]|conversas?|conversa[çc][õo]es|"
    r"(?:credit|debit|payment) cards?|tarjetas?|cart[ãa]o|cart[õo]es|cartes? bancaires?|kreditkarten?|"
    r"cuentas?|facturas?|pagos?|suscripci[óo]n|usuarios?|contrase[ñn]as?|informes?|campos?|columnas?|archivos?|"
    r"reglas?|datos|regi[óo]n|"
    r"comptes?|factures?|paiements?|abonnements?|utilisateurs?|mot de passe|rapports?|champs?|colonnes?|"
    r"fichiers?|r[èe]gles?|jetons?|donn[ée]es|r[ée]gion|autorisations?|"
    r"kont(?:o|en)|rechnung(?:en)?|zahlung(?:en)?|benutzer\w*|passw[oö]rt\w*|kunden?|berichte?|felder?|"
    r"spalten?|dateie?n?|regeln?|daten|"
    r"fatture?|pagamenti|abbonament[oi]|utent[ei]|regol[ae]|dati|colonn[ae]|"
    r"faturas?|assinaturas?|usu[áa]rios?|senhas?|relat[óo]rios?|arquivos?|regras?|dados|regi[ãa]o)\b|"
    r"アカウント|請求|支払|ユーザー|パスワード|顧客|レポート|ファイル|ルール|トークン|リージョン|データ|管理者|"
    r"ワークスペース|商談|担当者|ライセンス|見積",
    re.IGNORECASE,
)
_OUTSIDE_ADDRESS = re.compile(r"https?://|www\.|\S+@\S+\.\w+|\b[\w-]+\.(?:example|com|net|org|io|info|biz|xyz|ru|cn)\b")
# A task verb where an order can stand: opening the window, or after a comma or "and/then/or" in one of the languages.
_CHAINED_ORDER = re.compile(
    rf"(?:^\W*|[,;:]\s*|\b(?:and|then|or|y|luego|et|puis|und|dann|oder|e|poi|ou|depois)\s+)((?:{_TASK_VERBS}))\b",
    re.IGNORECASE,
)
# A capitalised word after a word, with no sentence end between them: where an order glued onto the end of a
# truncated or unpunctuated sentence begins ("... the Mercury T Write your answer in French").
_CAPITAL_AFTER_WORD = re.compile(r"(?<=[\w)\]\"'])[ \t]+(?=[A-ZÀ-ÖØ-Þ])")
# German capitalises every noun, so "Die Liste" or "der Plan" is an article and its noun, not a glued order.
_ARTICLE_BEFORE = re.compile(
    r"\b(?:the|a|an|die|der|das|den|dem|des|ein|eine|einen|einem|einer|la|le|les|el|il|lo|un|une|una|o|os|as)$",
    re.IGNORECASE,
)
_ORDER_HERE = re.compile(rf"(?:{_TASK_VERBS})\b", re.IGNORECASE)
# Other ways a glued-on request opens: a polite word, or a question to the reader that the window ends on.
_GLUED_REQUEST = re.compile(
    r"(?:please|kindly|por favor|s'il vous pla[îi]t|bitte|per favore)\b|"
    r"(?:I(?: would|'d)? (?:like|want|need)|can you|could you|would you|will you|help me|"
    r"me gustar[íi]a|quiero que|puedes|podr[íi]as|j'aimerais|je voudrais|peux-tu|pourriez-vous|pouvez-vous|"
    r"ich m[öo]chte|kannst du|k[öo]nnten sie|vorrei|puoi|potresti|gostaria|voc[êe] pode|poderia)\b|"
    r"[¿]?(?:what|which|who|how|when|where|why|qu[ée]|cu[áa]l|qui[ée]n|c[óo]mo|cu[áa]ndo|d[óo]nde|quel(?:le)?s?|"
    r"comment|pourquoi|welche[rsnm]?|wer|wie|wann|warum|quale|chi|come|quando|dove|perch[ée]|qual|quem|onde)\b"
    r"[^.!?\n]*[?]\s*$",
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|t[úu]|usted|tu|vous|du|dein\w*|voc[êe])\b|あなた|君", re.IGNORECASE)
_ORDER_TO_YOU = re.compile(
    r"\byou (?:must|should|have to|need to|are (?:now|to|required to))\b|"
    r"\byour (?:answer|reply|response|output|summary|task|job|role)\b|"
    r"\b(?:debes|tienes que|tu respuesta|tu dois|vous devez|ta r[ée]ponse|votre r[ée]ponse|du musst|sie m[üu]ssen|"
    r"deine antwort|devi|la tua risposta|voc[êe] deve|sua resposta)\b|あなたは.{0,10}(?:必要|べき)",
    re.IGNORECASE,
)
# An order given in the third person: "the reader must urge ...", "whoever reads this should write ...".
_ORDER_BY_MODAL = re.compile(
    r"\b(?:must|should|has to|have to|needs? to|is to|are to|debe|deben|doit|doivent|muss|m[üu]ssen|soll|deve|devono)"
    rf"\s+(?:(?:first|now|always|also|primero|d'abord|zuerst|prima|sempre)\s+)?(?:{_TASK_VERBS}|urge)\b",
    re.IGNORECASE,
)
# A request in the first person: "I would like a story about ...", "help me understand ...", "j'aimerais que tu ...".
_REQUEST = re.compile(
    r"\bI(?: would|'d)? (?:like|love|want|need)\b|\bhelp me\b|\b(?:can|could|would|will) you\b|"
    r"\bme gustar[íi]a\b|\bquiero que\b|\bnecesito que\b|\bay[úu]dame\b|"
    r"\bj'aimerais\b|\bje voudrais\b|\bje veux que\b|\baide-moi\b|\bpourrais-tu\b|\bpouvez-vous\b|"
    r"\bich h[äa]tte gerne?\b|\bich m[öo]chte\b|\bich brauche\b|\bhilf mir\b|\bkannst du\b|\bk[öo]nnen sie\b|"
    r"\bvorrei\b|\bmi piacerebbe\b|\bvoglio che\b|\baiutami\b|\bpuoi\b|"
    r"\bgostaria\b|\bquero que\b|\bpreciso que\b|\bme ajude\b|\bvoc[êe] pode\b|"
    r"(?:て|で)?(?:ほしい|欲しい)です|(?:もらえ|いただけ)(?:ます|ません)か",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"[?？]")
# Polite orders, and the casual request that ends a sentence on the te-form ("教えて。").
_JA_ORDER = re.compile(r"(?:て|で)(?:ください|下さい)|なさい|せよ|すること|[てで](?:ね|よ)?[。！!]?$")


def find_cues(text: str, kind: InputKind) -> list[CueHit]:
    """Every cue that occurs in `text`, once per reason (its first occurrence), with its weight for `kind`."""
    hits: list[CueHit] = []
    for cue in CUES:
        match = cue.pattern.search(text)
        if match is not None:
            hits.append(CueHit(cue.reason, cue.weight(kind), match.start(), match.end()))
    return hits


def looks_addressed_to_reader(text: str) -> bool:
    """Whether a window gives an order, asks a question or speaks to "you": the shape every instruction has."""
    return bool(
        IMPERATIVE_OPENING.search(text)
        or _SECOND_PERSON.search(text)
        or _JA_ORDER.search(text)
        or _QUESTION.search(text)
    )


def gives_an_order(text: str) -> bool:
    """Whether a document's window gives an order, makes a request or asks a question; "you" alone is how documents
    speak."""
    return bool(
        IMPERATIVE_OPENING.search(text)
        or opens_with_an_order(text)
        or _ORDER_TO_YOU.search(text)
        or _ORDER_BY_MODAL.search(text)
        or _REQUEST.search(text)
        or _JA_ORDER.search(text)
        or _QUESTION.search(text)
    )


def product_words(text: str) -> int:
    """How many distinct words of the support domain (accounts, invoices, users, settings, data) a window names.

    None count in a window that points outside (a web address, an e-mail address): "reset your password at
    some-site.example" names the product's objects to send the reader elsewhere.
    """
    if _OUTSIDE_ADDRESS.search(text):
        return 0
    return len({m.group(0).lower() for m in _PRODUCT_WORDS.finditer(text)})


def only_ui_orders(text: str) -> bool:
    """Whether a window's orders are all about the product's screens: UI words and no other task verb.

    "Click **Save**" and "Go to Settings → Billing" are how help articles speak; "Click Save, then write a poem"
    still carries a task.
    """
    # "I'd like a menu for a dinner party" names a UI word and no task verb; a request is no step on a screen.
    if not _UI_WORDS.search(text) or _REQUEST.search(text):
        return False
    return all(m.group(1).lower() in _UI_ONLY_VERBS for m in _CHAINED_ORDER.finditer(text))


# Task verbs that a UI step uses in its own sense ("use the filter", "change the role", "add a user").
_UI_ONLY_VERBS = frozenset(
    "add use change start begin end make click show display share send forward visit include insert enter".split()
)


def glued_order_gaps(text: str, *, at_edge: bool = False) -> list[tuple[int, int]]:
    """The (start, end) of the blank before each order that begins mid-sentence, so the window can be cut there.

    At a document's edge (`at_edge`) any order shape counts, not only a task verb: a task appended to a document
    that ends on a truncated line ("... The Mercury T") or a signature is glued onto it. Inside a document, where
    German capitalises every noun, only a task verb or a request does.
    """
    return [
        m.span()
        for m in _CAPITAL_AFTER_WORD.finditer(text)
        if (
            _ORDER_HERE.match(text, m.end())
            or _GLUED_REQUEST.match(text, m.end())
            or (at_edge and _opens_on_an_order(text[m.end() :]))
        )
        and not _ARTICLE_BEFORE.search(text, 0, m.start())
    ]


def _opens_on_an_order(text: str) -> bool:
    """Whether `text`, following other words on its line, opens on an order of any shape."""
    return bool(
        IMPERATIVE_OPENING.match(text) or _ORDER_TO_YOU.match(text) or opens_with_an_order(text, mid_sentence=True)
    )
