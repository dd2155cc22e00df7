"""Account briefings for sellers: summary, health, deals, cases, contacts, touches and battlecards, with sources.

A briefing is built from the same governed reads as the Seller assistant's answers (the seller's own policy, so
another team's account is refused), and rendered as Markdown or PDF. Its Sources section lists every record and
document it used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from fpdf import FPDF

from cadre.data.service import DataService
from cadre.heroes._seller_accounts import Seller, find_account, seller_of
from cadre.heroes._seller_facts import AccountFacts, Touch, gather_facts
from cadre.heroes._seller_health import Health, assess_health
from cadre.knowledge.service import KnowledgeBase

SALES_COLLECTION = "sales"
BATTLECARD_PREFIX = "Battlecard: "
BATTLECARD_CHARS = 900
BATTLECARD_SECTIONS = ("Where we win", "Landmines to lay")  # what a seller walking into a meeting needs
BRIEFING_CASES = 8
BOLD_LEVEL = re.compile(r"^- \*\*(\w+)\*\*:")  # the Markdown emphasis of health levels, plain in the PDF
# A CJK-capable font shipped on PyPI (SIL OFL): account data is in seven languages, Japanese included.
UNICODE_FONT = ("noto_cjk_sans_jp_regular", "NotoSansCJKjp-Regular.otf")


@dataclass(frozen=True)
class Battlecard:
    competitor: str
    doc_id: str
    title: str
    url: str | None
    excerpt: str
    why: str  # where the competitor came up


@dataclass
class Briefing:
    seller: Seller
    facts: AccountFacts
    health: Health
    generated_at: datetime
    cases: list[dict[str, Any]]
    touches: list[Touch]
    battlecards: list[Battlecard] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        documents = [f"{b.title} ({b.url or b.doc_id})" for b in self.battlecards]
        return [*self.facts.sources, *documents]

    def to_json(self) -> dict[str, Any]:
        return {
            "account": {k: v for k, v in self.facts.account.items() if k not in ("created_at", "updated_at")},
            "seller": self.seller.name,
            "generated_at": self.generated_at.isoformat(),
            "health": {
                "status": self.health.status,
                "reasons": [
                    {"level": r.level, "text": r.text, "sources": list(r.sources)} for r in self.health.reasons
                ],
            },
            "opportunities": self.facts.open_opportunities(),
            "cases": self.cases,
            "contacts": self.facts.contacts,
            "touches": [{"at": t.at, "kind": t.kind, "summary": t.summary, "source": t.source} for t in self.touches],
            "battlecards": [
                {"competitor": b.competitor, "title": b.title, "url": b.url, "why": b.why} for b in self.battlecards
            ],
            "sources": self.sources,
        }


def build_briefing(
    data: DataService,
    knowledge: KnowledgeBase,
    *,
    principal: str,
    account: str,
    now: datetime,
    competitor: str | None = None,
) -> Briefing:
    """The briefing on `account` (an id or a name) for the seller `principal`; another team's account raises
    `AccountOutsideTeam` before anything of it is read."""
    seller = seller_of(data, principal)
    row = find_account(data, seller, account)
    facts = gather_facts(data, seller, row)
    recent = facts.recent_cases(now)
    # An account with nothing recent still shows its latest cases: a seller walking in wants the history.
    cases = (recent or facts.cases)[:BRIEFING_CASES]
    listed = [{k: c.get(k) for k in ("case_id", "subject", "status", "priority", "updated_at")} for c in cases]
    return Briefing(
        seller=seller,
        facts=facts,
        health=assess_health(facts, now),
        generated_at=now,
        cases=listed,
        touches=facts.touches,
        battlecards=_battlecards(knowledge, facts, competitor),
    )


def _battlecards(knowledge: KnowledgeBase, facts: AccountFacts, competitor: str | None) -> list[Battlecard]:
    """Battlecards of competitors named by the seller or in the account's deals and cases."""
    if SALES_COLLECTION not in {str(c["collection"]) for c in knowledge.collections()}:
        return []
    # Keyword search finds the battlecards by their title without loading the embedding model.
    hits = knowledge.search("Battlecard", collection=SALES_COLLECTION, k=50, mode="keyword").hits
    cards = {h.title.removeprefix(BATTLECARD_PREFIX): h for h in hits if h.title.startswith(BATTLECARD_PREFIX)}
    texts = [str(o.get("name", "")) for o in facts.opportunities]
    texts += [f"{c.get('subject', '')} {c.get('description', '')}" for c in facts.cases]
    found: list[Battlecard] = []
    for name in sorted(cards):
        if competitor and competitor.casefold() == name.casefold():
            why = "named by the seller"
        elif any(re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE) for text in texts):
            why = "mentioned in the account's deals or cases"
        else:
            continue
        sections = knowledge.search(f"{name} where we win landmines", collection=SALES_COLLECTION, k=20, mode="keyword")
        own = [h for h in sections.hits if h.title == f"{BATTLECARD_PREFIX}{name}"] or [cards[name]]
        chosen = [h for part in BATTLECARD_SECTIONS for h in own if h.heading_path[-1:] == [part]] or own[:1]
        excerpt = "\n\n".join(f"{' / '.join(h.heading_path)}:\n{_shorten(h.text)}" for h in chosen)
        found.append(Battlecard(name, own[0].doc_id, own[0].title, own[0].url, excerpt, why))
    return found


