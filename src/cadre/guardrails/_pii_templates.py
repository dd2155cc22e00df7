"""Sentences written for the PII tagger's training, with slots that `_pii_training` fills from Faker.

Slots: {PER} a full name, {FIRST} a given name, {LAST} a surname (all PERSON); {CITY}, {COUNTRY}, {REGION}
(LOCATION); {ORG} a company as Faker writes one, {BRAND} an invented one-or-two-word brand (ORGANIZATION);
and slots the tagger must leave alone: {JOB}, {EMAIL}, {PHONE}, {ADDR}, {DATE}, {PRODUCT} (Cadre's own
products and common software), {FEATURE} (an add-on in Title Case), {UI} (a screen or button name), {LABEL}
(a form section's heading), {DOC} (an agreement or a law), {NUM}.
They cover what reaches a support agent: chat messages, tickets, e-mail signatures, forms, CRM notes and
help-centre prose, mostly in English, and prose beyond support (stories, reviews, news, transcripts).
"""

from __future__ import annotations

CHAT = """
Hi, this is {PER} from {ORG}. I can't log in since this morning.
Hello, my name is {PER} and I need help with my invoice.
Hey, {FIRST} here. Is {PRODUCT} down again?
Can I speak to {PER} please? She handled my case last week.
Thanks {FIRST}, that fixed it!
I already told {FIRST} about this on the phone.
{FIRST} said you would call me back today.
Please ask {PER} to send the contract to {EMAIL}.
My colleague {PER} will join the call from {CITY}.
We are a small team in {CITY}, {COUNTRY} and we use {PRODUCT} every day.
I'm based in {CITY} so the delivery to {COUNTRY} takes longer.
I moved from {CITY} to {CITY} last year, please update my profile.
Our office in {CITY} still shows the old address.
I'm travelling to {COUNTRY} next week, will my card work there?
Is shipping to {COUNTRY} included in the price?
I work for {ORG} and we want to upgrade to the annual plan.
I work at {BRAND} as a {JOB}.
{BRAND} is our biggest customer in {REGION}.
My manager at {BRAND} asked me to cancel the trial.
The order for {ORG} was shipped to {CITY} on {DATE}.
I ordered it on {DATE} and it still has not arrived in {CITY}.
Hi {FIRST}, could you resend the link? Thanks, {FIRST}
Good morning {PER}, the refund is on its way.
Dear {PER}, thank you for contacting us.
Dear Mr. {LAST}, your ticket has been closed.
Dear Ms {LAST}, we have received your request.
Hello Dr. {LAST}, your appointment is confirmed.
Could you tell {FIRST} that the meeting moved to {DATE}?
{PER} from {BRAND} wants a demo of {PRODUCT}.
{FIRST} and {FIRST} from the {CITY} team will attend.
I spoke with {PER} yesterday and she promised a refund.
My husband {FIRST} opened the account, I'm {FIRST}.
My name's {FIRST}, I bought the pro plan for {BRAND}.
Why did {FIRST} cancel my order?
Where is {FIRST}? He was supposed to call me.
Is {PER} still your account manager?
Who is {PER}? I never gave this person access.
Did {FIRST} get my message about {PRODUCT}?
{FIRST} told me {PRODUCT} would sync with {PRODUCT} automatically.
I'm {FIRST}, the {JOB} at {BRAND}, and I have a question about {PRODUCT}.
We just opened a second store in {CITY}.
The weather in {CITY} delayed our shipment again.
Our headquarters moved to {CITY}, {REGION}.
We ship from {COUNTRY} to customers all over {COUNTRY}.
Do you have a data centre in {COUNTRY} or only in {COUNTRY}?
My bank in {COUNTRY} rejected the payment.
I live in {CITY} and the courier never came.
I was born in {CITY} but I live in {COUNTRY} now.
She grew up in {REGION} and studied in {CITY}.
He flew to {CITY} for the conference.
The {BRAND} office in {CITY} needs five more seats.
{BRAND} bought {BRAND} last year, so we merged our accounts.
We switched from {BRAND} to you because of the price.
Can {BRAND} and {ORG} share one workspace?
Please add {PER} ({EMAIL}) as an admin.
Call {FIRST} on {PHONE} if I'm not available.
You can reach me at {PHONE} or {EMAIL}.
Send the package to {ADDR}, attention {PER}.
Please update my billing address to {ADDR}.
{PER} is leaving {BRAND} at the end of the month.
Congratulations to {PER} on the new role at {ORG}!
I met {FIRST} at the trade fair in {CITY}.
It was great to see you in {CITY}, {FIRST}!
See you in {CITY} on {DATE}, {FIRST}.
Do you know when {FIRST} will be back?
ok thanks {FIRST}
thanks a lot {FIRST}!
On the call: {FIRST}, {FIRST} and {PER}.
Attendees: {PER}, {PER} and {PER}
{LAST}, {LAST} and {LAST} signed the order form.
The approvers are {FIRST}, {LAST} and {FIRST} {LAST}.
{COUNTRY} is one of our fastest growing markets.
{CITY} was packed during the fair, so the booth got lots of visits.
{CITY} is lovely in spring, we should hold the offsite there.
{REGION} has new tax rules from {DATE}.
{COUNTRY} requires a local invoice address.
The {CITY} warehouse is closed on {DATE}.
Trains between {CITY} and {CITY} are cancelled, so the visit moves online.
{FIRST} is on leave until {DATE}.
{PER} joined the team as {JOB}.
{PER} is our new {JOB}.
{LAST} will take over the account from {FIRST}.
Ask {LAST} in finance about the credit note.
I think {FIRST} forgot to approve the order.
Remind me to call {FIRST} {LAST} tomorrow.
Our partner {BRAND} resells the product in {COUNTRY}.
We bought three licences through {BRAND}.
The reseller ({ORG}) sent the wrong invoice.
{BRAND} customers can sign in with their company account.
Invoice from {ORG} attached.
She used to work for {BRAND} in {CITY}.
He is a {JOB} at {ORG} in {CITY}.
Words such as Priority, Urgent and Critical only set the ticket's colour.
The song "{UI} of the {UI}" plays when the call waits.
We watched "The Long Road Home" at the team event.
Our values are Trust, Focus and Care.
Status: Resolved. Priority: High.
I read about it in the Weekly Digest.
Please fill in Personal Details and Contact Info before saving.
Please complete {LABEL} before you submit the form.
Section {NUM} of the {DOC} applies to every order.
Under the {DOC}, refunds take up to 14 days.
Read the {DOC} before you sign.
We updated the {DOC} on {DATE}.
Article {NUM} of the {DOC} says we must delete the data.
Was the {DOC} signed by {PER}?
"{UI} is broken again," {FIRST} wrote.
"Not today," said {FIRST}.
{FIRST} laughed and told {FIRST} to try again later.
{FIRST} asked {FIRST} for the logs.
{FIRST} gave the keys to {FIRST} before leaving.
We called the new printer {FIRST} after our first customer.
They called their daughter {FIRST}.
Has anyone seen {FIRST} today?
Why does {FIRST} always get the early shift?
How old is {FIRST} now?
Is {FIRST} really leaving?
Nobody told {FIRST} about the outage.
Everyone here knows {FIRST} as the person to ask.
Friends call him {FIRST}, but his full name is {PER}.
{FIRST} wants to know if the offer still stands.
{FIRST}'s laptop was stolen, please lock the account.
{PER}'s order arrived broken.
We read {PER}'s report on the outage.
The book by {PER} is on my desk.
A letter from {PER} arrived this morning.
{PER} wrote the song that plays in the lobby.
Meeting notes ({DATE}): {FIRST}, {FIRST}, {FIRST}
{FIRST}: can you check the invoice?
{FIRST}: on it.
{LAST} called twice but nobody picked up.
Mrs {LAST} from accounting called about the refund.
{BRAND} announced a price change for next year.
{BRAND} is hiring support agents in {CITY}.
{BRAND} laid off half of its staff.
{BRAND}'s new app keeps crashing.
The {BRAND} team asked for a longer trial.
My {BRAND} account was charged twice.
I quit my job at {BRAND} last month.
I left {BRAND} to start my own shop.
Before this I spent six years at {ORG}.
{ORG} invoices us every quarter.
Our lawyers at {ORG} will review the terms.
We got a quote from {BRAND} and another from {BRAND}.
Is {BRAND} one of your partners?
{CITY} airport was closed for two days.
The {CITY} station is a short walk from our office.
The road to {CITY} is blocked.
{CITY}'s city council approved the permit.
{COUNTRY} was wonderful this time of year.
We loved {COUNTRY}, the people were so friendly.
Have you ever been to {COUNTRY}?
The {CITY} bridge is closed for repairs.
Our {REGION} customers get a local invoice.
Traffic near {CITY} made me late.
The conference moved from {CITY} to {CITY}.
I left my {BRAND} badge at the front desk.
She printed her {ORG} offer letter twice.
He forwarded his {BRAND} welcome email to the whole team.
Our {ORG} contract ends next spring.
Their {BRAND} invoices always arrive late.
Your {ORG} login page looks different today.
{ORG} designer {PER} will present the new logo.
{BRAND} engineer {FIRST} found the bug in minutes.
{ORG} recruiter {PER} called me about the opening.
{ORG} was founded by {PER} in {CITY}.
{BRAND} started as a side project of {FIRST} and {FIRST}.
"We are late again," said {FIRST} to {FIRST}.
"I found it!" shouted {FIRST} from the other room.
The printer jammed twice, but {FIRST} still wants it on the third floor.
Stop worrying, {FIRST}! The backup worked.
My name is {PER}, but my friends call me {FIRST}.
Everyone in {CITY} knows {LAST} as the best baker in town.
People forget that {LAST} wrote the first version of the app.
Nobody expected more from the early {LAST} than a few demos.
"""

