"""The Seller assistant's actions: prices, discount approvals and account questions, under the seller's policy.

Every account read is the seller's own (`ctx.principal`, e.g. `user:U0008`), so their team's row filter and
masks apply. An account of another team is refused in words — not an error, not a hand-off — and nothing of it
is read beyond its name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from cadre.agents.actions import ActionContext, ActionRegistry, Slot
from cadre.data.service import DataService
from cadre.errors import NotFound
from cadre.heroes._seller_accounts import (
    ACCOUNT_ID,
    AccountOutsideTeam,
    Seller,
    find_account,
    seller_of,
    team_accounts,
)
from cadre.heroes._seller_facts import AccountFacts, gather_facts
from cadre.heroes._seller_health import assess_health
from cadre.heroes._seller_phrases import say, status_name, unit_name
from cadre.heroes._seller_pricing import (
    UnknownProduct,
    money,
    parse_request,
    percent,
    price_lines,
    products,
    rule_on,
)

registry = ActionRegistry()
Edition = Literal["starter", "professional", "enterprise", "standard"]
LISTED = 5  # rows an answer lists; briefings carry the rest
LAST_ACCOUNT = "seller_account"  # ctx.state key: the account a follow-up question ("and its cases?") means


def register(target: ActionRegistry) -> None:
    for name in registry.names():
        target.add(registry.get(name))


@registry.action(purpose="sales")
def quote_price(
    ctx: ActionContext,
    product: Annotated[str, Slot("text")],
    edition: Edition | None = None,
    currency: str | None = None,
    seats: int | None = None,
    discount_percent: float | None = None,
) -> dict[str, Any]:
    """Price a product from the price book: list price per edition and currency, the discount the seller may
    give alone, what needs their manager's approval (and the manager's name), and whether a requested discount
    is allowed."""
    data: DataService = ctx.service("data")
    seller = seller_of(data, ctx.principal)
    try:
        request = parse_request(
            product, products(data), edition=edition, currency=currency, seats=seats, discount_percent=discount_percent
        )
    except UnknownProduct as exc:
        # Asking back, in the seller's language, beats failing: two failures in a row would hand the chat off.
        return {"refused": "no_product", "message": say("which_product", ctx.language, products=", ".join(exc.names))}
    lines = price_lines(data, request)
    said: list[str] = []
    quoted: list[dict[str, Any]] = []
    for line in lines:
        ruling = rule_on(line, request.discount, seller)
        unit = unit_name(line.billing_period, ctx.language)
        edition_name = line.edition.capitalize()
        price = money(line.list_price, line.currency)
        said.append(
            say(
                "list_price",
                ctx.language,
                product=line.product,
                edition=edition_name,
                price_id=line.price_id,
                price=price,
                unit=unit,
            )
        )
        bands = {"seller": percent(line.seller_max), "manager": percent(line.manager_max)}
        approver = seller.manager_name or "your sales manager"
        if seller.role == "sales_manager":
            said.append(say("bands_manager", ctx.language, **bands))
        else:
            key = "bands_seller" if line.seller_max > 0 else "bands_list_only"
            said.append(say(key, ctx.language, approver=approver, **bands))
        if ruling.decision is not None and ruling.discount is not None and ruling.net_price is not None:
            net = money(ruling.net_price, line.currency)
            key = {"list_price": "list_only"}.get(ruling.decision, ruling.decision)
            said.append(
                say(
                    key, ctx.language, discount=percent(ruling.discount), approver=approver, net=net, unit=unit, **bands
                )
            )
        if request.seats and line.billing_period == "month":
            each = ruling.net_price if ruling.net_price is not None else line.list_price
            total = money(each * request.seats, line.currency)
            said.append(say("seats_total", ctx.language, seats=request.seats, total=total))
        quoted.append(
            {
                "price_id": line.price_id,
                "product": line.product,
                "edition": line.edition,
                "currency": line.currency,
                "list_price": float(line.list_price),
                "billing_period": line.billing_period,
                "seller_max_discount": float(line.seller_max),
                "manager_max_discount": float(line.manager_max),
                "requested_discount": float(ruling.discount) if ruling.discount is not None else None,
                "decision": ruling.decision,
                "approver": ruling.approver,
                "net_price": float(ruling.net_price) if ruling.net_price is not None else None,
            }
        )
    return {"seller": seller.name, "manager": seller.manager_name, "lines": quoted, "message": "\n".join(said)}


@registry.action(purpose="account_briefing")
def account_summary(ctx: ActionContext, account: Annotated[str, Slot("text")]) -> dict[str, Any]:
    """Overview of one of the seller's accounts: who they are, owner, tier, industry, and how many open deals,
    open cases and active subscriptions they have."""

    def render(seller: Seller, facts: AccountFacts) -> dict[str, Any]:
        row = facts.account
        owner = seller.name if row.get("owner_id") == seller.user_id else str(row.get("owner_id"))
        active = [s for s in facts.subscriptions if s.get("status") == "active"]
        lines = [
            say(
                "summary",
                ctx.language,
                account=facts.name,
                account_id=facts.account_id,
                tier=row.get("tier"),
                industry=row.get("industry"),
                city=row.get("city"),
                country=row.get("country"),
                owner=owner,
            ),
            say(
                "summary_counts",
                ctx.language,
                opportunities=len(facts.open_opportunities()),
                cases=len(facts.open_cases()),
                subscriptions=len(active),
            ),
        ]
        return {"account": _public(row), "message": "\n".join(lines)}

    return _about_account(ctx, account, render)


@registry.action(purpose="account_briefing")
def open_opportunities(ctx: ActionContext, account: Annotated[str, Slot("text")]) -> dict[str, Any]:
    """Open deals (opportunities) at one of the seller's accounts: name, stage, amount and close date."""

    def render(seller: Seller, facts: AccountFacts) -> dict[str, Any]:
        deals = facts.open_opportunities()
        if not deals:
            return {"opportunities": [], "message": say("no_opportunities", ctx.language, account=facts.name)}
        lines = [say("opportunities", ctx.language, account=facts.name)]
        lines += [
            f"- {o['opportunity_id']} {o['name']}: {o['stage']}, {o['currency']} {float(o['amount']):,.0f}, "
            f"close {o['close_date']}"
            for o in deals[:LISTED]
        ]
        return {"opportunities": deals, "message": "\n".join(lines)}

    return _about_account(ctx, account, render)


