"""Public list prices for website visitors: the products a question names, priced from the price book in the
visitor's currency. Discount limits are internal and never read."""
# (currency and edition names are written as visitors write them)

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cadre.heroes._concierge_texts import text

PRINCIPAL = "agent:concierge"
PURPOSE = "marketing"
# What a visitor may see of the price book: list prices, never the discount each role may grant.
PUBLIC_PRICE_FIELDS = ["product_id", "edition", "list_price", "currency", "billing_period"]
EDITIONS = ("starter", "professional", "enterprise", "standard")

# Checked in order: "R$" before "$".
_CURRENCIES: dict[str, tuple[str, ...]] = {
    "BRL": ("brl", "r$", "reais"),
    "USD": ("usd", "us$", "$", "dollar", "dollars", "dólar", "dólares", "dollari", "ドル"),
    "EUR": ("eur", "€", "euro", "euros", "ユーロ"),
    "GBP": ("gbp", "£", "pound", "pounds", "sterling", "libras", "livres", "sterline"),
    "JPY": ("jpy", "¥", "yen", "円"),
}
_EDITION_NAMES: dict[str, tuple[str, ...]] = {
    "starter": ("starter", "スターター"),
    "professional": ("professional", "profesional", "professionnel", "professionale", "profissional",
                     "プロフェッショナル"),
    "enterprise": ("enterprise", "エンタープライズ"),
}  # fmt: skip
_KATAKANA = {
    "relay": "リレー", "pipeline": "パイプライン", "pulse": "パルス", "beacon": "ビーコン", "vault": "ボールト"
}  # fmt: skip
_SYMBOLS = {"USD": "${n}", "EUR": "{n} €", "GBP": "£{n}", "JPY": "¥{n}", "BRL": "R$ {n}"}


@dataclass(frozen=True)
class Product:
    product_id: str
    name: str  # "Halyard Relay", "Premium Support"
    kind: str  # subscription, add_on or service

    @property
    def aliases(self) -> tuple[str, ...]:
        short = self.name.removeprefix("Halyard ").lower()
        katakana = _KATAKANA.get(short)
        return (short, katakana) if katakana else (short, short.split()[0])


def catalogue(data: Any) -> list[Product]:
    rows = data.get(
        "Product", principal=PRINCIPAL, purpose=PURPOSE, fields=["product_id", "name", "kind"], limit=None
    ).rows
    return [Product(str(r["product_id"]), str(r["name"]), str(r["kind"])) for r in rows]


def products_named(message: str, products: list[Product]) -> list[Product]:
    """The products a message names, in catalogue order ("Relay", "Halyard Pulse", "パイプライン")."""
    return [p for p in products if any(_names(alias, message) for alias in p.aliases)]


def currency_named(message: str) -> str | None:
    for code, names in _CURRENCIES.items():
        if any(_names(name, message) for name in names):
            return code
    return None


def edition_named(message: str) -> str | None:
    named = [edition for edition, names in _EDITION_NAMES.items() if any(_names(n, message) for n in names)]
    return named[0] if len(named) == 1 else None


def _names(name: str, message: str) -> bool:
    if not name.isascii() and not any(c.isascii() and c.isalpha() for c in name):
        return name in message  # Japanese and symbols: no word boundaries to look for
    if not any(c.isalnum() for c in name):
        return name in message
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", message, re.IGNORECASE) is not None


def price_list(data: Any, products: list[Product], *, currency: str, edition: str | None, language: str) -> str:
    """The list prices of `products` (all subscriptions' entry prices when none) as a short localized text."""
    rows = data.get(
        "PriceBookEntry",
        principal=PRINCIPAL,
        purpose=PURPOSE,
        where={"currency": currency},
        fields=PUBLIC_PRICE_FIELDS,
        limit=None,
    ).rows
    by_product: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: (str(r["product_id"]), EDITIONS.index(str(r["edition"])))):
        by_product.setdefault(str(row["product_id"]), []).append(row)
    if not products:
        entry = [p for p in _subscriptions(data) if p.product_id in by_product]
        lines = [text("prices_from", language, currency=currency)]
        lines += [f"- {p.name}: {_money(by_product[p.product_id][0]['list_price'], currency)}" for p in entry]
        return "\n".join([*lines, "", text("prices_note", language)])
    blocks: list[str] = []
    for product in products:
        entries = [r for r in by_product.get(product.product_id, []) if edition in (None, r["edition"])]
        if not entries:
            entries = by_product.get(product.product_id, [])
        if not entries:
            continue
        lines = [text("prices_of", language, product=product.name, currency=currency)]
        for row in entries:
            period = _period(product, str(row["billing_period"]), language)
            label = str(row["edition"]).capitalize()
            lines.append(f"- {label}: {_money(row['list_price'], currency)} {period}")
        blocks.append("\n".join(lines))
    if not blocks:
        return text("no_prices", language, currency=currency)
    return "\n\n".join([*blocks, text("prices_note", language)])


def _subscriptions(data: Any) -> list[Product]:
    return [p for p in catalogue(data) if p.kind == "subscription"]


def _period(product: Product, billing_period: str, language: str) -> str:
    if billing_period == "one_time":
        return f"({text('one_time', language)})"
    return text("per_seat_month" if product.kind == "subscription" else "per_month", language)


def _money(amount: Any, currency: str) -> str:
    value = float(amount)
    number = f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return _SYMBOLS.get(currency, "{n} " + currency).format(n=number)
