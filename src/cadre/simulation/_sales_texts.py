"""What website visitors, leads and sellers write, per kind of visit and language; `{…}` are filled in."""
# ruff: noqa: RUF001  (Japanese text ends its questions with a full-width question mark)

from __future__ import annotations

Texts = dict[str, dict[str, tuple[str, ...]]]

CONCIERGE: Texts = {
    "product": {
        "en": ("What does Halyard Relay do?", "Can Pulse export reports to CSV?", "Does Beacon score leads?"),
        "es": ("¿Para qué sirve Halyard Vault?", "¿Pipeline tiene previsiones de ventas?"),
        "fr": ("Que fait Halyard Pulse ?", "Relay propose-t-il un portail client ?"),
        "de": ("Was kann Halyard Beacon?", "Wo werden unsere Daten gespeichert?"),
        "it": ("A cosa serve Halyard Relay?", "Come funzionano le macro in Relay?"),
        "pt": ("O que faz o Halyard Pipeline?", "Existe um teste gratuito?"),
        "ja": ("Halyard Pulseでは何ができますか？", "Slackと連携できますか？"),
    },
    "pricing": {
        "en": ("How much does Relay cost?", "What is the price of Pipeline Enterprise in euros?"),
        "es": ("¿Cuánto cuesta Beacon?",),
        "fr": ("Combien coûte Halyard Vault ?",),
        "de": ("Wie viel kostet Relay Professional im Monat?",),
        "it": ("Quanto costa Pulse?",),
        "pt": ("Quanto custa o Pipeline?",),
        "ja": ("Relayの料金はいくらですか？",),
    },
    "off_topic": {
        "en": ("Can you recommend a good movie for tonight?",),
        "es": ("¿Me cuentas un chiste?",),
        "fr": ("Quel temps fera-t-il à Paris ce week-end ?",),
        "de": ("Wer hat gestern das Fußballspiel gewonnen?",),
        "it": ("Mi consigli una ricetta per la cena?",),
        "pt": ("Quem ganhou o jogo de ontem?",),
        "ja": ("おすすめの映画を教えてください",),
    },
    "human": {
        "en": ("Can I talk to a real person from sales?",),
        "es": ("Quiero hablar con una persona de ventas",),
        "fr": ("Je voudrais parler à une personne de l'équipe commerciale",),
        "de": ("Ich möchte mit einem Menschen aus dem Vertrieb sprechen",),
        "it": ("Vorrei parlare con una persona del commerciale",),
        "pt": ("Quero falar com uma pessoa de vendas",),
        "ja": ("営業の担当者と話したいです",),
    },
}

# A visitor who wants to buy answers the concierge's questions in turn: need, timeline, budget, who decides, e-mail.
BUYING: dict[str, tuple[str, str, str, str, str]] = {
    "en": (
        "We'd like a demo of {product} for our team of 30",
        "Within the next three months",
        "Around 2,000 dollars a month",
        "I decide together with our CFO",
        "{email}",
    ),
    "es": (
        "Queremos una demo de {product} para nuestro equipo",
        "En tres meses",
        "Unos 1.500 euros al mes",
        "Lo decido yo",
        "Mi correo es {email}",
    ),
    "fr": (
        "Nous aimerions une démo de {product} pour notre équipe",
        "Dans six mois",
        "Environ 800 euros par mois",
        "Je décide avec mon directeur",
        "{email}",
    ),
    "de": (
        "Wir möchten ein Angebot für {product}",
        "Im nächsten Quartal",
        "Etwa 1.500 Euro im Monat",
        "Ich entscheide das selbst",
        "{email}",
    ),
    "it": (
        "Vorrei una demo di {product} per il nostro reparto",
        "Entro due mesi",
        "Circa 600 euro al mese",
        "Decido io",
        "{email}",
    ),
    "pt": (
        "Gostaria de uma demonstração do {product} para a nossa equipe",
        "No próximo trimestre",
        "Cerca de 3 mil reais por mês",
        "Eu decido junto com o diretor financeiro",
        "{email}",
    ),
    "ja": (
        "{product}のデモをお願いしたいです",
        "3か月以内です",
        "予算は月20万円ほどです",
        "私が決裁者です",
        "{email}",
    ),
}