@registry.action(purpose="account_briefing")
def recent_cases(ctx: ActionContext, account: Annotated[str, Slot("text")]) -> dict[str, Any]:
    """Support cases at one of the seller's accounts: open ones and those of the last six months, with status
    and priority."""

    def render(seller: Seller, facts: AccountFacts) -> dict[str, Any]:
        cases = facts.recent_cases(ctx.now)
        if not cases:
            return {"cases": [], "message": say("no_cases", ctx.language, account=facts.name)}
        lines = [say("cases", ctx.language, account=facts.name)]
        lines += [f"- {c['case_id']} ({c['status']}, {c['priority']}): {c['subject']}" for c in cases[:LISTED]]
        listed = [{k: c.get(k) for k in ("case_id", "subject", "status", "priority", "updated_at")} for c in cases]
        return {"cases": listed, "message": "\n".join(lines)}

    return _about_account(ctx, account, render)


@registry.action(purpose="account_briefing")
def account_health(ctx: ActionContext, account: Annotated[str, Slot("text")]) -> dict[str, Any]:
    """Health of one of the seller's accounts (healthy, watch or at risk) with the reasons: open cases and their
    priority, subscription status and renewals, deal stage movement, bounced emails."""

    def render(seller: Seller, facts: AccountFacts) -> dict[str, Any]:
        health = assess_health(facts, ctx.now)
        lines = [say("health", ctx.language, account=facts.name, status=status_name(health.status, ctx.language))]
        lines += [f"- [{r.level}] {r.text} ({', '.join(r.sources)})" for r in health.reasons]
        if not health.reasons:
            lines.append(say("no_health_signals", ctx.language))
        reasons = [{"level": r.level, "text": r.text, "sources": list(r.sources)} for r in health.reasons]
        return {"status": health.status, "reasons": reasons, "message": "\n".join(lines)}

    return _about_account(ctx, account, render)


