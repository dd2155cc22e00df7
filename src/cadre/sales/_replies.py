"""What the SDR answers a lead's reply, in the seven languages."""

from __future__ import annotations

REPLIES: dict[str, dict[str, str]] = {
    "en": {
        "unsubscribed": "Done: you will not receive any more e-mails from us, {first}.",
        "away_noted": "Noted: we will get back in touch from {date}.",
        "propose": "Thank you, {first}! I have sent you an invitation for a call with {rep} on {slot}. If another "
        "time suits you better, these are free too: {others}. Just reply with the one you prefer.",
        "no_slot": "Thank you, {first}! {rep} will get back to you personally with a few times for a call.",
        "answer": "Thank you for your question, {first}. From our “{title}”:\n\n{excerpt}\n\n{rep} is happy to go "
        "into the details on a short call.",
        "question_handoff": "Thank you for your question, {first}. {rep} will get back to you with an answer.",
        "not_now": "Understood, {first}, thank you for letting me know. I will get back in touch around {date}.",
        "wrong_person_ask": "Thank you, {first}, and sorry for the trouble. Who would be the right person at "
        "{company} to talk to about this? A name and an e-mail address would help a lot.",
        "wrong_person_thanks": "Thank you, {first}! I will get in touch with {referral}.",
        "invite_summary": "Halyard Cloud and {company}: introductory call",
        "invite_description": "A first conversation between {lead} ({company}) and {rep} of Halyard Cloud.",
    },
    "es": {
        "unsubscribed": "Hecho: no recibirá más correos nuestros, {first}.",
        "away_noted": "Anotado: volveremos a escribirle a partir del {date}.",
        "propose": "¡Gracias, {first}! Le he enviado una invitación para una llamada con {rep} el {slot}. Si le va "
        "mejor otro horario, también están libres: {others}. Responda con el que prefiera.",
        "no_slot": "¡Gracias, {first}! {rep} se pondrá en contacto con usted para proponerle horarios.",
        "answer": "Gracias por su pregunta, {first}. De nuestro documento «{title}»:\n\n{excerpt}\n\n{rep} le "
        "explicará los detalles con gusto en una breve llamada.",
        "question_handoff": "Gracias por su pregunta, {first}. {rep} le responderá personalmente.",
        "not_now": "Entendido, {first}, gracias por decírmelo. Volveré a escribirle hacia el {date}.",
        "wrong_person_ask": "Gracias, {first}, y disculpe la molestia. ¿Quién sería la persona adecuada en "
        "{company} para hablar de esto? Un nombre y un correo me ayudarían mucho.",
        "wrong_person_thanks": "¡Gracias, {first}! Me pondré en contacto con {referral}.",
        "invite_summary": "Halyard Cloud y {company}: llamada de presentación",
        "invite_description": "Una primera conversación entre {lead} ({company}) y {rep} de Halyard Cloud.",
    },
    "fr": {
        "unsubscribed": "C'est fait : vous ne recevrez plus d'e-mails de notre part, {first}.",
        "away_noted": "C'est noté : nous reviendrons vers vous à partir du {date}.",
        "propose": "Merci, {first} ! Je vous ai envoyé une invitation pour un appel avec {rep} le {slot}. Si un "
        "autre horaire vous convient mieux, ceux-ci sont libres aussi : {others}. Répondez simplement avec votre "
        "choix.",
        "no_slot": "Merci, {first} ! {rep} reviendra vers vous personnellement avec quelques créneaux.",
        "answer": "Merci pour votre question, {first}. D'après notre document « {title} » :\n\n{excerpt}\n\n{rep} "
        "vous donnera volontiers les détails lors d'un court appel.",
        "question_handoff": "Merci pour votre question, {first}. {rep} vous répondra personnellement.",
        "not_now": "C'est noté, {first}, merci de me l'avoir dit. Je reviendrai vers vous vers le {date}.",
        "wrong_person_ask": "Merci, {first}, et désolé pour le dérangement. Qui serait la bonne personne chez "
        "{company} pour en parler ? Un nom et une adresse e-mail m'aideraient beaucoup.",
        "wrong_person_thanks": "Merci, {first} ! Je vais contacter {referral}.",
        "invite_summary": "Halyard Cloud et {company} : appel de présentation",
        "invite_description": "Un premier échange entre {lead} ({company}) et {rep} de Halyard Cloud.",
    },
    "de": {
        "unsubscribed": "Erledigt: Sie erhalten keine E-Mails mehr von uns, {first}.",
        "away_noted": "Notiert: Wir melden uns ab dem {date} wieder.",
        "propose": "Danke, {first}! Ich habe Ihnen eine Einladung zu einem Gespräch mit {rep} am {slot} geschickt. "
        "Falls Ihnen ein anderer Termin besser passt, sind auch diese frei: {others}. Antworten Sie einfach mit "
        "Ihrem Wunschtermin.",
        "no_slot": "Danke, {first}! {rep} meldet sich persönlich mit Terminvorschlägen bei Ihnen.",
        "answer": "Danke für Ihre Frage, {first}. Aus unserem Dokument „{title}“:\n\n{excerpt}\n\n{rep} erklärt "
        "Ihnen die Details gern in einem kurzen Gespräch.",
        "question_handoff": "Danke für Ihre Frage, {first}. {rep} meldet sich mit einer Antwort bei Ihnen.",
        "not_now": "Verstanden, {first}, danke für die Rückmeldung. Ich melde mich um den {date} wieder.",
        "wrong_person_ask": "Danke, {first}, und entschuldigen Sie die Störung. Wer wäre bei {company} der richtige "
        "Ansprechpartner dafür? Ein Name und eine E-Mail-Adresse würden mir sehr helfen.",
        "wrong_person_thanks": "Danke, {first}! Ich melde mich bei {referral}.",
        "invite_summary": "Halyard Cloud und {company}: Kennenlerngespräch",
        "invite_description": "Ein erstes Gespräch zwischen {lead} ({company}) und {rep} von Halyard Cloud.",
    },
    "it": {
        "unsubscribed": "Fatto: non riceverà più e-mail da parte nostra, {first}.",
        "away_noted": "Preso nota: la ricontatteremo a partire dal {date}.",
        "propose": "Grazie, {first}! Le ho inviato un invito per una chiamata con {rep} il {slot}. Se preferisce "
        "un altro orario, sono liberi anche: {others}. Mi risponda con quello che preferisce.",
        "no_slot": "Grazie, {first}! {rep} la ricontatterà personalmente con alcuni orari.",
        "answer": "Grazie per la domanda, {first}. Dal nostro documento «{title}»:\n\n{excerpt}\n\n{rep} le "
        "spiegherà volentieri i dettagli in una breve chiamata.",
        "question_handoff": "Grazie per la domanda, {first}. {rep} le risponderà personalmente.",
        "not_now": "Capito, {first}, grazie per avermelo detto. La ricontatterò verso il {date}.",
        "wrong_person_ask": "Grazie, {first}, e mi scusi per il disturbo. Chi sarebbe la persona giusta in "
        "{company} con cui parlarne? Un nome e un indirizzo e-mail mi sarebbero molto utili.",
        "wrong_person_thanks": "Grazie, {first}! Contatterò {referral}.",
        "invite_summary": "Halyard Cloud e {company}: chiamata di presentazione",
        "invite_description": "Una prima conversazione tra {lead} ({company}) e {rep} di Halyard Cloud.",
    },
    "pt": {
        "unsubscribed": "Feito: não vai receber mais e-mails nossos, {first}.",
        "away_noted": "Anotado: voltaremos a contactá-lo a partir de {date}.",
        "propose": "Obrigado, {first}! Enviei-lhe um convite para uma chamada com {rep} em {slot}. Se preferir "
        "outro horário, estes também estão livres: {others}. Responda com o que preferir.",
        "no_slot": "Obrigado, {first}! {rep} vai contactá-lo pessoalmente com alguns horários.",
        "answer": "Obrigado pela pergunta, {first}. Do nosso documento “{title}”:\n\n{excerpt}\n\n{rep} explica "
        "com gosto os detalhes numa chamada curta.",
        "question_handoff": "Obrigado pela pergunta, {first}. {rep} vai responder-lhe pessoalmente.",
        "not_now": "Entendido, {first}, obrigado por me dizer. Volto a contactá-lo por volta de {date}.",
        "wrong_person_ask": "Obrigado, {first}, e desculpe o incómodo. Quem seria a pessoa certa na {company} para "
        "falar sobre isto? Um nome e um e-mail ajudariam muito.",
        "wrong_person_thanks": "Obrigado, {first}! Vou entrar em contacto com {referral}.",
        "invite_summary": "Halyard Cloud e {company}: chamada de apresentação",
        "invite_description": "Uma primeira conversa entre {lead} ({company}) e {rep} da Halyard Cloud.",
    },
    "ja": {
        "unsubscribed": "{full}様、配信を停止しました。今後メールはお送りしません。",
        "away_noted": "承知いたしました。{date}以降に改めてご連絡いたします。",
        "propose": "{full}様、ありがとうございます。{slot}に{rep}とのお打ち合わせの招待をお送りしました。"
        "別の時間がよろしければ、{others}も空いております。ご希望の日時をご返信ください。",
        "no_slot": "{full}様、ありがとうございます。{rep}より候補日時を改めてご連絡いたします。",
        "answer": "{full}様、ご質問ありがとうございます。当社資料「{title}」より:\n\n{excerpt}\n\n"
        "詳しくは{rep}が短いお打ち合わせでご説明いたします。",
        "question_handoff": "{full}様、ご質問ありがとうございます。{rep}より改めて回答いたします。",
        "not_now": "{full}様、承知いたしました。ご連絡ありがとうございます。{date}頃に改めてご連絡いたします。",
        "wrong_person_ask": "{full}様、お手数をおかけし申し訳ありません。{company}様でこの件のご担当の方を"
        "ご紹介いただけないでしょうか。お名前とメールアドレスをいただけますと幸いです。",
        "wrong_person_thanks": "{full}様、ありがとうございます。{referral}様にご連絡いたします。",
        "invite_summary": "Halyard Cloud と {company}様: ご紹介のお打ち合わせ",
        "invite_description": "{company}の{lead}様と Halyard Cloud の{rep}による初回のお打ち合わせです。",
    },
}


def reply_text(language: str, key: str, **values: str) -> str:
    return (REPLIES.get(language) or REPLIES["en"])[key].format(**values)
