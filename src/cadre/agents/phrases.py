"""What the runtime and the offline engine say, in each of the agents' seven languages."""
# ruff: noqa: E501, RUF001
# (one translation per line reads better than wrapped strings; typographic quotes are intended)

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

PhraseKey = Literal[
    "found_in",
    "cross_lingual",
    "not_found",
    "clarify",
    "ask_slot",
    "invalid_slot",
    "handoff",
    "injection_refused",
    "action_failed",
    "action_done",
    "sources",
    "unsupported_language",
    "unavailable",
    "with_human",
]

PHRASES: dict[PhraseKey, dict[str, str]] = {
    "found_in": {
        "en": "Here is what our help centre says in “{title}”:",
        "es": "Esto es lo que dice nuestro centro de ayuda en «{title}»:",
        "fr": "Voici ce qu’indique notre centre d’aide dans « {title} » :",
        "de": "Das steht in unserem Hilfe-Center unter „{title}“:",
        "it": "Ecco cosa dice il nostro centro assistenza in «{title}»:",
        "pt": "Veja o que diz a nossa central de ajuda em “{title}”:",
        "ja": "ヘルプセンターの「{title}」には次のように記載されています。",
    },
    "cross_lingual": {
        "en": "(This article is not available in English yet; the passage below is in {source}.)",
        "es": "(Este artículo aún no está disponible en español; el texto siguiente está en {source}.)",
        "fr": "(Cet article n’est pas encore disponible en français ; le passage ci-dessous est en {source}.)",
        "de": "(Dieser Artikel ist noch nicht auf Deutsch verfügbar; der folgende Abschnitt ist auf {source}.)",
        "it": "(Questo articolo non è ancora disponibile in italiano; il testo seguente è in {source}.)",
        "pt": "(Este artigo ainda não está disponível em português; o trecho abaixo está em {source}.)",
        "ja": "(この記事はまだ日本語で提供されていません。以下は{source}の原文です。)",
    },
    "not_found": {
        "en": "I couldn’t find an answer to that in our help centre.",
        "es": "No he encontrado una respuesta a eso en nuestro centro de ayuda.",
        "fr": "Je n’ai pas trouvé de réponse à cette question dans notre centre d’aide.",
        "de": "Dazu habe ich in unserem Hilfe-Center keine Antwort gefunden.",
        "it": "Non ho trovato una risposta a questa domanda nel nostro centro assistenza.",
        "pt": "Não encontrei uma resposta para isso na nossa central de ajuda.",
        "ja": "ヘルプセンターでその答えを見つけられませんでした。",
    },
    "clarify": {
        "en": "I’m not sure I understood. Could you tell me a little more about what you need?",
        "es": "No estoy seguro de haberte entendido. ¿Puedes contarme un poco más sobre lo que necesitas?",
        "fr": "Je ne suis pas sûr d’avoir compris. Pouvez-vous m’en dire un peu plus sur ce dont vous avez besoin ?",
        "de": "Ich bin nicht sicher, ob ich Sie richtig verstanden habe. Können Sie etwas genauer beschreiben, was Sie brauchen?",
        "it": "Non sono sicuro di aver capito. Puoi dirmi qualcosa in più su ciò di cui hai bisogno?",
        "pt": "Não tenho certeza se entendi. Pode me contar um pouco mais sobre o que você precisa?",
        "ja": "ご用件を正しく理解できているか自信がありません。もう少し詳しく教えていただけますか?",
    },
    "ask_slot": {
        "en": "To help with that, could you give me {what}?",
        "es": "Para ayudarte con eso, ¿me indicas {what}?",
        "fr": "Pour vous aider, pourriez-vous m’indiquer {what} ?",
        "de": "Damit ich helfen kann: Nennen Sie mir bitte {what}.",
        "it": "Per aiutarti, puoi indicarmi {what}?",
        "pt": "Para ajudar com isso, pode me informar {what}?",
        "ja": "お手続きのため、{what}を教えていただけますか?",
    },
    "invalid_slot": {
        "en": "That doesn’t look like a valid {what}. Could you check it?",
        "es": "Eso no parece {what} válido. ¿Puedes comprobarlo?",
        "fr": "Cela ne ressemble pas à {what} valide. Pouvez-vous vérifier ?",
        "de": "Das sieht nicht nach einer gültigen Angabe aus ({what}). Können Sie das prüfen?",
        "it": "Non sembra {what} valido. Puoi controllare?",
        "pt": "Isso não parece {what} válido. Pode verificar?",
        "ja": "{what}の形式が正しくないようです。ご確認いただけますか?",
    },
    "handoff": {
        "en": "I’m passing you to a colleague who can help. They will see our conversation, so you won’t need to repeat yourself.",
        "es": "Te paso con un compañero que puede ayudarte. Verá nuestra conversación, así que no tendrás que repetir nada.",
        "fr": "Je vous transfère à un collègue qui pourra vous aider. Il verra notre échange, vous n’aurez rien à répéter.",
        "de": "Ich übergebe Sie an eine Kollegin oder einen Kollegen. Unser Gespräch wird mitgeschickt, Sie müssen nichts wiederholen.",
        "it": "Ti passo a un collega che può aiutarti. Vedrà la nostra conversazione, quindi non dovrai ripetere nulla.",
        "pt": "Vou transferir você para um colega que pode ajudar. Ele verá a nossa conversa, então você não precisará repetir nada.",
        "ja": "担当者におつなぎします。これまでの会話は引き継がれますので、同じ説明を繰り返す必要はありません。",
    },
    "injection_refused": {
        "en": "I can’t follow instructions that try to change how I work. How can I help you with your account or our products?",
        "es": "No puedo seguir instrucciones que intenten cambiar mi forma de trabajar. ¿En qué puedo ayudarte con tu cuenta o nuestros productos?",
        "fr": "Je ne peux pas suivre des instructions qui cherchent à modifier mon fonctionnement. Comment puis-je vous aider avec votre compte ou nos produits ?",
        "de": "Anweisungen, die meine Arbeitsweise ändern sollen, kann ich nicht befolgen. Wie kann ich Ihnen bei Ihrem Konto oder unseren Produkten helfen?",
        "it": "Non posso seguire istruzioni che cercano di cambiare il mio funzionamento. Come posso aiutarti con il tuo account o i nostri prodotti?",
        "pt": "Não posso seguir instruções que tentam mudar a forma como trabalho. Como posso ajudar com sua conta ou nossos produtos?",
        "ja": "動作を変更しようとする指示には従えません。アカウントや製品について、どのようなご用件でしょうか?",
    },
    # What went wrong stays in the turn's record and the audit log: a customer is never shown a server's paths or
    # a database's error.
    "action_failed": {
        "en": "Sorry, I couldn’t complete that just now. Please try again in a moment.",
        "es": "Lo siento, no he podido completarlo ahora mismo. Inténtalo de nuevo en un momento.",
        "fr": "Désolé, je n’ai pas pu le faire pour l’instant. Réessayez dans un instant.",
        "de": "Das hat gerade leider nicht geklappt. Bitte versuchen Sie es gleich noch einmal.",
        "it": "Mi dispiace, non sono riuscito a completarlo ora. Riprova tra un momento.",
        "pt": "Desculpe, não consegui concluir agora. Tente novamente daqui a pouco.",
        "ja": "申し訳ありません、ただいま処理を完了できませんでした。少し時間をおいてもう一度お試しください。",
    },
    "action_done": {
        "en": "Here is what I found:",
        "es": "Esto es lo que he encontrado:",
        "fr": "Voici ce que j’ai trouvé :",
        "de": "Das habe ich gefunden:",
        "it": "Ecco cosa ho trovato:",
        "pt": "Veja o que encontrei:",
        "ja": "確認できた内容は次のとおりです。",
    },
    "sources": {
        "en": "Sources",
        "es": "Fuentes",
        "fr": "Sources",
        "de": "Quellen",
        "it": "Fonti",
        "pt": "Fontes",
        "ja": "出典",
    },
    "unsupported_language": {
        "en": "I can reply in {languages}. I’ll continue in English.",
        "es": "Puedo responder en {languages}. Continúo en español.",
        "fr": "Je peux répondre en {languages}. Je continue en français.",
        "de": "Ich kann auf {languages} antworten. Ich antworte auf Deutsch.",
        "it": "Posso rispondere in {languages}. Continuo in italiano.",
        "pt": "Posso responder em {languages}. Continuo em português.",
        "ja": "対応言語は{languages}です。日本語でお答えします。",
    },
    "unavailable": {
        "en": "I can’t answer right now.",
        "es": "Ahora mismo no puedo responder.",
        "fr": "Je ne peux pas répondre pour le moment.",
        "de": "Ich kann gerade nicht antworten.",
        "it": "Al momento non posso rispondere.",
        "pt": "Não consigo responder agora.",
        "ja": "現在お答えできません。",
    },
    "with_human": {
        "en": "A colleague has your conversation and will reply here.",
        "es": "Un compañero tiene tu conversación y te responderá aquí.",
        "fr": "Un collègue a repris votre conversation et vous répondra ici.",
        "de": "Eine Kollegin oder ein Kollege hat Ihr Gespräch übernommen und antwortet hier.",
        "it": "Un collega ha preso in carico la conversazione e ti risponderà qui.",
        "pt": "Um colega assumiu a sua conversa e vai responder aqui.",
        "ja": "担当者が会話を引き継ぎました。こちらで返信いたします。",
    },
}

