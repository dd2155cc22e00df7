"""The concierge's lead: created, or updated for a returning visitor, through the governed data layer (audited),
assigned to the SDR team of the visitor's region, and announced to the `sdr` hand-off queue."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cadre.errors import CadreError
from cadre.heroes._concierge_regions import Region, region_for
from cadre.heroes._concierge_visit import Visit

PRINCIPAL = "agent:concierge"
PURPOSE = "marketing"
LEAD_SOURCE = "concierge"
SDR_QUEUE = "sdr"
HANDOFF_REASON = "qualified_lead"
# A returning visitor's lead is worked again when it was only parked; decided leads keep their status.
REOPENED_STATUSES = ("nurture",)
INSERT_ATTEMPTS = 3  # two visitors may take the same next id at once; the loser reads again and retries
_FREE_MAIL = re.compile(
    r"^(?:gmail|googlemail|yahoo|hotmail|outlook|live|icloud|me|aol|gmx|web|proton|protonmail|libero|orange|free"
    r"|laposte|wanadoo|uol|bol|terra|docomo|ezweb|yandex|mail)\."
)


@dataclass(frozen=True)
class SavedLead:
    lead_id: str
    created: bool
    status: str
    region: Region


def save_lead(data: Any, visit: Visit, *, language: str, now: datetime) -> SavedLead:
    """Create the visitor's lead, or update the lead that already has their e-mail (any case) instead."""
    assert visit.email is not None  # callers save only once the visitor gave one
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    answers = {
        "need": visit.need,
        "timeline": visit.timeline,
        "budget": visit.budget,
        "authority": visit.authority,
        "qualified_at": stamp if visit.qualified else None,
        "updated_at": stamp,
    }
    region = region_for(named=visit.region, email=visit.email, language=language)
    for _ in range(INSERT_ATTEMPTS):
        leads = data.get(
            "Lead", principal=PRINCIPAL, purpose=PURPOSE, fields=["lead_id", "email", "status", "product_interest"],
            limit=None,
        ).rows  # fmt: skip
        existing = _lead_of(leads, visit.email, visit.lead_id)
        if existing is not None:
            values: dict[str, Any] = {k: v for k, v in answers.items() if v is not None}
            if existing.get("status") in REOPENED_STATUSES:
                values["status"] = "new"
            if visit.product_interest and not existing.get("product_interest"):
                values["product_interest"] = visit.product_interest
            data.update("Lead", existing["lead_id"], values, principal=PRINCIPAL, purpose=PURPOSE)
            status = str(values.get("status") or existing.get("status"))
            return SavedLead(str(existing["lead_id"]), created=False, status=status, region=region)
        lead_id = _next_id(leads)
        values = {
            "lead_id": lead_id,
            **_person(visit.email),
            "email": visit.email,
            "country": region.country,
            "source": LEAD_SOURCE,
            "status": "new",
            "owner_id": _sdr_of(data, region.team, language),
            "owner_team": region.team,
            "time_zone": region.time_zone,
            "language": language,
            "product_interest": visit.product_interest,
            **answers,
            "created_at": stamp,
        }
        try:
            data.insert("Lead", values, principal=PRINCIPAL, purpose=PURPOSE)
        except CadreError as exc:
            if "UNIQUE" in str(exc) or "duplicate key" in str(exc):
                continue
            raise
        return SavedLead(lead_id, created=True, status="new", region=region)
    raise CadreError(f"creating a lead must find a free lead id, got a conflict {INSERT_ATTEMPTS} times in a row")


def _lead_of(leads: list[dict[str, Any]], email: str, known_id: str | None) -> dict[str, Any] | None:
    wanted = email.lower()
    # CRMs keep addresses as typed ("Paul.Gardner@…"), so the match ignores case. Of several, the one this visit
    # wrote before, else an open one, else the newest.
    mine = [row for row in leads if str(row.get("email") or "").lower() == wanted]
    if not mine:
        return None
    mine.sort(key=lambda r: (r["lead_id"] == known_id, r.get("status") in ("new", "working"), str(r["lead_id"])))
    return mine[-1]


def _next_id(leads: list[dict[str, Any]]) -> str:
    numbers = [int(m[1]) for row in leads if (m := re.fullmatch(r"L(\d+)", str(row["lead_id"])))]
    return f"L{max(numbers, default=0) + 1:06d}"


def _sdr_of(data: Any, team: str, language: str) -> str | None:
    """The team's SDR, preferring one who speaks the visitor's language; None when the team has none."""
    reps = data.get(
        "User", principal=PRINCIPAL, purpose=PURPOSE, where={"role": "sdr", "team": team},
        fields=["user_id", "languages"], limit=None,
    ).rows  # fmt: skip
    reps.sort(key=lambda r: (language not in str(r.get("languages") or "").split(","), str(r["user_id"])))
    return str(reps[0]["user_id"]) if reps else None


def _person(email: str) -> dict[str, str | None]:
    """Name and company as far as a work address tells them (jane.doe@acme-labs.com → Jane Doe, Acme Labs)."""
    local, _, domain = email.partition("@")
    parts = [p for p in re.split(r"[._-]+", local) if p.isalpha()]
    person: dict[str, str | None] = {"first_name": None, "last_name": None, "full_name": None, "company": None}
    if len(parts) == 2:
        first, last = (p.capitalize() for p in parts)
        person.update(first_name=first, last_name=last, full_name=f"{first} {last}")
    if not _FREE_MAIL.match(domain.lower()):
        person["company"] = " ".join(w.capitalize() for w in re.split(r"[-_]+", domain.split(".")[0]) if w)
    return person


def lead_summary(visit: Visit, saved: SavedLead, *, language: str) -> str:
    """What the SDR reads first: who, where, and the four answers in the visitor's words."""
    verb = "created" if saved.created else "updated"
    return "\n".join(
        [
            f"Website visitor qualified by the concierge: lead {saved.lead_id} {verb}, status {saved.status}.",
            f"E-mail: {visit.email}; country {saved.region.country}, team {saved.region.team}; language: {language}.",
            f"Product interest: {visit.product_interest or 'not named'}.",
            f"Need: {visit.need or '-'}",
            f"Timeline: {visit.timeline or '-'}",
            f"Budget: {visit.budget or '-'}",
            f"Authority: {visit.authority or '-'}",
        ]
    )
