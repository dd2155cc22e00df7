"""One visitor's qualification, kept between turns: what they answered about need, timeline, budget and authority,
their e-mail, and which question comes next. Pure: no data, no I/O."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from cadre.agents.slots import extract_slots
from cadre.heroes._concierge_regions import named_region

Step = Literal["need", "timeline", "budget", "authority", "email"]
BANT: tuple[Step, ...] = ("need", "timeline", "budget", "authority")
ANSWER_CHARS = 500  # an answer is kept in the visitor's words, clipped to what a CRM text field shows well

# Saying no to giving an e-mail, in the concierge's languages. Whole phrases: "no" alone is too common.
_DECLINES = re.compile(
    r"\b(?:no\s+thanks?|no,?\s+thank\s+you|(?:i.d|i\s+would)\s+rather\s+not|prefer\s+not|not\s+now|don.t\s+want\s+to"
    r"|no\s+e-?mail|without\s+(?:an?\s+)?e-?mail|anonymous(?:ly)?|prefiero\s+no|sin\s+correo|no\s+quiero"
    r"|non\s+merci|je\s+pr[ée]f[èe]re\s+pas|je\s+pr[ée]f[èe]re\s+ne\s+pas|sans\s+(?:e-?mail|adresse)|pas\s+d.e-?mail"
    r"|lieber\s+nicht|nein\s+danke|ohne\s+e-?mail|keine\s+e-?mail|preferisco\s+(?:di\s+)?no|no\s+grazie"
    r"|senza\s+e-?mail|prefiro\s+n[ãa]o|n[ãa]o\s+obrigad[oa]|sem\s+e-?mail|n[ãa]o\s+quero)\b"
    r"|結構です|教えたくない|控えます|遠慮します|いいえ|不要です",
    re.IGNORECASE,
)


@dataclass
class Visit:
    asked: Step | None = None  # the question the visitor was asked last
    need: str | None = None
    timeline: str | None = None
    budget: str | None = None
    authority: str | None = None
    email: str | None = None
    region: str | None = None  # a key of `REGIONS`, when the visitor named a place
    product_interest: str | None = None  # product_id
    declined: bool = False  # the visitor said no to giving an e-mail
    email_asks: int = 0
    lead_id: str | None = None
    handed_over: bool = False  # the current answers are with the SDR queue

    @classmethod
    def of(cls, state: dict[str, Any]) -> Visit:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in state.get("concierge", {}).items() if k in known})

    def keep(self, state: dict[str, Any]) -> None:
        state["concierge"] = asdict(self)

    @property
    def qualified(self) -> bool:
        return all(getattr(self, step) for step in BANT)

    def next_step(self) -> Step | None:
        for step in BANT:
            if not getattr(self, step):
                return step
        return "email" if self.email is None and not self.declined else None

    def record(self, message: str, *, products: list[str]) -> None:
        """Take what the message says: the answer to the question asked (in the visitor's words), an e-mail or
        place wherever it appears, a budget when an amount comes with another answer."""
        words = _clip(message)
        slots = extract_slots(message)
        email = next((s.value for s in slots if s.kind == "email"), None)
        region = named_region(message)
        if region is not None:
            self.region = region
        if products and self.product_interest is None:
            self.product_interest = products[0]
        if email is not None:
            if email != self.email:
                self.handed_over = False
            self.email, self.declined = email, False
        asked = self.asked
        if asked in BANT:
            setattr(self, asked, words)
            self.handed_over = False
        elif asked == "email" and email is None:
            self.email_asks += 1
            self.declined = declines(message) or self.email_asks >= 2
        elif asked is None and products and not self.need:
            # "We want Relay for our support team": the opening message already says what they need.
            self.need = words
        if not self.budget and asked != "budget" and any(s.kind == "amount" for s in slots):
            self.budget = words


def declines(message: str) -> bool:
    return _DECLINES.search(message) is not None


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= ANSWER_CHARS else text[: ANSWER_CHARS - 1] + "…"