TICKETS = """
Mail {EMAIL} for a copy of the invoice.
Forward it to {EMAIL}, please.
Email {PER} at {EMAIL} about the renewal.
Write to {EMAIL} or call {PHONE}.
Text {FIRST} on {PHONE} when you arrive.
Ping {FIRST} in {PRODUCT} if the export fails.
Cc {EMAIL} on every reply.
Reply to {EMAIL} with the order number.
Ticket opened by {PER} ({EMAIL}): {PRODUCT} export fails with a timeout.
Customer {PER} reports that {UI} shows a blank page.
Escalated to {PER} after two failed attempts.
Assigned to {FIRST}. Customer is based in {CITY}.
Requester: {PER}
Company: {ORG}
Location: {CITY}, {COUNTRY}
Reported by {PER} on {DATE}.
Issue affects all users at {BRAND} in {REGION}.
{PER} ({JOB}, {ORG}) cannot open {UI} after the update.
Account owner {PER} asked to move the workspace to the {COUNTRY} region.
Refund approved by {PER}; customer notified at {EMAIL}.
Duplicate of the ticket raised by {FIRST} {LAST} yesterday.
Customer from {CITY} says the {UI} button does nothing.
{BRAND} admin reports {PRODUCT} stopped syncing with {PRODUCT}.
Callback requested: {PER}, {PHONE}.
"""