SDR: Texts = {
    "interested": {
        "en": ("Thanks for reaching out - yes, let's set up a call with your team.",),
        "es": ("Gracias por el correo. Sí, nos interesa, ¿podemos agendar una reunión?",),
        "fr": ("Merci, c'est intéressant. Pouvons-nous organiser un appel ?",),
        "de": ("Danke, das klingt gut. Können wir einen Termin vereinbaren?",),
        "it": ("Grazie, ci interessa. Possiamo fissare una chiamata?",),
        "pt": ("Obrigado, temos interesse. Podemos marcar uma reunião?",),
        "ja": ("ご連絡ありがとうございます。ぜひ打ち合わせをお願いします。",),
    },
    "question": {
        "en": ("Does Relay integrate with Slack?",),
        "es": ("¿Pipeline se integra con nuestro calendario?",),
        "fr": ("Est-ce que Pulse peut exporter les rapports en CSV ?",),
        "de": ("Wo werden die Daten gespeichert?",),
        "it": ("Beacon può assegnare un punteggio ai lead?",),
        "pt": ("O Relay tem um portal para clientes?",),
        "ja": ("Vaultのデータはどこに保存されますか？",),
    },
    "not_now": {
        "en": ("Not a priority right now, maybe next quarter.",),
        "es": ("Ahora no es buen momento, quizá el próximo trimestre.",),
        "fr": ("Pas pour le moment, revenez vers nous l'année prochaine.",),
        "de": ("Im Moment haben wir kein Budget, vielleicht im nächsten Quartal.",),
        "it": ("Al momento non è una priorità, forse il prossimo trimestre.",),
        "pt": ("Agora não é o momento, talvez no próximo trimestre.",),
        "ja": ("今は優先度が低いので、来期にまたご連絡ください。",),
    },
    "unsubscribe": {
        "en": ("Please remove me from your mailing list.",),
        "es": ("Por favor, no me envíen más correos.",),
        "fr": ("Merci de me retirer de votre liste de diffusion.",),
        "de": ("Bitte schicken Sie mir keine E-Mails mehr.",),
        "it": ("Per favore, rimuovetemi dalla vostra lista.",),
        "pt": ("Por favor, me retirem da lista de e-mails.",),
        "ja": ("今後のメール配信を停止してください。",),
    },
    "out_of_office": {
        "en": ("I am out of the office until December 8 with limited access to email.",),
        "es": ("Estoy fuera de la oficina hasta el 8 de diciembre.",),
        "fr": ("Je suis absent du bureau jusqu'au 8 décembre.",),
        "de": ("Ich bin bis zum 8. Dezember nicht im Büro.",),
        "it": ("Sono fuori ufficio fino all'8 dicembre.",),
        "pt": ("Estou fora do escritório até 8 de dezembro.",),
        "ja": ("12月8日まで不在にしております。",),
    },
    "wrong_person": {
        "en": ("I'm not the right person for this, our IT director decides on tools.",),
        "es": ("No soy la persona adecuada, lo decide nuestro director de TI.",),
        "fr": ("Je ne suis pas la bonne personne, c'est notre DSI qui décide.",),
        "de": ("Dafür bin ich nicht zuständig, das entscheidet unsere IT-Leitung.",),
        "it": ("Non sono la persona giusta, decide il nostro responsabile IT.",),
        "pt": ("Não sou a pessoa certa, quem decide é o nosso diretor de TI.",),
        "ja": ("私は担当ではありません。IT部長が決めています。",),
    },
    "human": {
        "en": ("Can your sales rep call me back tomorrow?",),
        "es": ("¿Puede llamarme un comercial? Prefiero hablar con una persona.",),
        "fr": ("Je préfère parler à une personne, un commercial peut-il m'appeler ?",),
        "de": ("Ich würde lieber mit einem Menschen sprechen, kann mich jemand anrufen?",),
        "it": ("Preferisco parlare con una persona, qualcuno può chiamarmi?",),
        "pt": ("Prefiro falar com uma pessoa, alguém pode me ligar?",),
        "ja": ("担当者と話したいので、お電話いただけますか？",),
    },
}

SELLER: Texts = {
    "pricing": {
        "en": ("What's the list price of {product} Professional?", "Can I give 10% off {product} Enterprise?"),
        "de": ("Was kostet {product} Enterprise in EUR pro Lizenz?", "Darf ich 12 Prozent Rabatt auf {product} geben?"),
        "ja": ("{product} エンタープライズで 20% 値引きは可能ですか？",),
    },
    "account": {
        "en": (
            "What are the open opportunities at {account}?",
            "Any recent support cases at {account}?",
            "How healthy is {account}?",
            "Who are our contacts at {account}?",
            "Give me an overview of {account}",
            "When did we last touch {account}?",
        ),
        "de": (
            "Welche offenen Verkaufschancen hat {account} im Moment?",
            "Gibt es aktuelle Support-Cases bei {account}?",
        ),
        "ja": ("{account} の最近のサポートケースを教えてください", "{account} の連絡先を教えてください"),
    },
    "competition": {
        "en": ("How do we win against Norquay?", "The prospect is also looking at Tidewell. Where do they beat us?"),
        "de": ("Wie positionieren wir uns gegen Norquay?",),
        "ja": ("Tidewell と比較された時はどう対応すればいいですか？",),
    },
    "playbook": {
        "en": (
            "Can I offer monthly billing instead of annual?",
            "What's the minimum number of seats per subscription?",
        ),
        "de": ("Gibt es eine Mindestanzahl an Lizenzen pro Abonnement?",),
        "ja": ("年払いではなく月払いにできますか？",),
    },
}

PRODUCTS = ("Relay", "Pipeline", "Pulse", "Beacon", "Vault")
VISITOR_NAMES = ("alex", "sam", "maria", "jun", "lena", "paolo", "ines", "yuki", "omar", "clara", "tom", "ana")
VISITOR_DOMAINS = ("northwind", "bluepeak", "riverstone", "lumacorp", "kestrel", "oakline", "tessera", "marlow")
