"""Who the seller is and which account they mean, always through the seller's own row-level policy."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cadre.data.service import DataService
from cadre.errors import CadreError, NotFound

AGENT = "agent:seller_assistant"
BRIEFING = "account_briefing"  # the purpose account reads are made under (policies grant it per entity)
ROUTING = "account_routing"  # the purpose of the name-only directory read behind a refusal
SELLER_ROLES = ("seller", "sales_manager")
ACCOUNT_FIELDS = [
    "account_id",
    "name",
    "domain",
    "industry",
    "employees",
    "annual_revenue",
    "country",
    "city",
    "owner_id",
    "owner_team",
    "tier",
    "created_at",
    "updated_at",
]
ACCOUNT_ID = re.compile(r"(?<![A-Za-z0-9])A-?(\d{5})(?![0-9])", re.IGNORECASE)
MIN_TOKEN = 4  # a single word of an account's name must be this long to stand for the account


class AccountOutsideTeam(CadreError):
    """The seller named an account that exists but belongs to another team: refused, never read."""

    def __init__(self, account: str, team: str) -> None:
        super().__init__(f"account {account!r} belongs to another team, not to the {team!r} team")
        self.account = account


class NotASeller(CadreError):
    """The assistant serves sellers and sales managers only."""


@dataclass(frozen=True)
class Seller:
    """The person the assistant acts for, with the manager who approves their discounts."""

    principal: str
    user_id: str
    name: str
    role: str
    team: str
    manager_id: str | None
    manager_name: str | None


def seller_of(data: DataService, principal: str) -> Seller:
    """The seller behind `principal` (`user:U0008`); anyone else is refused."""
    if not principal.startswith("user:"):
        raise NotASeller(f"the seller assistant acts for a seller: principal must be `user:ID`, got {principal!r}")
    who = data.principal(principal)
    role = next((r for r in who.roles if r in SELLER_ROLES), None)
    if role is None:
        raise NotASeller(f"the seller assistant serves {' or '.join(SELLER_ROLES)}s, got roles {list(who.roles)!r}")
    user_id = who.attributes.get("user_id", principal.removeprefix("user:"))
    me = _user(data, user_id)
    manager_id = me.get("manager_id") if me else None
    manager = _user(data, str(manager_id)) if manager_id else None
    return Seller(
        principal=principal,
        user_id=user_id,
        name=str(me["full_name"]) if me else user_id,
        role=role,
        team=who.attributes.get("team", ""),
        manager_id=str(manager_id) if manager_id else None,
        manager_name=str(manager["full_name"]) if manager else None,
    )


def _user(data: DataService, user_id: str) -> dict[str, Any] | None:
    rows = data.get(
        "User",
        principal=AGENT,
        purpose="sales",
        where={"user_id": user_id},
        fields=["user_id", "full_name", "manager_id"],
    ).rows
    return rows[0] if rows else None


def team_accounts(data: DataService, seller: Seller) -> list[dict[str, Any]]:
    """Every account the seller's own policy lets them read (the row filter narrows it to their team)."""
    return data.get("Account", principal=seller.principal, purpose=BRIEFING, fields=ACCOUNT_FIELDS, limit=None).rows


def find_account(data: DataService, seller: Seller, text: str) -> dict[str, Any]:
    """The seller's account that `text` names (by id or name). An account of another team is refused with
    `AccountOutsideTeam`; the name-only directory read that tells the two apart happens only after the seller's
    own read found no match."""
    mine = team_accounts(data, seller)
    found = match_account(text, mine)
    if found is not None:
        return found
    directory = data.get("Account", principal=AGENT, purpose=ROUTING, fields=["account_id", "name"], limit=None).rows
    other = match_account(text, directory)
    if other is not None:
        raise AccountOutsideTeam(str(other["name"]), seller.team)
    raise NotFound(f"no account matches {text.strip()!r}: give an account id (`A00012`) or the account's name")


def match_account(text: str, accounts: Iterable[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The account `text` names: its id, else the longest full name in it, else one distinctive word of a name."""
    rows = [dict(a) for a in accounts]
    ids = {m.group(1) for m in ACCOUNT_ID.finditer(text)}
    for row in rows:
        if str(row["account_id"]).upper().removeprefix("A") in ids:
            return row
    folded = _fold(text)
    named = [row for row in rows if _fold(str(row["name"])) in folded]
    if named:
        return max(named, key=lambda row: len(str(row["name"])))
    by_word = [row for row in rows if _first_word_in(str(row["name"]), folded)]
    return by_word[0] if len(by_word) == 1 else None


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _first_word_in(name: str, folded_text: str) -> bool:
    word = _fold(name).split(" ")[0]
    if len(word) < MIN_TOKEN:
        return False
    # Latin-letter boundaries, not `\b`: Japanese runs words together, so a name sits right against kana.
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", folded_text) is not None
