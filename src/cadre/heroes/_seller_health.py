"""Account health from the records alone, with every reason shown: a seller can check each one.

Status is the worst level among the reasons: any `risk` makes the account `at_risk`, else any `watch` makes it
`watch`, else it is `healthy`. `good` reasons never lower the status; they say what is going well.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from cadre.heroes._seller_facts import AccountFacts, parse_time

Level = Literal["risk", "watch", "good"]
Status = Literal["at_risk", "watch", "healthy"]

RENEWAL_WINDOW = timedelta(days=90)  # a renewal this close is worth a call
TRIAL_WINDOW = timedelta(days=30)
STALLED_AFTER = timedelta(days=45)  # an open deal whose stage has not moved for this long has stalled
RECENT = timedelta(days=180)
WON_RECENTLY = timedelta(days=365)
SERIOUS_PRIORITIES = ("high", "urgent")


@dataclass(frozen=True)
class HealthReason:
    level: Level
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Health:
    status: Status
    reasons: tuple[HealthReason, ...]


def assess_health(facts: AccountFacts, now: datetime) -> Health:
    reasons = [*_case_reasons(facts), *_subscription_reasons(facts, now), *_deal_reasons(facts, now)]
    reasons += _email_reasons(facts, now)
    levels = {r.level for r in reasons}
    status: Status = "at_risk" if "risk" in levels else "watch" if "watch" in levels else "healthy"
    order = {"risk": 0, "watch": 1, "good": 2}
    return Health(status, tuple(sorted(reasons, key=lambda r: order[r.level])))


def _case_reasons(facts: AccountFacts) -> list[HealthReason]:
    reasons: list[HealthReason] = []
    serious = [c for c in facts.open_cases() if c.get("priority") in SERIOUS_PRIORITIES or c["status"] == "escalated"]
    other = [c for c in facts.open_cases() if c not in serious]
    if serious:
        ids = tuple(f"Case {c['case_id']}" for c in serious)
        reasons.append(HealthReason("risk", f"{len(serious)} open high-priority or escalated case(s)", ids))
    if other:
        ids = tuple(f"Case {c['case_id']}" for c in other)
        reasons.append(HealthReason("watch", f"{len(other)} open case(s) of normal priority", ids))
    return reasons


def _subscription_reasons(facts: AccountFacts, now: datetime) -> list[HealthReason]:
    reasons: list[HealthReason] = []
    live = [s for s in facts.subscriptions if s.get("status") in ("active", "trial", "past_due")]
    for sub in facts.subscriptions:
        source = (f"Subscription {sub['subscription_id']}",)
        product = facts.product(sub.get("product_id"))
        renews = parse_time(sub.get("renews_at"))
        if sub.get("status") == "past_due":
            reasons.append(HealthReason("risk", f"{product} subscription is past due", source))
        elif sub.get("status") == "trial" and renews and renews - now <= TRIAL_WINDOW:
            reasons.append(HealthReason("watch", f"{product} trial ends on {renews.date().isoformat()}", source))
        elif sub.get("status") == "active" and renews and renews - now <= RENEWAL_WINDOW:
            reasons.append(HealthReason("watch", f"{product} renews on {renews.date().isoformat()}", source))
    if facts.subscriptions and not live:
        ids = tuple(f"Subscription {s['subscription_id']}" for s in facts.subscriptions)
        reasons.append(HealthReason("risk", "every subscription has been cancelled", ids))
    active = [s for s in facts.subscriptions if s.get("status") == "active"]
    if active:
        ids = tuple(f"Subscription {s['subscription_id']}" for s in active)
        reasons.append(HealthReason("good", f"{len(active)} active subscription(s)", ids))
    return reasons


def _deal_reasons(facts: AccountFacts, now: datetime) -> list[HealthReason]:
    reasons: list[HealthReason] = []
    for opp in facts.open_opportunities():
        source = (f"Opportunity {opp['opportunity_id']}",)
        moved = parse_time(opp.get("updated_at"))
        closes = parse_time(f"{opp.get('close_date')}T00:00:00Z") if opp.get("close_date") else None
        if closes and closes < now:
            reasons.append(HealthReason("watch", f"{opp['name']} is past its close date {opp['close_date']}", source))
        elif moved and now - moved >= STALLED_AFTER:
            days = (now - moved).days
            reasons.append(
                HealthReason("watch", f"{opp['name']} has not moved from {opp['stage']} in {days} days", source)
            )
        else:
            reasons.append(HealthReason("good", f"{opp['name']} is active at stage {opp['stage']}", source))
    for opp in facts.opportunities:
        moved = parse_time(opp.get("updated_at"))
        if not moved:
            continue
        source = (f"Opportunity {opp['opportunity_id']}",)
        if opp.get("stage") == "closed_lost" and now - moved <= RECENT:
            reasons.append(HealthReason("watch", f"{opp['name']} was lost on {moved.date().isoformat()}", source))
        if opp.get("stage") == "closed_won" and now - moved <= WON_RECENTLY:
            reasons.append(HealthReason("good", f"{opp['name']} was won on {moved.date().isoformat()}", source))
    return reasons


def _email_reasons(facts: AccountFacts, now: datetime) -> list[HealthReason]:
    lost = [
        e
        for e in facts.email_events
        if e.get("event") in ("bounce", "unsubscribe") and (at := parse_time(e.get("at"))) and now - at <= RECENT
    ]
    if not lost:
        return []
    ids = tuple(f"EmailEvent {e['event_id']}" for e in lost)
    return [HealthReason("watch", f"{len(lost)} contact email(s) bounced or unsubscribed recently", ids)]
