"""The sales domain's types: a lead with its engagement, its qualification, a drafted e-mail, a reply's class."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

ReplyClass = Literal["interested", "question", "not_now", "unsubscribe", "out_of_office", "wrong_person"]
REPLY_CLASSES: tuple[ReplyClass, ...] = (
    "interested",
    "question",
    "not_now",
    "unsubscribe",
    "out_of_office",
    "wrong_person",
)
Grade = Literal["A", "B", "C", "D"]
OPEN_STATUSES = ("new", "working")  # lead statuses the SDR works; the rest are decided or handed on


@dataclass(frozen=True)
class Engagement:
    """One marketing event of a lead: a form filled, a page viewed, a campaign e-mail opened, bounced…"""

    kind: Literal["form", "page", "email"]
    at: datetime
    what: str  # form name, page title, or campaign
    event: str = ""  # for e-mail: sent | open | click | bounce | unsubscribe
    url: str = ""


@dataclass(frozen=True)
class Lead:
    lead_id: str
    first_name: str
    full_name: str
    email: str | None
    company: str
    title: str | None
    industry: str | None
    employees: int | None
    country: str | None
    status: str
    owner_id: str | None
    time_zone: str
    language: str
    product_interest: str | None
    created_at: datetime


@dataclass(frozen=True)
class Product:
    product_id: str
    name: str
    family: str
    description: str


@dataclass(frozen=True)
class Rep:
    user_id: str
    full_name: str
    email: str
    time_zone: str
    manager_id: str | None
    hours: dict[int, tuple[int, int]]  # weekday -> (first hour, end hour), rep's local time


@dataclass
class LeadProfile:
    """What the SDR knows about one lead, read through the governed data layer."""

    lead: Lead
    engagement: list[Engagement] = field(default_factory=list)
    product: Product | None = None
    similar_customers: list[str] = field(default_factory=list)  # account names, same industry and size

    def last_activity(self) -> Engagement | None:
        seen = [e for e in self.engagement if e.kind != "email" or e.event in ("open", "click")]
        return max(seen, key=lambda e: e.at) if seen else None

    def has_event(self, event: str) -> bool:
        return any(e.kind == "email" and e.event == event for e in self.engagement)


@dataclass(frozen=True)
class Qualification:
    score: int  # 0-100
    grade: Grade
    reasons: list[str]


@dataclass(frozen=True)
class Draft:
    """An e-mail ready to send, with the facts of the profile it was written from."""

    subject: str
    body: str
    language: str
    facts: list[str]
