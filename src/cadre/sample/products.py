"""What the sample company sells: products, editions and the price book in five currencies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ProductKind = Literal["subscription", "add_on", "service"]


@dataclass(frozen=True)
class Product:
    product_id: str
    name: str
    family: str
    kind: ProductKind
    base_price: float  # USD: per seat per month for subscriptions, per unit per month for add-ons, per unit once
    description: str


PRODUCTS: tuple[Product, ...] = (
    Product(
        "P001",
        "Halyard Relay",
        "Customer Service",
        "subscription",
        45.0,
        "Shared inbox for support teams: email, live chat and messaging in one queue, with SLAs, macros, "
        "routing by skill and language, and a customer portal.",
    ),
    Product(
        "P002",
        "Halyard Pipeline",
        "Sales",
        "subscription",
        55.0,
        "Pipeline management for B2B sales: accounts, opportunities, forecasts, activity capture from email "
        "and calendar, and territory rules.",
    ),
    Product(
        "P003",
        "Halyard Pulse",
        "Analytics",
        "subscription",
        30.0,
        "Dashboards and scheduled reports over service, sales and billing data, with cohort and churn "
        "analysis and exports to CSV and Parquet.",
    ),
    Product(
        "P004",
        "Halyard Beacon",
        "Marketing",
        "subscription",
        40.0,
        "Web forms, visitor tracking, email campaigns and lead scoring that hand qualified leads to sales.",
    ),
    Product(
        "P005",
        "Halyard Vault",
        "Platform",
        "subscription",
        25.0,
        "Customer data platform: connectors, identity resolution, consent and retention policies, audit log.",
    ),
    Product(
        "P006",
        "Premium Support",
        "Add-ons",
        "add_on",
        12.0,
        "24/7 support with a one-hour response target for urgent cases and a named technical account manager.",
    ),
    Product(
        "P007",
        "Extra Storage 1 TB",
        "Add-ons",
        "add_on",
        200.0,
        "One additional terabyte of attachment and archive storage, billed per terabyte per month.",
    ),
    Product(
        "P008",
        "Onboarding Package",
        "Services",
        "service",
        4_500.0,
        "Guided setup over four weeks: data import, workflow design, integrations and admin training.",
    ),
    Product(
        "P009",
        "Training Workshop",
        "Services",
        "service",
        1_800.0,
        "One remote or on-site training day for up to 15 users, in English, Spanish, French, German, Italian, "
        "Portuguese or Japanese.",
    ),
)

EDITIONS: dict[str, float] = {"starter": 0.6, "professional": 1.0, "enterprise": 1.8}
# Fixed list-price conversion from USD, rounded to the step buyers expect in each currency.
CURRENCIES: dict[str, tuple[float, float]] = {
    "USD": (1.0, 1.0),
    "EUR": (0.92, 1.0),
    "GBP": (0.79, 1.0),
    "JPY": (150.0, 100.0),
    "BRL": (5.0, 1.0),
}
_SELLER_DISCOUNT = {"starter": 0.05, "professional": 0.10, "enterprise": 0.15, "standard": 0.0}
_MANAGER_DISCOUNT = {"starter": 0.15, "professional": 0.25, "enterprise": 0.35, "standard": 0.10}


@dataclass(frozen=True)
class PriceEntry:
    price_id: str
    product_id: str
    edition: str
    list_price: float
    currency: str
    billing_period: str
    max_discount_seller: float
    max_discount_manager: float


def editions_of(product: Product) -> tuple[str, ...]:
    return tuple(EDITIONS) if product.kind == "subscription" else ("standard",)


def price_book() -> list[PriceEntry]:
    entries: list[PriceEntry] = []
    for product in PRODUCTS:
        period = "one_time" if product.kind == "service" else "month"
        for edition in editions_of(product):
            usd = product.base_price * EDITIONS.get(edition, 1.0)
            for currency, (rate, step) in CURRENCIES.items():
                entries.append(
                    PriceEntry(
                        price_id=f"PB{len(entries) + 1:04d}",
                        product_id=product.product_id,
                        edition=edition,
                        list_price=round(usd * rate / step) * step,
                        currency=currency,
                        billing_period=period,
                        max_discount_seller=_SELLER_DISCOUNT[edition],
                        max_discount_manager=_MANAGER_DISCOUNT[edition],
                    )
                )
    return entries


def list_price(entries: list[PriceEntry], product_id: str, edition: str, currency: str) -> float:
    for entry in entries:
        if (entry.product_id, entry.edition, entry.currency) == (product_id, edition, currency):
            return entry.list_price
    raise KeyError((product_id, edition, currency))
