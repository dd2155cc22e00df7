"""Read the SDR's working set through the governed data layer: open leads, their engagement, products, reps."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from cadre.data.service import DataService
from cadre.errors import CadreError
from cadre.sales.models import OPEN_STATUSES, Engagement, Lead, LeadProfile, Product, Rep

PRINCIPAL = "agent:sdr"
PURPOSE = "prospecting"
SIMILAR_CUSTOMERS = 2


class UnknownLead(CadreError):
    """No lead has that id or address (or the SDR may not read it)."""


def when(value: Any) -> datetime:
    """An aware UTC datetime from what a source returns (ISO text or a timestamp, naive meaning UTC)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)


class SalesData:
    """The SDR agent's reads, all as `agent:sdr` for `prospecting`, so each is authorised and audited."""

    def __init__(self, data: DataService) -> None:
        self.data = data

    def _rows(self, entity: str, where: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self.data.get(entity, principal=PRINCIPAL, purpose=PURPOSE, where=where, limit=None).rows

    def open_leads(self) -> list[Lead]:
        rows = self._rows("Lead", {"status": list(OPEN_STATUSES)})
        return sorted((_lead(row) for row in rows), key=lambda lead: lead.lead_id)

    def lead(self, lead_id: str) -> Lead:
        rows = self._rows("Lead", {"lead_id": lead_id})
        if not rows:
            raise UnknownLead(f"lead must be a known lead id, got {lead_id!r}")
        return _lead(rows[0])

    def leads_by_email(self, address: str) -> list[Lead]:
        wanted = address.strip().lower()
        # Addresses are stored as typed ("Paul.Gardner@…"), so the match is made here, case-insensitively.
        rows = self._rows("Lead")
        return [_lead(row) for row in rows if str(row.get("email") or "").lower() == wanted]

    def profiles(self, leads: list[Lead]) -> list[LeadProfile]:
        addresses = sorted({lead.email.lower() for lead in leads if lead.email})
        events = self._engagement(addresses)
        products = self.products()
        accounts = self._rows("Account")
        return [
            LeadProfile(
                lead=lead,
                engagement=events.get((lead.email or "").lower(), []),
                product=products.get(lead.product_interest or ""),
                similar_customers=_similar(lead, accounts),
            )
            for lead in leads
        ]

    def _engagement(self, addresses: list[str]) -> dict[str, list[Engagement]]:
        found: dict[str, list[Engagement]] = defaultdict(list)
        if not addresses:
            return found
        # Marketing tools keep the address as typed; the lead's may differ in case only.
        wanted = set(addresses)
        for row in self._rows("FormFill"):
            if str(row.get("email") or "").lower() in wanted:
                found[str(row["email"]).lower()].append(
                    Engagement("form", when(row["filled_at"]), str(row.get("form") or ""))
                )
        for row in self._rows("PageView"):
            if str(row.get("email") or "").lower() in wanted:
                found[str(row["email"]).lower()].append(
                    Engagement("page", when(row["viewed_at"]), str(row.get("title") or ""), url=str(row.get("url")))
                )
        for row in self._rows("EmailEvent"):
            if str(row.get("email") or "").lower() in wanted:
                found[str(row["email"]).lower()].append(
                    Engagement("email", when(row["at"]), str(row.get("campaign") or ""), event=str(row["event"]))
                )
        for items in found.values():
            items.sort(key=lambda e: e.at)
        return found

    def products(self) -> dict[str, Product]:
        return {
            str(row["product_id"]): Product(
                str(row["product_id"]),
                str(row["name"]),
                str(row.get("family") or ""),
                str(row.get("description") or ""),
            )
            for row in self._rows("Product")
        }

    def rep(self, user_id: str) -> Rep:
        users = self._rows("User", {"user_id": user_id})
        if not users:
            raise UnknownLead(f"a lead's owner must be a known user, got {user_id!r}")
        user = users[0]
        hours = {
            int(row["weekday"]): (int(row["start_hour"]), int(row["end_hour"]))
            for row in self._rows("RepAvailability", {"user_id": user_id})
        }
        return Rep(
            user_id=user_id,
            full_name=str(user["full_name"]),
            email=str(user["email"]),
            time_zone=str(user.get("time_zone") or "UTC"),
            manager_id=str(user["manager_id"]) if user.get("manager_id") else None,
            hours=hours,
        )


def _lead(row: dict[str, Any]) -> Lead:
    full_name = str(row.get("full_name") or "").strip()
    first = str(row.get("first_name") or "").strip() or full_name.split(" ")[0]
    employees = row.get("employees")
    return Lead(
        lead_id=str(row["lead_id"]),
        first_name=first,
        full_name=full_name or first,
        email=str(row["email"]).strip() if row.get("email") else None,
        company=str(row.get("company") or "").strip(),
        title=str(row["title"]).strip() if row.get("title") else None,
        industry=str(row["industry"]) if row.get("industry") else None,
        employees=int(employees) if employees not in (None, "") else None,
        country=str(row["country"]) if row.get("country") else None,
        status=str(row.get("status") or "new"),
        owner_id=str(row["owner_id"]) if row.get("owner_id") else None,
        time_zone=str(row.get("time_zone") or "UTC"),
        language=str(row.get("language") or "en"),
        product_interest=str(row["product_interest"]) if row.get("product_interest") else None,
        created_at=when(row["created_at"]),
    )


def size_band(employees: int | None) -> str | None:
    if employees is None:
        return None
    return "smb" if employees < 200 else "mid_market" if employees < 1000 else "enterprise"


def _similar(lead: Lead, accounts: list[dict[str, Any]]) -> list[str]:
    """Accounts in the lead's industry, closest in size first; never the lead's own company."""
    if not lead.industry:
        return []
    own = lead.company.lower()
    peers = [
        a
        for a in accounts
        if a.get("industry") == lead.industry
        and str(a.get("name") or "").lower() not in own
        and own not in str(a.get("name") or "").lower()
    ]
    band = size_band(lead.employees)
    if band is not None:
        same = [a for a in peers if size_band(int(a["employees"]) if a.get("employees") is not None else None) == band]
        peers = same or peers
    size = lead.employees or 0
    peers.sort(key=lambda a: (abs(int(a.get("employees") or 0) - size), str(a["name"])))
    return [str(a["name"]) for a in peers[:SIMILAR_CUSTOMERS]]