def _shorten(text: str) -> str:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")).strip()
    return body if len(body) <= BATTLECARD_CHARS else body[:BATTLECARD_CHARS].rsplit(" ", 1)[0] + " …"


# ------------------------------------------------------------------ Markdown


def to_markdown(briefing: Briefing) -> str:
    facts, row = briefing.facts, briefing.facts.account
    lines = [
        f"# Account briefing: {facts.name} ({facts.account_id})",
        "",
        f"Prepared for {briefing.seller.name} ({briefing.seller.team} team) on {briefing.generated_at:%Y-%m-%d}.",
        "",
        "## Summary",
        "",
        f"- Industry: {row.get('industry')}; tier: {row.get('tier')}; employees: {row.get('employees')}",
        f"- Location: {row.get('city')}, {row.get('country')}; domain: {row.get('domain')}",
        f"- Owner: {row.get('owner_id')} ({row.get('owner_team')} team)",
        f"- Open opportunities: {len(facts.open_opportunities())}; open cases: {len(facts.open_cases())}; "
        f"subscriptions: {len(facts.subscriptions)}",
        "",
        f"## Health: {briefing.health.status.replace('_', ' ')}",
        "",
    ]
    lines += [f"- **{r.level}**: {r.text} ({', '.join(r.sources)})" for r in briefing.health.reasons] or [
        "- No open cases, subscriptions or deals to judge by."
    ]
    lines += ["", "## Open opportunities", ""]
    lines += [
        f"- {o['opportunity_id']} {o['name']}: {o['stage']}, {o['currency']} {float(o['amount']):,.0f}, "
        f"closes {o['close_date']}"
        for o in facts.open_opportunities()
    ] or ["- None."]
    lines += ["", "## Recent cases", ""]
    lines += [
        f"- {c['case_id']} ({c['status']}, {c['priority']}, updated {str(c['updated_at'])[:10]}): {c['subject']}"
        for c in briefing.cases
    ] or ["- None."]
    lines += ["", "## Contacts", ""]
    lines += [
        f"- {c['full_name']}, {c.get('title') or '-'} ({c.get('language')}): {c.get('email') or '-'}, "
        f"{c.get('phone') or '-'}"
        for c in facts.contacts
    ] or ["- None."]
    lines += ["", "## Last touches", ""]
    lines += [f"- {t.at[:10]} {t.summary} ({t.source})" for t in briefing.touches] or ["- None."]
    if briefing.battlecards:
        lines += ["", "## Competition", ""]
        for card in briefing.battlecards:
            lines += [f"### {card.title} ({card.why})", "", card.excerpt, "", f"Source: {card.url or card.doc_id}", ""]
    lines += ["", "## Sources", ""]
    lines += [f"- {source}" for source in briefing.sources]
    return "\n".join(lines).rstrip() + "\n"


# ------------------------------------------------------------------ PDF


def to_pdf(briefing: Briefing, path: Path) -> str | None:
    """Write the briefing as a PDF at `path`. Returns a note when the Unicode font is missing and characters
    outside Latin-1 had to be replaced (the PDF says so too), else None."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    font = _unicode_font()
    note = None
    if font is not None:
        pdf.add_font("briefing", fname=str(font))
        family = "briefing"
    else:
        family = "helvetica"
        note = f"the PDF font package `{UNICODE_FONT[0]}` is not installed: characters outside Latin-1 are shown as '?'"
    for line in to_markdown(briefing).splitlines():
        text = line if font is not None else _latin1(line)
        if line.startswith("# "):
            pdf.set_font(family, size=16)
            pdf.multi_cell(0, 9, text[2:], new_x="LMARGIN", new_y="NEXT")
            if note:
                pdf.set_font(family, size=9)
                pdf.multi_cell(0, 5, f"Note: {note}.", new_x="LMARGIN", new_y="NEXT")
        elif line.startswith("## ") or line.startswith("### "):
            pdf.set_font(family, size=13 if line.startswith("## ") else 11)
            pdf.multi_cell(0, 8, text.lstrip("# "), new_x="LMARGIN", new_y="NEXT")
        elif not line.strip():
            pdf.ln(2)
        else:
            pdf.set_font(family, size=10)
            pdf.multi_cell(0, 5, BOLD_LEVEL.sub(r"- \1:", text), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return note


def _unicode_font() -> Path | None:
    # Located without importing the package: it carries nothing but the font file.
    spec = find_spec(UNICODE_FONT[0])
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / UNICODE_FONT[1]
    return path if path.exists() else None


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")
