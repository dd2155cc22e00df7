"""Prices and discount bands from the price book, and who must approve a discount.

Bands per price-book line: up to `max_discount_seller` the seller decides; up to `max_discount_manager` the
seller's manager approves; above that there is no approval level (the discount policy: restructure the deal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from cadre.data.reads import FilterValue
from cadre.data.service import DataService
from cadre.errors import NotFound
from cadre.heroes._seller_accounts import AGENT, Seller

Decision = Literal["list_price", "seller_may_give", "manager_approval", "not_available"]

EDITIONS: dict[str, tuple[str, ...]] = {
    "starter": ("starter", "スターター"),
    "professional": ("professional", "pro", "プロフェッショナル"),
    "enterprise": ("enterprise", "エンタープライズ"),
    "standard": ("standard",),
}
CURRENCY_SIGNS = {
    "R$": "BRL",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "円": "JPY",
    "ドル": "USD",
    "ユーロ": "EUR",
}
DEFAULT_CURRENCY = "USD"
PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:%|％|percent\b|per cent\b|prozent\b|パーセント)", re.IGNORECASE)  # noqa: RUF001
SEATS = re.compile(
    r"(\d+)\s*(?:seats?|users?|licen[cs]es?|lizenzen|plätze|nutzer|sitze|席|ユーザー|ライセンス|名)", re.IGNORECASE
)
CENT = Decimal("0.01")


class UnknownProduct(NotFound):
    """The request names no product of the catalog."""

    def __init__(self, text: str, names: list[str]) -> None:
        super().__init__(f"no product named in {text.strip()!r}: name one of {', '.join(names)}")
        self.names = names


@dataclass(frozen=True)
class PriceLine:
    price_id: str
    product_id: str
    product: str
    edition: str
    currency: str
    list_price: Decimal
    billing_period: str
    seller_max: Decimal  # 0-1
    manager_max: Decimal


@dataclass(frozen=True)
class PriceRequest:
    product_id: str
    product: str
    edition: str | None
    currency: str
    seats: int | None
    discount: Decimal | None  # 0-1


@dataclass(frozen=True)
class DiscountRuling:
    line: PriceLine
    discount: Decimal | None
    decision: Decision | None  # None when no discount was asked about
    approver: str | None  # who must approve, by name; None when nobody has to (or nobody can)
    net_price: Decimal | None


def products(data: DataService) -> dict[str, str]:
    rows = data.get("Product", principal=AGENT, purpose="sales", fields=["product_id", "name"]).rows
    return {str(r["product_id"]): str(r["name"]) for r in rows}


def parse_request(
    text: str,
    catalog: dict[str, str],
    *,
    edition: str | None = None,
    currency: str | None = None,
    seats: int | None = None,
    discount_percent: float | None = None,
) -> PriceRequest:
    """Product, edition, currency, seats and discount named in `text`; explicit arguments win."""
    folded = text.casefold()
    product_id = _product_in(folded, catalog)
    if product_id is None:
        raise UnknownProduct(text, [_short(n) for n in catalog.values()])
    if edition is None:
        edition = next((e for e, words in EDITIONS.items() if any(_word_in(w, folded) for w in words)), None)
    if currency is None:
        currency = _currency_in(text)
    if seats is None and (match := SEATS.search(text)):
        seats = int(match.group(1))
    discount = Decimal(str(discount_percent)) / 100 if discount_percent is not None else None
    if discount is None and (match := PERCENT.search(text)):
        discount = Decimal(match.group(1).replace(",", ".")) / 100
    return PriceRequest(product_id, catalog[product_id], edition, currency.upper(), seats, discount)


def price_lines(data: DataService, request: PriceRequest) -> list[PriceLine]:
    where: dict[str, FilterValue] = {"product_id": request.product_id, "currency": request.currency}
    if request.edition:
        where["edition"] = request.edition
    rows = data.get("PriceBookEntry", principal=AGENT, purpose="sales", where=where, limit=None).rows
    if not rows:
        what = f"{_short(request.product)} {request.edition or ''}".strip()
        raise NotFound(f"the price book has no {what} line in {request.currency}")
    return [_line(row, request.product) for row in rows]


def rule_on(line: PriceLine, discount: Decimal | None, seller: Seller) -> DiscountRuling:
    """Whether `discount` on `line` is the seller's call, needs their manager, or is not available at all."""
    if discount is None:
        return DiscountRuling(line, None, None, None, None)
    net = (line.list_price * (1 - discount)).quantize(CENT, ROUND_HALF_UP)
    own_limit = line.manager_max if seller.role == "sales_manager" else line.seller_max
    if discount <= 0:
        return DiscountRuling(line, discount, "list_price", None, net)
    if discount <= own_limit:
        return DiscountRuling(line, discount, "seller_may_give", None, net)
    if discount <= line.manager_max:
        return DiscountRuling(line, discount, "manager_approval", seller.manager_name or "your sales manager", net)
    return DiscountRuling(line, discount, "not_available", None, net)


def percent(value: Decimal) -> str:
    """`Decimal("0.15")` -> `15%`, `Decimal("0.125")` -> `12.5%`."""
    return f"{(value * 100).normalize():f}%"


def money(amount: Decimal, currency: str) -> str:
    return f"{currency} {amount.quantize(CENT):,.2f}"


def _line(row: dict[str, Any], product: str) -> PriceLine:
    return PriceLine(
        price_id=str(row["price_id"]),
        product_id=str(row["product_id"]),
        product=product,
        edition=str(row["edition"]),
        currency=str(row["currency"]),
        list_price=Decimal(str(row["list_price"])),
        billing_period=str(row["billing_period"]),
        seller_max=Decimal(str(row["max_discount_seller"])),
        manager_max=Decimal(str(row["max_discount_manager"])),
    )


def _short(name: str) -> str:
    return name.removeprefix("Halyard ")


def _product_in(folded: str, catalog: dict[str, str]) -> str | None:
    found = [(pid, name) for pid, name in catalog.items() if _word_in(_short(name).casefold(), folded)]
    if not found:  # a one-word mention of a multi-word product: "storage", "onboarding", "workshop"
        found = [
            (pid, name)
            for pid, name in catalog.items()
            if any(len(w) > 5 and _word_in(w, folded) for w in _short(name).casefold().split())
        ]
    return max(found, key=lambda pair: len(pair[1]))[0] if found else None


def _word_in(word: str, folded: str) -> bool:
    # Latin-letter boundaries: Japanese runs words together, so a product name sits right against kana.
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", folded) is not None


def _currency_in(text: str) -> str:
    code = re.search(r"\b(USD|EUR|GBP|JPY|BRL|AUD|CAD|MXN)\b", text, re.IGNORECASE)
    if code:
        return code.group(1).upper()
    return next((c for sign, c in CURRENCY_SIGNS.items() if sign in text), DEFAULT_CURRENCY)