CRM = """
Call with {PER} ({JOB}) at {ORG}: interested in {PRODUCT}, budget next quarter.
Met {PER} in {CITY}; they are evaluating us against {BRAND}.
{PER} is the decision maker at {BRAND}, {FIRST} is the champion.
Follow up with {FIRST} after the {CITY} event.
Lead: {PER}, {JOB}, {BRAND}, {CITY}.
Intro from {PER} to {PER} at {ORG}.
{BRAND} expanding to {COUNTRY}; contact {PER}.
Renewal owner: {PER}. Expansion into {REGION} planned.
Sent proposal to {PER} on {DATE}.
{LAST} prefers e-mail; do not call before noon.
Lost to {BRAND} on price. {FIRST} may come back next year.
{PER} left {ORG} and joined {BRAND} as {JOB}.
Demo booked with {PER} and {PER} for {DATE}.
"""

SIGNATURES = """
Best regards,
{PER}
{JOB}
{ORG}
{PHONE}
---
Kind regards,
{PER}
{BRAND} | {CITY}
---
Thanks,
{FIRST}
---
{PER}
{JOB} | {BRAND}
{EMAIL} | {PHONE}
---
{PER}
{JOB}
{ORG}
{ADDR}
---
Cheers,
{FIRST} {LAST}
{BRAND}, {CITY}
---
Sincerely,
{PER}
{JOB}, {ORG}
{CITY}, {COUNTRY}
---
{PER}

{JOB}

Contact:
Phone:
{PHONE}

E-mail:
{EMAIL}

Address:
{ADDR}
---
{PER}
{JOB}
{BRAND}
{ADDR}
---
{FIRST} {LAST}
{JOB} at {ORG}
{CITY}
"""

