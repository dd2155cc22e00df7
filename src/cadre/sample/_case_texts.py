"""Support cases as customers write them, one topic per entry, in the seven languages of the sample."""

from __future__ import annotations

# One support topic per entry, in the seven languages customers write in; `{product}` is filled in.
CASE_TOPICS: tuple[dict[str, tuple[str, str]], ...] = (
    {
        "en": (
            "Cannot log in after password reset",
            "Since I reset my password this morning, {product} says 'invalid credentials' when I sign in. "
            "My colleagues can still log in.",
        ),
        "es": (
            "No puedo iniciar sesión tras restablecer la contraseña",
            "Desde que restablecí mi contraseña esta mañana, {product} me dice 'credenciales no válidas' al "
            "iniciar sesión. Mis compañeros sí pueden entrar.",
        ),
        "fr": (
            "Impossible de me connecter après réinitialisation du mot de passe",
            "Depuis que j'ai réinitialisé mon mot de passe ce matin, {product} affiche « identifiants "
            "invalides » à la connexion. Mes collègues arrivent encore à se connecter.",
        ),
        "de": (
            "Anmeldung nach Zurücksetzen des Passworts nicht möglich",
            "Seit ich heute Morgen mein Passwort zurückgesetzt habe, meldet {product} beim Anmelden "
            "„ungültige Zugangsdaten“. Meine Kollegen können sich weiterhin anmelden.",
        ),
        "it": (
            "Impossibile accedere dopo il reset della password",
            "Da quando ho reimpostato la password stamattina, {product} mi segnala 'credenziali non valide' "
            "all'accesso. I miei colleghi riescono ancora ad accedere.",
        ),
        "pt": (
            "Não consigo entrar depois de redefinir a senha",
            "Desde que redefini minha senha hoje de manhã, o {product} mostra 'credenciais inválidas' ao "
            "entrar. Meus colegas continuam conseguindo acessar.",
        ),
        "ja": (
            "パスワード再設定後にログインできません",
            "今朝パスワードを再設定してから、{product}にサインインすると「認証情報が無効です」と表示されます。"
            "同僚はログインできています。",
        ),
    },
    {
        "en": (
            "CSV export of invoices fails",
            "When I export invoices to CSV in {product}, the download stops at 0 bytes. It worked last month.",
        ),
        "es": (
            "Falla la exportación de facturas a CSV",
            "Al exportar las facturas a CSV en {product}, la descarga se queda en 0 bytes. El mes pasado funcionaba.",
        ),
        "fr": (
            "L'export CSV des factures échoue",
            "Quand j'exporte les factures en CSV dans {product}, le téléchargement s'arrête à 0 octet. Cela "
            "fonctionnait le mois dernier.",
        ),
        "de": (
            "CSV-Export der Rechnungen schlägt fehl",
            "Beim Export der Rechnungen als CSV in {product} bricht der Download bei 0 Byte ab. Letzten Monat "
            "hat es noch funktioniert.",
        ),
        "it": (
            "L'esportazione CSV delle fatture non funziona",
            "Quando esporto le fatture in CSV da {product}, il download si ferma a 0 byte. Il mese scorso funzionava.",
        ),
        "pt": (
            "A exportação de faturas para CSV falha",
            "Quando exporto as faturas para CSV no {product}, o download para em 0 bytes. No mês passado funcionava.",
        ),
        "ja": (
            "請求書のCSVエクスポートが失敗します",
            "{product}で請求書をCSVにエクスポートすると、ダウンロードが0バイトで止まります。先月は問題ありませんでした。",
        ),
    },
    {
        "en": (
            "Charged twice for our subscription",
            "Our card was charged twice this month for {product}. Please refund the duplicate payment.",
        ),
        "es": (
            "Nos han cobrado dos veces la suscripción",
            "Este mes nos han cargado dos veces {product} en la tarjeta. Por favor, devuélvannos el cargo duplicado.",
        ),
        "fr": (
            "Abonnement facturé deux fois",
            "Notre carte a été débitée deux fois ce mois-ci pour {product}. Merci de rembourser le paiement en double.",
        ),
        "de": (
            "Abonnement doppelt abgebucht",
            "Unsere Karte wurde diesen Monat zweimal für {product} belastet. Bitte erstatten Sie die doppelte Zahlung.",
        ),
        "it": (
            "Abbonamento addebitato due volte",
            "Questo mese la nostra carta è stata addebitata due volte per {product}. Vi chiediamo di "
            "rimborsare il pagamento duplicato.",
        ),
        "pt": (
            "Cobrança em duplicidade da assinatura",
            "Nosso cartão foi cobrado duas vezes este mês pelo {product}. Por favor, estornem o pagamento duplicado.",
        ),
        "ja": (
            "サブスクリプションが二重に請求されました",
            "今月、{product}の料金がカードに二重に請求されています。重複分の返金をお願いします。",
        ),
    },
    {
        "en": (
            "Need to add 10 seats",
            "We are onboarding a new team and need 10 more seats on {product}. How do we add them, and how is "
            "it prorated?",
        ),
        "es": (
            "Necesitamos añadir 10 licencias",
            "Vamos a incorporar un equipo nuevo y necesitamos 10 licencias más de {product}. ¿Cómo las "
            "añadimos y cómo se prorratea?",
        ),
        "fr": (
            "Besoin d'ajouter 10 licences",
            "Nous intégrons une nouvelle équipe et avons besoin de 10 licences supplémentaires sur {product}. "
            "Comment les ajouter, et comment le prorata est-il calculé ?",
        ),
        "de": (
            "10 weitere Lizenzen benötigt",
            "Wir nehmen ein neues Team auf und brauchen 10 weitere Lizenzen für {product}. Wie fügen wir sie "
            "hinzu und wie wird anteilig abgerechnet?",
        ),
        "it": (
            "Dobbiamo aggiungere 10 licenze",
            "Stiamo inserendo un nuovo team e ci servono 10 licenze in più per {product}. Come le aggiungiamo "
            "e come viene calcolato il pro rata?",
        ),
        "pt": (
            "Precisamos adicionar 10 licenças",
            "Estamos integrando uma nova equipe e precisamos de mais 10 licenças do {product}. Como "
            "adicionamos e como é feito o cálculo proporcional?",
        ),
        "ja": (
            "ライセンスを10席追加したい",
            "新しいチームを迎えるため、{product}のライセンスがあと10席必要です。追加方法と日割り計算について教えてください。",
        ),
    },
    {
        "en": (
            "Slack integration stopped posting",
            "Since yesterday the Slack integration of {product} no longer posts new conversations to our "
            "channel. We did not change anything.",
        ),
        "es": (
            "La integración con Slack ha dejado de publicar",
            "Desde ayer la integración de {product} con Slack ya no publica las conversaciones nuevas en "
            "nuestro canal. No hemos cambiado nada.",
        ),
        "fr": (
            "L'intégration Slack ne publie plus rien",
            "Depuis hier, l'intégration Slack de {product} ne publie plus les nouvelles conversations dans "
            "notre canal. Nous n'avons rien modifié.",
        ),
        "de": (
            "Slack-Integration postet nicht mehr",
            "Seit gestern postet die Slack-Integration von {product} keine neuen Unterhaltungen mehr in "
            "unseren Kanal. Wir haben nichts geändert.",
        ),
        "it": (
            "L'integrazione con Slack non pubblica più",
            "Da ieri l'integrazione Slack di {product} non pubblica più le nuove conversazioni nel nostro "
            "canale. Non abbiamo modificato nulla.",
        ),
        "pt": (
            "A integração com o Slack parou de publicar",
            "Desde ontem a integração do {product} com o Slack não publica mais as novas conversas no nosso "
            "canal. Não alteramos nada.",
        ),
        "ja": (
            "Slack連携が投稿しなくなりました",
            "昨日から{product}のSlack連携が新しい会話をチャンネルに投稿しなくなりました。設定は何も変更していません。",
        ),
    },
    {
        "en": (
            "Dashboard is very slow",
            "The main dashboard in {product} has taken over a minute to load since last week. Smaller reports "
            "are fine.",
        ),
        "es": (
            "El panel carga muy lento",
            "Desde la semana pasada el panel principal de {product} tarda más de un minuto en cargar. Los "
            "informes pequeños van bien.",
        ),
        "fr": (
            "Le tableau de bord est très lent",
            "Depuis la semaine dernière, le tableau de bord principal de {product} met plus d'une minute à se "
            "charger. Les petits rapports fonctionnent bien.",
        ),
        "de": (
            "Dashboard lädt sehr langsam",
            "Seit letzter Woche braucht das Haupt-Dashboard in {product} über eine Minute zum Laden. Kleinere "
            "Berichte laufen normal.",
        ),
        "it": (
            "La dashboard è molto lenta",
            "Dalla settimana scorsa la dashboard principale di {product} impiega più di un minuto a caricarsi. "
            "I report più piccoli funzionano.",
        ),
        "pt": (
            "O painel está muito lento",
            "Desde a semana passada o painel principal do {product} leva mais de um minuto para carregar. Os "
            "relatórios menores funcionam bem.",
        ),
        "ja": (
            "ダッシュボードの表示が非常に遅い",
            "先週から{product}のメインダッシュボードの読み込みに1分以上かかります。小さなレポートは問題ありません。",
        ),
    },
    {
        "en": (
            "How do we downgrade at renewal?",
            "We would like to move {product} to the Starter edition at our next renewal. What are the steps, "
            "and do we keep our data?",
        ),
        "es": (
            "¿Cómo cambiamos a un plan inferior en la renovación?",
            "Queremos pasar {product} a la edición Starter en la próxima renovación. ¿Qué pasos hay que seguir "
            "y conservamos los datos?",
        ),
        "fr": (
            "Comment passer à une offre inférieure au renouvellement ?",
            "Nous souhaitons passer {product} en édition Starter au prochain renouvellement. Quelles sont les "
            "étapes, et conservons-nous nos données ?",
        ),
        "de": (
            "Wie stufen wir zur Verlängerung herunter?",
            "Wir möchten {product} bei der nächsten Verlängerung auf die Starter-Edition umstellen. Wie gehen "
            "wir vor und bleiben unsere Daten erhalten?",
        ),
        "it": (
            "Come passiamo a un piano inferiore al rinnovo?",
            "Vorremmo passare {product} all'edizione Starter al prossimo rinnovo. Quali sono i passaggi e "
            "manteniamo i nostri dati?",
        ),
        "pt": (
            "Como fazemos o downgrade na renovação?",
            "Gostaríamos de mudar o {product} para a edição Starter na próxima renovação. Quais são os passos "
            "e mantemos nossos dados?",
        ),
        "ja": (
            "更新時のプラン変更方法",
            "次回の更新時に{product}をStarterエディションに変更したいと考えています。手順と、データが保持されるかを教えてください。",
        ),
    },
    {
        "en": (
            "Invoice copy with our VAT number",
            "Please send a copy of our last invoice showing our VAT number. Our finance team cannot book it "
            "without it.",
        ),
        "es": (
            "Copia de factura con nuestro NIF",
            "Por favor, envíennos una copia de la última factura con nuestro NIF. Nuestro departamento "
            "financiero no puede contabilizarla sin él.",
        ),
        "fr": (
            "Copie de facture avec notre numéro de TVA",
            "Merci de nous envoyer une copie de notre dernière facture avec notre numéro de TVA "
            "intracommunautaire. Notre service comptable ne peut pas l'enregistrer sans.",
        ),
        "de": (
            "Rechnungskopie mit unserer USt-IdNr.",
            "Bitte senden Sie uns eine Kopie der letzten Rechnung mit unserer USt-IdNr. Unsere Buchhaltung "
            "kann sie sonst nicht verbuchen.",
        ),
        "it": (
            "Copia della fattura con la nostra partita IVA",
            "Vi chiediamo una copia dell'ultima fattura con la nostra partita IVA. L'amministrazione non può "
            "registrarla senza.",
        ),
        "pt": (
            "Segunda via da fatura com nosso CNPJ",
            "Por favor, enviem uma segunda via da última fatura com o nosso CNPJ. O financeiro não consegue "
            "lançá-la sem ele.",
        ),
        "ja": (
            "登録番号入りの請求書の再発行",
            "直近の請求書を当社の登録番号入りで再発行してください。経理部門で処理できないためです。",
        ),
    },
    {
        "en": (
            "SAML SSO with Okta fails",
            "We are setting up SAML single sign-on with Okta for {product} and get the error 'audience mismatch'.",
        ),
        "es": (
            "Falla el SSO SAML con Okta",
            "Estamos configurando el inicio de sesión único SAML con Okta para {product} y aparece el error "
            "'audience mismatch'.",
        ),
        "fr": (
            "Échec du SSO SAML avec Okta",
            "Nous configurons l'authentification unique SAML avec Okta pour {product} et obtenons l'erreur "
            "« audience mismatch ».",
        ),
        "de": (
            "SAML-SSO mit Okta schlägt fehl",
            "Wir richten SAML-Single-Sign-on mit Okta für {product} ein und erhalten den Fehler „audience mismatch“.",
        ),
        "it": (
            "Il SSO SAML con Okta non funziona",
            "Stiamo configurando il single sign-on SAML con Okta per {product} e riceviamo l'errore 'audience "
            "mismatch'.",
        ),
        "pt": (
            "Falha no SSO SAML com o Okta",
            "Estamos configurando o login único SAML com o Okta para o {product} e aparece o erro 'audience mismatch'.",
        ),
        "ja": (
            "OktaとのSAML SSOが失敗します",
            "{product}でOktaを使ったSAMLシングルサインオンを設定中ですが、「audience mismatch」というエラーが出ます。",
        ),
    },
)