@registry.action(purpose="account_briefing")
def account_contacts(ctx: ActionContext, account: Annotated[str, Slot("text")]) -> dict[str, Any]:
    """People (contacts) at one of the seller's accounts, with title and language; email and phone as the
    seller's policy shows them."""

    def render(seller: Seller, facts: AccountFacts) -> dict[str, Any]:
        if not facts.contacts:
            return {"contacts": [], "message": say("no_contacts", ctx.language, account=facts.name)}
        lines = [say("contacts", ctx.language, account=facts.name)]
        lines += [
            f"- {c['full_name']}, {c.get('title') or '-'} ({c.get('language')}): {c.get('email') or '-'}, "
            f"{c.get('phone') or '-'}"
            for c in facts.contacts[:LISTED]
        ]
        if len(facts.contacts) > LISTED:
            lines.append(f"- … (+{len(facts.contacts) - LISTED})")
        return {"contacts": facts.contacts, "message": "\n".join(lines)}

    return _about_account(ctx, account, render)


@registry.action(purpose="account_briefing")
def last_touches(ctx: ActionContext, account: Annotated[str, Slot("text")]) -> dict[str, Any]:
    """When the seller's account was last touched, and how: latest case updates, deal changes and marketing
    email opens, clicks or bounces."""

    def render(seller: Seller, facts: AccountFacts) -> dict[str, Any]:
        touches = facts.touches
        if not touches:
            return {"touches": [], "message": say("no_touches", ctx.language, account=facts.name)}
        lines = [say("touches", ctx.language, account=facts.name)]
        lines += [f"- {t.at[:10]} {t.summary} ({t.source})" for t in touches]
        listed = [{"at": t.at, "kind": t.kind, "summary": t.summary, "source": t.source} for t in touches]
        return {"touches": listed, "message": "\n".join(lines)}

    return _about_account(ctx, account, render)


def _about_account(
    ctx: ActionContext, text: str, render: Callable[[Seller, AccountFacts], dict[str, Any]]
) -> dict[str, Any]:
    """Find the account `text` names among the seller's own, gather its facts and render them; another team's
    account is refused with a message, and a question naming no account uses the one asked about last."""
    data: DataService = ctx.service("data")
    seller = seller_of(data, ctx.principal)
    try:
        account = _account_named(data, seller, text, ctx.state.get(LAST_ACCOUNT))
    except AccountOutsideTeam as exc:
        ctx.state.pop(LAST_ACCOUNT, None)
        return {"refused": "another_team", "message": say("outside_team", ctx.language, account=exc.account)}
    if account is None:
        names = ", ".join(str(a["name"]) for a in team_accounts(data, seller)[:LISTED])
        return {"refused": "no_account", "message": say("which_account", ctx.language, accounts=names)}
    ctx.state[LAST_ACCOUNT] = str(account["account_id"])
    facts = gather_facts(data, seller, account)
    result = render(seller, facts)
    result["account_id"] = facts.account_id
    result["sources"] = facts.sources
    return result


def _account_named(data: DataService, seller: Seller, text: str, last: str | None) -> dict[str, Any] | None:
    try:
        return find_account(data, seller, text)
    except NotFound:
        if last and not ACCOUNT_ID.search(text):
            try:
                return find_account(data, seller, last)
            except NotFound:
                return None
        return None


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}