FORMS = """
Name: {PER}
Email: {EMAIL}
Company: {ORG}
City: {CITY}
Country: {COUNTRY}
---
Full name: {PER}
Phone: {PHONE}
Employer: {BRAND}
Job title: {JOB}
---
Personal details:
{PER}
Contact info:
{PHONE}
{EMAIL}
---
{PER}
{JOB}
{LABEL}:
Phone: {PHONE}
Email: {EMAIL}
{LABEL}:
{ADDR}
---
{LABEL}
{PER}, {CITY}
{LABEL}
{PHONE}
---
Customer details
Name: {PER}
Location: {CITY}
Notes: called about {PRODUCT}
---
First name: {FIRST}
Last name: {LAST}
Country: {COUNTRY}
---
Contact: {PER}
Organisation: {BRAND}
Region: {REGION}
Address: {ADDR}
"""

HELP = """
Open {UI} and choose {UI} to connect {PRODUCT}.
{PRODUCT} sends every event to {PRODUCT} within a minute.
To invite a teammate, go to {UI} and click {UI}.
{PRODUCT} supports single sign-on with {PRODUCT}.
If {PRODUCT} shows an error, check {UI} first.
Admins can turn off {PRODUCT} in {UI}.
The {PRODUCT} integration needs an admin role.
Use {PRODUCT} to route tickets to the right team.
Data stays in the region you chose when you created the workspace.
Click {UI}, then {UI}, to download the report.
{PRODUCT} and {PRODUCT} share the same login.
New in {PRODUCT}: filters on {UI}.
Contact support if {UI} is missing from your menu.
Each plan includes {PRODUCT}; {PRODUCT} is an add-on.
Step 2: Select {UI} and enter the code.
Note: {PRODUCT} keeps deleted items for 30 days.
Why does {PRODUCT} ask me to sign in again?
How do I connect {PRODUCT} to {PRODUCT}?
Can I export data from {PRODUCT}?
Where do I find {UI}?
Is {PRODUCT} available on the free plan?
Our team uses {PRODUCT} and {PRODUCT} for all projects.
## {UI}
### Connect {PRODUCT}
- **{UI}**: choose who can see reports.
- {UI} → {UI} → {UI}
| Plan | Starter | Professional | Enterprise |
| {UI} | ✓ | ✓ | — |
| {PRODUCT} | — | ✓ | ✓ |
1. Open {UI}.
2. Click **{UI}**.
> Tip: {PRODUCT} works best with {PRODUCT}.
The Starter plan includes {PRODUCT}; Professional and Enterprise add {PRODUCT}.
Upgrade to Enterprise to use {PRODUCT} with {PRODUCT}.
Prices in USD, EUR and GBP.
See also: Release Notes, Known Issues, FAQ.
Una vez activado, {PRODUCT} envía los datos a {PRODUCT}.
Para conectar {PRODUCT}, abre {UI}.
Per collegare {PRODUCT}, apri {UI} e scegli {UI}.
Sem acesso de administrador não é possível ativar {PRODUCT}.
Pour connecter {PRODUCT}, ouvrez {UI}.
Um {PRODUCT} zu verbinden, öffnen Sie {UI}.
Die Daten bleiben in der Region, die Sie gewählt haben.
The {FEATURE} add-on is billed monthly.
{FEATURE} is included in the Enterprise plan.
Buy {FEATURE} from {UI} → {UI}.
Is {FEATURE} available for {PRODUCT}?
We offer {FEATURE} and {FEATURE} to every customer on a yearly contract.
| {FEATURE} | 49 USD | per month |
- {FEATURE}: available in English, French, German and Spanish.
{FEATURE} ({PRODUCT}) lets admins export audit logs.
Durante la migración, {PRODUCT} no envía correos.
Complementos: {FEATURE} y {FEATURE}.
Durante o período de teste, {FEATURE} é gratuito.
Nelle impostazioni di {PRODUCT} trovi {FEATURE}.
Dans {UI}, activez {FEATURE}.
Alle Dateien bleiben 30 Tage im Papierkorb.
Unter {UI} finden Sie die Einstellungen für {FEATURE}.
Die Rechnung enthält {FEATURE} und die Mehrwertsteuer.
"""

