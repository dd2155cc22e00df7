"""Replies leads write, one per intent and language: the demo feeds them back and the tests check each class."""

from __future__ import annotations

from cadre.sales.models import ReplyClass

SAMPLE_REPLIES: dict[ReplyClass, dict[str, str]] = {
    "interested": {
        "en": "Thanks for reaching out. Yes, we are interested - could you send me some times for a call next week?",
        "es": "Gracias por escribir. Sí, me interesa. ¿Podemos agendar una llamada la semana que viene?",
        "fr": "Merci pour votre message. Oui, ça m'intéresse : pouvons-nous organiser un appel la semaine prochaine ?",
        "de": "Danke für Ihre Nachricht. Ja, wir sind interessiert. Schicken Sie mir gerne Termine für nächste Woche.",
        "it": "Grazie del messaggio. Sì, sono interessato: organizziamo una chiamata la prossima settimana?",
        "pt": "Obrigado pelo contacto. Sim, tenho interesse. Vamos marcar uma chamada para a próxima semana?",
        "ja": "ご連絡ありがとうございます。興味があります。来週お打ち合わせの日程をいただけますか。",
    },
    "question": {
        "en": "How much does Halyard Relay cost per seat, and does it integrate with Slack?",
        "es": "¿Cuánto cuesta Halyard Relay por usuario y se integra con Slack?",
        "fr": "Combien coûte Halyard Relay par utilisateur, et est-ce qu'il s'intègre à Slack ?",
        "de": "Was kostet Halyard Relay pro Nutzer, und gibt es eine Integration mit Slack?",
        "it": "Buongiorno, quanto costa Halyard Relay per ogni utente? Si può collegare anche a Slack?",
        "pt": "Quanto custa o Halyard Relay por utilizador e integra com o Slack?",
        "ja": "Halyard Relay の1ユーザーあたりの料金はいくらですか。Slack と連携できますか。",
    },
    "not_now": {
        "en": "Thanks, but this is not a priority right now. Maybe next quarter.",
        "es": "Gracias, pero ahora no es una prioridad. Quizás el próximo trimestre.",
        "fr": "Merci, mais ce n'est pas une priorité pour le moment. Peut-être le trimestre prochain.",
        "de": "Danke, aber das hat derzeit keine Priorität. Vielleicht im nächsten Quartal.",
        "it": "Grazie, ma non è una priorità adesso. Forse il prossimo trimestre.",
        "pt": "Obrigado, mas agora não é uma prioridade. Talvez no próximo trimestre.",
        "ja": "ご連絡ありがとうございます。現時点では検討しておりません。来期にまたご連絡ください。",
    },
    "unsubscribe": {
        "en": "Please unsubscribe me from these e-mails.",
        "es": "Por favor, denme de baja de estos correos. No me escriban más.",
        "fr": "Merci de me désinscrire, je ne souhaite plus recevoir ces e-mails.",
        "de": "Bitte tragen Sie mich aus und kontaktieren Sie mich nicht mehr.",
        "it": "Cancellatemi per favore, non voglio più ricevere queste e-mail.",
        "pt": "Por favor, parem de enviar estes e-mails. Não quero receber mais.",
        "ja": "今後のメールは不要です。配信停止をお願いします。",
    },
    "out_of_office": {
        "en": "I am out of the office until 3 December with limited access to e-mail.",
        "es": "Estoy fuera de la oficina hasta el 3 de diciembre, con acceso limitado al correo.",
        "fr": "Je suis absent du bureau jusqu'au 3 décembre, avec un accès limité à mes e-mails.",
        "de": "Ich bin bis zum 3. Dezember nicht im Büro und lese meine E-Mails nur eingeschränkt.",
        "it": "Sono fuori ufficio fino al 3 dicembre, con accesso limitato alla posta.",
        "pt": "Estou fora do escritório até 3 de dezembro, com acesso limitado ao e-mail.",
        "ja": "ただいま不在にしております。12月3日に戻ります。",
    },
    "wrong_person": {
        "en": "I'm not the right person for this. Please contact my colleague at ops.lead@example.com.",
        "es": "No soy la persona adecuada para esto; no me encargo de estas compras.",
        "fr": "Je ne suis pas la bonne personne : je ne m'occupe pas de ces sujets.",
        "de": "Ich bin dafür nicht zuständig. Wenden Sie sich bitte an unsere IT-Leitung.",
        "it": "Non sono la persona giusta, non mi occupo di questi acquisti.",
        "pt": "Não sou a pessoa certa para isto, não trato destas compras.",
        "ja": "私はこの件の担当ではありません。",
    },
}
