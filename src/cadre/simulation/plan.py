"""Plan a day of customer traffic for the sample company's four agents: who writes, on which channel, what.

The plan is a pure function of the cast and the seed. Its first visits of each agent walk through every language,
channel and kind of visit, so even a short day shows all of them; the rest are drawn with the day's weights.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TypeVar

from cadre.agents.models import Channel
from cadre.errors import ConfigError
from cadre.sample import TODAY
from cadre.simulation import _sales_texts as sales
from cadre.simulation import _service_texts as service
from cadre.simulation.cast import Cast, Contact
from cadre.simulation.models import LANGUAGES, Message, Rating, Visit

T = TypeVar("T")

AGENT_SHARES = {"service": 0.55, "concierge": 0.2, "seller_assistant": 0.13, "sdr": 0.12}
AGENT_LANGUAGES = {
    "service": LANGUAGES,
    "concierge": LANGUAGES,
    "sdr": LANGUAGES,
    "seller_assistant": ("en", "de", "ja"),
}
LANGUAGE_WEIGHTS = {"en": 34, "es": 13, "fr": 12, "de": 13, "it": 8, "pt": 10, "ja": 10}
# The first visits of each agent, in order: every channel and the kinds a console should show at least once.
SHOWCASE: dict[str, tuple[tuple[str, Channel], ...]] = {
    "service": (
        ("question", "web"),
        ("invoice", "email"),
        ("human", "web"),
        ("refund", "api"),
        ("follow_up", "web"),
        ("injection", "web"),
        ("case", "email"),
        ("angry", "api"),
        ("order", "web"),
        ("question_then_human", "email"),
        ("off_topic", "web"),
        ("renewal", "api"),
        ("reset", "web"),
    ),
    "concierge": (("product", "web"), ("pricing", "api"), ("buying", "web"), ("human", "web"), ("off_topic", "web")),
    "seller_assistant": (("account", "slack"), ("pricing", "slack"), ("competition", "api"), ("playbook", "slack")),
    "sdr": (("interested", "email"), ("question", "email"), ("not_now", "email"), ("human", "email")),
}
KIND_WEIGHTS = {
    "service": {
        "question": 30,
        "invoice": 9,
        "order": 7,
        "renewal": 6,
        "case": 8,
        "refund": 7,
        "reset": 5,
        "follow_up": 6,
        "human": 7,
        "question_then_human": 4,
        "angry": 4,
        "off_topic": 4,
        "injection": 3,
    },
    "concierge": {"product": 35, "pricing": 25, "buying": 20, "off_topic": 8, "human": 7},
    "seller_assistant": {"account": 40, "pricing": 30, "competition": 15, "playbook": 15},
    "sdr": {
        "interested": 25,
        "question": 20,
        "not_now": 15,
        "unsubscribe": 10,
        "out_of_office": 10,
        "wrong_person": 10,
        "human": 10,
    },
}
CHANNEL_WEIGHTS: dict[str, dict[Channel, int]] = {
    "service": {"web": 45, "email": 30, "api": 25},
    "concierge": {"web": 80, "api": 20},
    "seller_assistant": {"slack": 85, "api": 15},
    "sdr": {"email": 100},
}
SIGNED_IN_WEB = 0.3  # share of web visitors whose page vouches for who they are (the widget's signed identity)
RATED = 0.45  # share of conversations whose visitor answers the satisfaction question
CSAT_WEIGHTS = {1: 5, 2: 7, 3: 15, 4: 33, 5: 40}
COMMENTED = 0.3
DAY_START, DAY_END = 7 * 60, 23 * 60  # minutes after midnight, UTC
OUTAGE_CSAT_WEIGHTS = {1: 50, 2: 30, 3: 15, 4: 5}


@dataclass(frozen=True)
class Incident:
    """A stretch of the day when the product misbehaves. Customers who would have written later write now
    (`surge`: that share of the day's service visits moves into the stretch), and `share` of the service agent's
    visitors in it write about the breakage, which no article answers, so they ask for a person. The dashboard's
    alerts should notice."""

    start_minute: int
    end_minute: int
    share: float
    surge: float = 0.0

    def __post_init__(self) -> None:
        if not (0 <= self.start_minute < self.end_minute <= 24 * 60) or not 0 < self.share <= 1:
            raise ConfigError(f"an incident must span minutes 0..1440 in order and hit a share in (0, 1], got {self!r}")
        if not 0 <= self.surge < 1:
            raise ConfigError(f"an incident's surge must be a share in [0, 1), got {self.surge}")


DEMO_INCIDENT = Incident(start_minute=21 * 60 + 30, end_minute=DAY_END, share=0.7, surge=0.1)
UNRATED_KINDS = {"injection"}  # someone probing the agent does not fill in the survey


def plan_day(
    cast: Cast,
    *,
    conversations: int,
    seed: int,
    languages: Sequence[str] = LANGUAGES,
    day: datetime = TODAY,
    incident: Incident | None = None,
) -> list[Visit]:
    """`conversations` visits spread over `day` (the sample's "today" by default), in the order they happen,
    with `incident`'s share of the service agent's visits in its stretch about the product misbehaving."""
    if conversations < 1:
        raise ConfigError(f"conversations must be at least 1, got {conversations}")
    unknown = sorted(set(languages) - set(LANGUAGES))
    if unknown or not languages:
        raise ConfigError(f"languages must be a non-empty subset of {list(LANGUAGES)}, got {list(languages)}")
    rng = random.Random(seed)
    planner = _Planner(cast, rng, tuple(dict.fromkeys(languages)))
    drafts: list[tuple[int, Visit]] = []
    for agent, count in _agent_counts(conversations).items():
        for index in range(count):
            minute = rng.randrange(DAY_START, DAY_END)
            affected = incident is not None and agent == "service" and index >= len(SHOWCASE[agent])
            if affected and incident is not None and rng.random() < incident.surge:
                minute = rng.randrange(incident.start_minute, incident.end_minute)
            outage = (
                affected
                and incident is not None
                and incident.start_minute <= minute < incident.end_minute
                and rng.random() < incident.share
            )
            drafts.append((minute, planner.visit(agent, index, day + timedelta(minutes=minute), outage=outage)))
    drafts.sort(key=lambda draft: draft[0])
    return [replace(visit, number=number) for number, (_, visit) in enumerate(drafts, start=1)]


def _agent_counts(total: int) -> dict[str, int]:
    counts = {agent: int(total * share) for agent, share in AGENT_SHARES.items()}
    if total >= len(counts):
        counts = {agent: max(n, 1) for agent, n in counts.items()}
    counts["service"] += total - sum(counts.values())
    return {agent: n for agent, n in counts.items() if n > 0}


@dataclass
class _Planner:
    cast: Cast
    rng: random.Random
    languages: tuple[str, ...]
    known: set[tuple[str, str]] = field(default_factory=set)  # (agent, person) already in touch today

    def visit(self, agent: str, index: int, at: datetime, *, outage: bool = False) -> Visit:
        showcase = SHOWCASE[agent]
        kind, channel = showcase[index] if index < len(showcase) else (self._kind(agent), self._channel(agent))
        kind = "outage" if outage else kind
        language = self._language(agent, index)
        builders: dict[str, Callable[[str, str, Channel, datetime], Visit]] = {
            "service": self._service,
            "concierge": self._concierge,
            "seller_assistant": self._seller_assistant,
            "sdr": self._sdr,
        }
        visit = builders[agent](kind, language, channel, at)
        rated = kind not in UNRATED_KINDS and self.rng.random() < RATED
        weights = OUTAGE_CSAT_WEIGHTS if outage else CSAT_WEIGHTS
        return replace(visit, rating=self._rating(visit.language, weights) if rated else None)

    # ------------------------------------------------------------------ per agent

    def _service(self, kind: str, language: str, channel: Channel, at: datetime) -> Visit:
        if kind in ("invoice", "order", "renewal", "refund", "follow_up"):
            customer = self.rng.choice(self.cast.customers)
            values = {
                "email": customer.email,
                "customer": customer.customer_id,
                "invoice": self.rng.choice(
                    customer.paid_invoices if kind == "refund" and customer.paid_invoices else customer.invoices
                ),
                "order": self.rng.choice(customer.orders),
            }
            ask = service.ASKS["invoice" if kind == "follow_up" else kind][language]
            texts = [
                Message(service.VERIFY_NUMBER[language].format(**values)),
                Message(self._pick(ask).format(**values)),
            ]
            if kind == "follow_up":
                # A signed-in visitor on the web writes again by e-mail: only their unified profile links the two.
                person, channel = self._person("service", customer.person_id, "web", signed_in=True)
                texts.append(Message(service.FOLLOW_UP[language], channel="email" if person else None))
            else:
                person, channel = self._person("service", customer.person_id, channel)
            return self._visit("service", kind, language, channel, at, person, texts, author=customer.email)
        if kind in ("case", "reset"):
            contact = self._contact(language)
            person, channel = self._person("service", contact.person_id, channel)
            values = {"email": contact.email, "phone": contact.phone}
            texts = [
                Message(service.VERIFY_PHONE[language].format(**values)),
                Message(self._pick(service.ASKS[kind][language])),
            ]
            return self._visit("service", kind, language, channel, at, person, texts, author=contact.email)
        single = self._single(kind, language)
        person, author = None, "visitor"
        if channel == "email":  # an e-mail always has a sender
            contact = self._contact(language)
            (person, channel), author = self._person("service", contact.person_id, channel), contact.email
        return self._visit("service", kind, language, channel, at, person, single, author=author)

    def _single(self, kind: str, language: str) -> list[Message]:
        """The visits that need no customer record: a question, a request for a person, a complaint, …"""
        if kind == "outage":
            return [Message(self._pick(service.OUTAGE[language])), Message(service.HUMAN[language])]
        question = Message(self._pick(service.QUESTIONS[language]))
        return {
            "question": [question],
            "question_then_human": [question, Message(service.HUMAN[language])],
            "human": [Message(service.HUMAN[language])],
            "angry": [Message(service.ANGRY[language])],
            "off_topic": [Message(service.OFF_TOPIC[language])],
            "injection": [Message(service.INJECTION[language])],
        }[kind]

    def _concierge(self, kind: str, language: str, channel: Channel, at: datetime) -> Visit:
        if kind == "buying":
            email = (
                f"{self.rng.choice(sales.VISITOR_NAMES)}.{self.rng.randrange(10, 99)}"
                f"@{self.rng.choice(sales.VISITOR_DOMAINS)}.example"
            )
            product = self.rng.choice(sales.PRODUCTS)
            texts = [Message(text.format(product=product, email=email)) for text in sales.BUYING[language]]
        else:
            texts = [Message(self._pick(sales.CONCIERGE[kind][language]))]
        return self._visit("concierge", kind, language, channel, at, None, texts, author="visitor")

    def _seller_assistant(self, kind: str, language: str, channel: Channel, at: datetime) -> Visit:
        sellers = [s for s in self.cast.sellers if language in s.languages] or list(self.cast.sellers)
        seller = self.rng.choice(sellers)
        text = self._pick(sales.SELLER[kind][language]).format(
            product=self.rng.choice(sales.PRODUCTS), account=self.rng.choice(seller.accounts)
        )
        principal = f"user:{seller.user_id}"
        return self._visit(
            "seller_assistant",
            kind,
            language,
            channel,
            at,
            None,
            [Message(text)],
            author=principal,
            principal=principal,
        )

    def _sdr(self, kind: str, language: str, channel: Channel, at: datetime) -> Visit:
        leads = [lead for lead in self.cast.leads if lead.language == language] or list(self.cast.leads)
        fresh = [lead for lead in leads if ("sdr", lead.lead_id) not in self.known] or leads
        lead = self.rng.choice(fresh)
        self.known.add(("sdr", lead.lead_id))
        person, channel = self._person("sdr", lead.person_id, channel)
        texts = [Message(self._pick(sales.SDR[kind][language]))]
        principal = f"lead:{lead.lead_id}"
        return self._visit("sdr", kind, language, channel, at, person, texts, author=principal, principal=principal)

    # ------------------------------------------------------------------ choices

    def _visit(
        self,
        agent: str,
        kind: str,
        language: str,
        channel: Channel,
        at: datetime,
        person: str | None,
        messages: list[Message],
        *,
        author: str,
        principal: str = "anonymous",
    ) -> Visit:
        return Visit(0, agent, kind, language, channel, principal, person, tuple(messages), at, author)

    def _kind(self, agent: str) -> str:
        weights = KIND_WEIGHTS[agent]
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _channel(self, agent: str) -> Channel:
        weights = CHANNEL_WEIGHTS[agent]
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _language(self, agent: str, index: int) -> str:
        choices = [code for code in AGENT_LANGUAGES[agent] if code in self.languages] or ["en"]
        if index < len(choices):
            return choices[index]
        return self.rng.choices(choices, weights=[LANGUAGE_WEIGHTS[code] for code in choices])[0]

    def _contact(self, language: str) -> Contact:
        speakers = [c for c in self.cast.contacts if c.language == language]
        return self.rng.choice(speakers or list(self.cast.contacts))

    def _person(
        self, agent: str, person_id: str | None, channel: Channel, *, signed_in: bool = False
    ) -> tuple[str | None, Channel]:
        """The person's profile when the channel knows them, and the channel they write on. A known person writes
        in once a day: a second conversation would continue their first (the runtime joins them by profile), so
        the second time they use the web anonymously instead of an e-mail that would give them away."""
        known = channel in ("email", "api") or signed_in or self.rng.random() < SIGNED_IN_WEB
        if person_id is None or not known:
            return None, channel
        if (agent, person_id) in self.known:
            return None, "web" if channel == "email" and agent == "service" else channel
        self.known.add((agent, person_id))
        return person_id, channel

    def _pick(self, texts: Sequence[T]) -> T:
        return self.rng.choice(texts)

    def _rating(self, language: str, weights: dict[int, int]) -> Rating:
        csat = self.rng.choices(list(weights), weights=list(weights.values()))[0]
        pleased, disappointed = service.COMMENTS[language]
        comment = (pleased if csat >= 4 else disappointed) if self.rng.random() < COMMENTED else None
        return Rating(csat=csat, thumbs="up" if csat >= 4 else "down", comment=comment)