# Prose beyond support: stories, reviews, news, transcripts and notes, where people go by one name, speak in
# turns, and capitalised words that name nobody open sentences or stand for ideas.
STORIES = """
{FIRST}: Did you see the game last night?
{FIRST}: I told you already, I was at work.
{FIRST}: Remember me? We met in {CITY}.
{FIRST}: That is not what I said, {FIRST}!
"Come back tomorrow," said {FIRST} to {FIRST}.
"We are leaving," {FIRST} told {PER} at the door.
I'm so tired! said {FIRST} to {FIRST}.
{LAST} was influenced by the older poets of {COUNTRY}.
Nobody writes like early {LAST} anymore.
The best chapter is the one where {LAST} finally leaves {CITY}.
Critics compared the album to the work of {PER} in the nineties.
It may be that {LAST} borrowed the tune from an older song by {PER}.
In the film, {FIRST} plays a nurse who falls for {FIRST}.
{PER} wrote most of the songs on the record, with help from {FIRST}.
The novel follows {FIRST} and her brother {FIRST} through a hard winter in {CITY}.
After the show, {FIRST} thanked the crowd and left with {PER}.
{FIRST} just has to get home before midnight. Don't be late, {FIRST}!
Report by {PER}, {ORG}: sales in {REGION} rose again this quarter.
{ORG} announced that {PER} will lead its office in {CITY}.
Shares of {ORG} fell after {PER} resigned as chair.
{PER}, a spokesperson for {ORG}, declined to comment.
The mayor of {CITY} met {PER} to discuss the new bridge.
{ORG} songwriter {PER} wrote the lyrics in one night.
{ORG} engineer {PER} explained the outage to reporters.
{PER} left {ORG} to start her own firm in {CITY}.
Interview with {PER}, founder of {BRAND}.
Review: {BRAND} is fine, but support from {FIRST} made the difference.
We stayed in {CITY} for a week; the host, {FIRST}, was lovely.
Ensure the form is signed before you send it back.
Elaborate on the second point, please.
Sent from my phone.
Attached is the report you asked for.
Regarding your last message, we will reply soon.
Words like Freedom and Courage are written with capitals in the poem.
Capitalized words such as Truth and Honesty are not names.
Summary: the project is late because the vendor changed the plan.
Chapter Two opens with a storm and ends with a wedding.
Important: read the notice before the meeting.
Note to self: call {FIRST} about the keys.
Minutes: {FIRST} opened the meeting; {PER} presented the budget.
Thanks to {FIRST}, {FIRST} and {FIRST} for their help with the move.
Congratulations to {PER} on the new job at {ORG}!
Happy birthday, {FIRST}! Love from {FIRST} and the kids.
"""