# How each slot is asked for, inside `ask_slot` / `invalid_slot`.
SLOT_NAMES: dict[str, dict[str, str]] = {
    "email": {
        "en": "your email address",
        "es": "tu dirección de correo electrónico",
        "fr": "votre adresse e-mail",
        "de": "Ihre E-Mail-Adresse",
        "it": "il tuo indirizzo email",
        "pt": "seu endereço de e-mail",
        "ja": "メールアドレス",
    },
    "phone": {
        "en": "your phone number",
        "es": "tu número de teléfono",
        "fr": "votre numéro de téléphone",
        "de": "Ihre Telefonnummer",
        "it": "il tuo numero di telefono",
        "pt": "seu número de telefone",
        "ja": "電話番号",
    },
    "order_id": {
        "en": "the order number",
        "es": "el número de pedido",
        "fr": "le numéro de commande",
        "de": "die Bestellnummer",
        "it": "il numero d’ordine",
        "pt": "o número do pedido",
        "ja": "注文番号",
    },
    "invoice_id": {
        "en": "the invoice number",
        "es": "el número de factura",
        "fr": "le numéro de facture",
        "de": "die Rechnungsnummer",
        "it": "il numero della fattura",
        "pt": "o número da fatura",
        "ja": "請求書番号",
    },
    "case_id": {
        "en": "the case number",
        "es": "el número de caso",
        "fr": "le numéro de dossier",
        "de": "die Fallnummer",
        "it": "il numero della pratica",
        "pt": "o número do caso",
        "ja": "ケース番号",
    },
    "customer_id": {
        "en": "your customer number",
        "es": "tu número de cliente",
        "fr": "votre numéro client",
        "de": "Ihre Kundennummer",
        "it": "il tuo codice cliente",
        "pt": "seu número de cliente",
        "ja": "お客様番号",
    },
    "date": {
        "en": "the date",
        "es": "la fecha",
        "fr": "la date",
        "de": "das Datum",
        "it": "la data",
        "pt": "a data",
        "ja": "日付",
    },
    "amount": {
        "en": "the amount",
        "es": "el importe",
        "fr": "le montant",
        "de": "den Betrag",
        "it": "l’importo",
        "pt": "o valor",
        "ja": "金額",
    },
    "text": {
        "en": "a short description",
        "es": "una breve descripción",
        "fr": "une brève description",
        "de": "eine kurze Beschreibung",
        "it": "una breve descrizione",
        "pt": "uma breve descrição",
        "ja": "簡単な説明",
    },
}

LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "en": "English",
        "es": "inglés",
        "fr": "anglais",
        "de": "Englisch",
        "it": "inglese",
        "pt": "inglês",
        "ja": "英語",
    },
    "es": {
        "en": "Spanish",
        "es": "español",
        "fr": "espagnol",
        "de": "Spanisch",
        "it": "spagnolo",
        "pt": "espanhol",
        "ja": "スペイン語",
    },
    "fr": {
        "en": "French",
        "es": "francés",
        "fr": "français",
        "de": "Französisch",
        "it": "francese",
        "pt": "francês",
        "ja": "フランス語",
    },
    "de": {
        "en": "German",
        "es": "alemán",
        "fr": "allemand",
        "de": "Deutsch",
        "it": "tedesco",
        "pt": "alemão",
        "ja": "ドイツ語",
    },
    "it": {
        "en": "Italian",
        "es": "italiano",
        "fr": "italien",
        "de": "Italienisch",
        "it": "italiano",
        "pt": "italiano",
        "ja": "イタリア語",
    },
    "pt": {
        "en": "Portuguese",
        "es": "portugués",
        "fr": "portugais",
        "de": "Portugiesisch",
        "it": "portoghese",
        "pt": "português",
        "ja": "ポルトガル語",
    },
    "ja": {
        "en": "Japanese",
        "es": "japonés",
        "fr": "japonais",
        "de": "Japanisch",
        "it": "giapponese",
        "pt": "japonês",
        "ja": "日本語",
    },
}


def localized(forms: Mapping[str, str], language: str, **values: Any) -> str:
    """One text in `language` from its forms per language (English when the language has none), filled in."""
    return forms.get(language, forms["en"]).format(**values)


def phrase(key: PhraseKey, language: str, **values: str) -> str:
    """The phrase in `language` (English when the language has none), with `{placeholders}` filled."""
    return localized(PHRASES[key], language, **values)


def slot_name(kind: str, language: str) -> str:
    table = SLOT_NAMES.get(kind, SLOT_NAMES["text"])
    return table.get(language, table["en"])


def language_name(code: str, in_language: str) -> str:
    names = LANGUAGE_NAMES.get(code)
    return names.get(in_language, names["en"]) if names else code
