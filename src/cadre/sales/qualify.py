"""Qualification: a 0-100 score from firmographics, engagement and fit, with the reason behind every point."""

from __future__ import annotations

from datetime import datetime, timedelta

from cadre.sales.models import Grade, LeadProfile, Qualification

# Forms ranked by how plainly they ask for sales; newsletters and content are interest, not intent.
FORM_POINTS = {"demo_request": 20, "contact_sales": 20, "pricing_quote": 15, "free_trial_signup": 12}
CONTENT_FORM_POINTS = 5
HIGH_INTENT_PAGES = ("/pricing", "/demo", "/trial", "/contact")
SENIOR_TITLES = ("chief", "vp", "vice president", "head of", "director", "cto", "ceo", "coo", "founder")
MANAGER_TITLES = ("manager", "lead", "architect")
# The industries Halyard Cloud's customers come from most (the sample company's book of business).
CORE_INDUSTRIES = ("Software", "Education", "Manufacturing", "Logistics", "Media", "Retail")
RECENT = timedelta(days=30)


def qualify(profile: LeadProfile, *, now: datetime) -> Qualification:
    lead = profile.lead
    points = 0
    reasons: list[str] = []

    def add(amount: int, reason: str) -> None:
        nonlocal points
        points += amount
        reasons.append(f"{amount:+d} {reason}")

    # Firmographics
    if lead.employees is not None:
        if lead.employees >= 1000:
            add(15, f"enterprise size ({lead.employees} employees)")
        elif lead.employees >= 100:
            add(12, f"mid-market size ({lead.employees} employees)")
        elif lead.employees >= 20:
            add(6, f"small business ({lead.employees} employees)")
        else:
            add(2, f"very small company ({lead.employees} employees)")
    title = (lead.title or "").lower()
    if any(word in title for word in SENIOR_TITLES):
        add(15, f"senior buyer ({lead.title})")
    elif any(word in title for word in MANAGER_TITLES):
        add(8, f"manager-level role ({lead.title})")
    elif not title:
        reasons.append("+0 no title on record")
    # Fit
    if lead.industry in CORE_INDUSTRIES:
        add(10, f"core industry ({lead.industry})")
    elif lead.industry:
        add(5, f"served industry ({lead.industry})")
    if profile.product is not None:
        add(10, f"asked about {profile.product.name}")
    # Engagement
    forms = {e.what for e in profile.engagement if e.kind == "form"}
    for form in sorted(forms):
        amount = FORM_POINTS.get(form, CONTENT_FORM_POINTS)
        add(amount, f"filled the {form.replace('_', ' ')} form")
    intent_pages = {e.url for e in profile.engagement if e.kind == "page" and e.url.endswith(HIGH_INTENT_PAGES)}
    if intent_pages:
        add(min(15, 5 * len(intent_pages)), f"viewed {len(intent_pages)} buying page(s)")
    clicks = sum(1 for e in profile.engagement if e.kind == "email" and e.event == "click")
    opens = sum(1 for e in profile.engagement if e.kind == "email" and e.event == "open")
    if clicks:
        add(min(10, 5 * clicks), f"clicked {clicks} campaign e-mail(s)")
    elif opens:
        add(min(5, 2 * opens), f"opened {opens} campaign e-mail(s)")
    if any(now - e.at <= RECENT for e in profile.engagement if e.at <= now):
        add(10, "active in the last 30 days")
    if profile.has_event("bounce"):
        add(-20, "a campaign e-mail bounced")
    if profile.has_event("unsubscribe"):
        add(-30, "unsubscribed from campaigns")
    score = max(0, min(100, points))
    grade: Grade = "A" if score >= 60 else "B" if score >= 40 else "C" if score >= 20 else "D"
    return Qualification(score=score, grade=grade, reasons=reasons)