OTHER_LANGUAGES = """
Hallo, ich bin {PER} von {ORG} und habe eine Frage zu {PRODUCT}.
Mein Name ist {PER}, ich wohne in {CITY}.
Bitte rufen Sie {FIRST} unter {PHONE} zurück.
Unser Büro in {CITY} ist umgezogen.
Sehr geehrte Frau {LAST}, vielen Dank für Ihre Nachricht.
Je m'appelle {PER} et j'habite à {CITY}.
Bonjour {FIRST}, merci pour votre aide.
Nous travaillons avec {BRAND} depuis deux ans.
Madame {LAST} souhaite annuler sa commande.
Hola, soy {PER} de {ORG}. No puedo entrar en {PRODUCT}.
Me llamo {PER} y vivo en {CITY}, {COUNTRY}.
Gracias {FIRST}, ya funciona.
Trabajo en {BRAND} como {JOB}.
Ciao, sono {PER} e lavoro per {BRAND}.
Mi chiamo {PER}, abito a {CITY}.
Grazie {FIRST}, tutto risolto!
Olá, sou {PER} da {ORG}.
Meu nome é {PER} e moro em {CITY}.
Obrigado {FIRST}, deu certo.
"""

# The slot kinds the tagger learns to mark, and the type each becomes.
LABELLED_SLOTS = {
    "PER": "PERSON",
    "FIRST": "PERSON",
    "LAST": "PERSON",
    "CITY": "LOCATION",
    "COUNTRY": "LOCATION",
    "REGION": "LOCATION",
    "ORG": "ORGANIZATION",
    "BRAND": "ORGANIZATION",
}

# Cadre's products and the software its help centre names: never a person or an organisation there.
PRODUCTS = """
Halyard|Halyard Pipeline|Pipeline|Relay|Pulse|Beacon|Vault|Okta|Slack|Salesforce|Zendesk|HubSpot|Gmail|Outlook|
Google Drive|Microsoft Teams|Teams|Jira|Shopify|Stripe|Zapier|Excel|Google Sheets|Azure AD|Single Sign-On|SAML|
Halyard Relay|Halyard Pulse|Halyard Beacon|Halyard Vault|the mobile app|Webhooks|API
"""
UI_NAMES = """
Settings|Admin|Billing|Profile|Integrations|Security|Reports|Dashboard|Users|Teams|Channels|Workspace|Export|
Save|Cancel|Connect|Invite|Edit|Delete|Advanced|Notifications|Audit Log|Single Sign-On|API Keys|Plans|Invoices|
Routing Rules|Automations|Inbox|Help Centre|Status Page|Data Retention|Roles|Permissions|Add Member
"""
# Nouns that end the names of add-ons, services and features: "Premium Support", "Extra Storage".
FEATURE_TAILS = """
Support|Storage|Package|Edition|Workshop|Add-on|Plan|Reports|Sync|Analytics|Connector|Insights|Backup|Review|
Onboarding|Training|Audit|Export|Routing|Inbox|Forms|Credits|Seats|Archive|Alerts|Portal|Assistant|Templates
"""
# Headings of form sections and the names of agreements: capitalised, and nobody's name.
LABELS = """
Personal Info|Personal Details|Contact Info|Contact Information|Billing Info|Billing Details|Shipping Info|
Account Details|Account Summary|Work History|Emergency Contact|Order Summary|Payment Details|Company Info|
Profile|Preferences|Notes|Details|Summary|Other Info|Additional Information
"""
DOCUMENTS = """
Terms of Service|Privacy Policy|Data Processing Agreement|Master Services Agreement|Acceptable Use Policy|
Service Level Agreement|Cookie Policy|Refund Policy|Code of Conduct|General Data Protection Regulation|
Convention on Human Rights|Treaty of Accession|Charter of Fundamental Rights|Consumer Rights Act
"""
# Nouns brands end with when they have two words: "Collective Point", "Summit Health".
BRAND_TAILS = """
Labs|Health|Works|Collective|Partners|Media|Bank|Foods|Energy|Studio|Logistics|Analytics|Ventures|Systems|
Capital|Motors|Insurance|Realty|Group|Digital|Outfitters|Brewing|Software|Networks|Research|Travel|Airlines|
Robotics|Apparel|Pharma|Markets|Learning|Homes
"""
