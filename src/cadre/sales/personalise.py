"""Write the first touch and the follow-ups from a lead's own facts, in the lead's language, naming the facts used.

Every sentence but the greeting and the closing carries one fact of the profile (its role, industry, the product it
asked about, its latest activity, customers like it); a sentence whose fact is missing is left out, so two leads
get different e-mails rather than one template with the name swapped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from cadre.agents.models import LANGUAGES
from cadre.sales._copy import FORM, INDUSTRY, PAIN, PITCH, copy
from cadre.sales.models import Draft, Engagement, Lead, LeadProfile, Product

ACTIVITY_WINDOW = timedelta(days=90)  # older activity is not "recent" enough to mention
PRODUCT_PAGES = {  # product pages of the website, for leads who browsed without naming a product
    "/products/relay": "Customer Service",
    "/products/pipeline": "Sales",
    "/products/pulse": "Analytics",
    "/products/beacon": "Marketing",
    "/products/vault": "Platform",
}


def lead_language(lead: Lead) -> str:
    """The lead's language when the SDR writes it, else English."""
    return lead.language if lead.language in LANGUAGES else "en"


def language_of(profile: LeadProfile) -> str:
    return lead_language(profile.lead)


def first_touch(profile: LeadProfile, *, now: datetime, sender: str) -> Draft:
    lead = profile.lead
    language = language_of(profile)
    facts: list[str] = []
    values = {"first": lead.first_name, "full": lead.full_name, "company": lead.company or lead.full_name}
    paragraphs: list[str] = []

    activity = _recent_activity(profile, now)
    if activity is not None:
        paragraphs.append(_activity_sentence(activity, language))
        facts.append(f"recent activity: {_activity_fact(activity)}")

    family = _family(profile)
    if family is not None:
        pain = PAIN[family][language]
        key = "role" if lead.title else "role_plain"
        paragraphs.append(copy(language, key).format(title=lead.title or "", company=values["company"], pain=pain))
        if lead.title:
            facts.append(f"role: {lead.title}")
    if profile.product is not None:
        pitch = PITCH.get(profile.product.family, {}).get(language) or profile.product.description
        paragraphs.append(copy(language, "product").format(product=profile.product.name, pitch=pitch))
        facts.append(f"product interest: {profile.product.name}")
    if lead.industry:
        industry = _industry(lead.industry, language)
        if profile.similar_customers:
            peers = ", ".join(profile.similar_customers)
            paragraphs.append(copy(language, "peers").format(industry=industry, peers=peers))
            facts.append(f"similar customers: {peers}")
        else:
            paragraphs.append(copy(language, "industry").format(industry=industry, company=values["company"]))
        facts.append(f"industry: {lead.industry}")
    if lead.employees is not None:
        facts.append(f"company size: {lead.employees} employees")
    paragraphs.append(copy(language, "ask"))

    subject = _subject(profile.product, language, values["company"])
    body = _letter(language, values, paragraphs, sender)
    return Draft(subject=subject, body=body, language=language, facts=facts)


def follow_up(profile: LeadProfile, *, step: int, first_subject: str, sender: str) -> Draft:
    """Follow-up `step` (1, 2, …): shorter, on the same thread, the last one offering to close the loop."""
    lead = profile.lead
    language = language_of(profile)
    company = lead.company or lead.full_name
    topic = profile.product.name if profile.product is not None else copy(language, "topic_default")
    facts = [f"product interest: {profile.product.name}"] if profile.product is not None else []
    if step == 1:
        peer_line = ""
        if profile.similar_customers:
            peer_line = copy(language, "peer_line").format(peer=profile.similar_customers[0])
            facts.append(f"similar customer: {profile.similar_customers[0]}")
        text = copy(language, "followup_1").format(topic=topic, peer_line=peer_line, company=company)
    else:
        text = copy(language, "followup_2").format(topic=topic)
    values = {"first": lead.first_name, "full": lead.full_name, "company": company}
    subject = copy(language, "subject_followup").format(subject=first_subject)
    return Draft(subject=subject, body=_letter(language, values, [text], sender), language=language, facts=facts)


def _letter(language: str, values: dict[str, str], paragraphs: list[str], sender: str) -> str:
    greeting = copy(language, "greeting").format(**values)
    closing = f"{copy(language, 'signoff')}\n{sender}"
    return "\n\n".join([greeting, *paragraphs, closing, copy(language, "optout")]) + "\n"


def _subject(product: Product | None, language: str, company: str) -> str:
    if product is not None:
        return copy(language, "subject_product").format(product=product.name, company=company)
    return copy(language, "subject_plain").format(company=company)


def _family(profile: LeadProfile) -> str | None:
    if profile.product is not None and profile.product.family in PAIN:
        return profile.product.family
    viewed = [PRODUCT_PAGES[p] for e in profile.engagement for p in PRODUCT_PAGES if e.url.endswith(p)]
    return max(set(viewed), key=viewed.count) if viewed else None


def _recent_activity(profile: LeadProfile, now: datetime) -> Engagement | None:
    """The latest form, page view or campaign click before `now` and within the window; forms win a tie-break."""
    usable = [
        e
        for e in profile.engagement
        if e.at <= now and now - e.at <= ACTIVITY_WINDOW and (e.kind != "email" or e.event == "click")
    ]
    if not usable:
        return None
    forms = [e for e in usable if e.kind == "form"]
    return max(forms or usable, key=lambda e: e.at)


def _activity_sentence(activity: Engagement, language: str) -> str:
    date = _date(activity.at, language)
    if activity.kind == "form":
        form = FORM.get(activity.what, {}).get(language) or activity.what.replace("_", " ")
        return copy(language, "form").format(form=form, date=date)
    if activity.kind == "page":
        return copy(language, "page").format(title=activity.what, date=date)
    return copy(language, "click").format(campaign=activity.what, date=date)


def _activity_fact(activity: Engagement) -> str:
    kind = {"form": "filled form", "page": "viewed page", "email": "clicked campaign"}[activity.kind]
    return f"{kind} “{activity.what}” on {activity.at.date().isoformat()}"


def _industry(industry: str, language: str) -> str:
    return INDUSTRY.get(industry, {}).get(language, industry)


def _date(moment: datetime, language: str) -> str:
    if language == "ja":
        return f"{moment.year}年{moment.month}月{moment.day}日"
    if language == "en":
        return moment.strftime("%-d %B %Y")
    if language == "de":
        return moment.strftime("%d.%m.%Y")
    return moment.strftime("%d/%m/%Y")
