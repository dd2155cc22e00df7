"""What the Seller assistant says, in the languages Halyard Cloud's sellers speak (English, German, Japanese)."""

# Japanese text is set with full-width parentheses and marks, as Japanese readers expect.
# ruff: noqa: RUF001

from __future__ import annotations

from typing import Any

from cadre.agents.phrases import localized

PHRASES: dict[str, dict[str, str]] = {
    "list_price": {
        "en": "{product} {edition} ({price_id}): list price {price} per {unit}.",
        "de": "{product} {edition} ({price_id}): Listenpreis {price} pro {unit}.",
        "ja": "{product} {edition}（{price_id}）: 定価 {price}／{unit}。",
    },
    "bands_seller": {
        "en": "You may give up to {seller} on your own; up to {manager} needs approval from {approver}; "
        "above {manager} is not available.",
        "de": "Sie dürfen bis {seller} selbst gewähren; bis {manager} braucht die Freigabe von {approver}; "
        "mehr als {manager} ist nicht möglich.",
        "ja": "ご自身で {seller} まで値引きできます。{manager} までは {approver} の承認が必要です。"
        "{manager} を超える値引きはできません。",
    },
    "bands_list_only": {
        "en": "You may not discount this line yourself (list price only); up to {manager} needs approval from "
        "{approver}; above {manager} is not available.",
        "de": "Diese Position dürfen Sie nicht selbst rabattieren (nur Listenpreis); bis {manager} braucht die "
        "Freigabe von {approver}; mehr als {manager} ist nicht möglich.",
        "ja": "この品目はご自身では値引きできません（定価のみ）。{manager} までは {approver} の承認が必要です。"
        "{manager} を超える値引きはできません。",
    },
    "bands_manager": {
        "en": "As sales manager you may approve up to {manager} yourself; above {manager} is not available.",
        "de": "Als Sales Manager dürfen Sie bis {manager} selbst freigeben; mehr als {manager} ist nicht möglich.",
        "ja": "セールスマネージャーとして {manager} まで承認できます。{manager} を超える値引きはできません。",
    },
    "seller_may_give": {
        "en": "{discount} is within your own limit: {net} per {unit}.",
        "de": "{discount} liegt in Ihrem eigenen Rahmen: {net} pro {unit}.",
        "ja": "{discount} はご自身の権限内です: {net}／{unit}。",
    },
    "manager_approval": {
        "en": "{discount} needs approval from {approver} (your own limit is {seller}): {net} per {unit}.",
        "de": "{discount} braucht die Freigabe von {approver} (Ihr eigener Rahmen: {seller}): {net} pro {unit}.",
        "ja": "{discount} には {approver} の承認が必要です（ご自身の上限は {seller}）: {net}／{unit}。",
    },
    "not_available": {
        "en": "{discount} is above the manager limit of {manager}: nobody can approve it. Restructure the deal "
        "instead (edition, seat count, fewer add-ons).",
        "de": "{discount} liegt über dem Manager-Limit von {manager}: niemand kann das freigeben. Strukturieren Sie "
        "das Angebot um (Edition, Anzahl der Lizenzen, weniger Add-ons).",
        "ja": "{discount} はマネージャー上限 {manager} を超えるため、誰も承認できません。"
        "エディション、席数、アドオンを見直して案件を組み直してください。",
    },
    "list_only": {
        "en": "No discount: {net} per {unit}.",
        "de": "Kein Rabatt: {net} pro {unit}.",
        "ja": "値引きなし: {net}／{unit}。",
    },
    "seats_total": {
        "en": "For {seats} seats: {total} per month.",
        "de": "Für {seats} Lizenzen: {total} pro Monat.",
        "ja": "{seats} 席で月額 {total}。",
    },
    "outside_team": {
        "en": "That account belongs to another team ({account}): I can't share its data with you.",
        "de": "Dieser Account gehört zu einem anderen Team ({account}): Ich kann seine Daten nicht mit Ihnen teilen.",
        "ja": "そのアカウント（{account}）は別のチームの担当です。データは共有できません。",
    },
    "which_account": {
        "en": "Which account do you mean? Your team's accounts include: {accounts}.",
        "de": "Welchen Account meinen Sie? Zu Ihrem Team gehören unter anderem: {accounts}.",
        "ja": "どのアカウントですか？チームのアカウント: {accounts}。",
    },
    "which_product": {
        "en": "Which product do you mean? The price book has: {products}.",
        "de": "Welches Produkt meinen Sie? Im Preisbuch stehen: {products}.",
        "ja": "どの製品ですか？価格表の製品: {products}。",
    },
    "opportunities": {
        "en": "Open opportunities at {account}:",
        "de": "Offene Opportunities bei {account}:",
        "ja": "{account} の進行中の商談:",
    },
    "no_opportunities": {
        "en": "{account} has no open opportunities.",
        "de": "{account} hat keine offenen Opportunities.",
        "ja": "{account} に進行中の商談はありません。",
    },
    "cases": {
        "en": "Recent cases at {account}:",
        "de": "Aktuelle Cases bei {account}:",
        "ja": "{account} の最近のケース:",
    },
    "no_cases": {
        "en": "{account} has no open or recent cases.",
        "de": "{account} hat keine offenen oder aktuellen Cases.",
        "ja": "{account} に未解決または最近のケースはありません。",
    },
    "health": {
        "en": "Health of {account}: {status}.",
        "de": "Zustand von {account}: {status}.",
        "ja": "{account} の健全性: {status}。",
    },
    "no_health_signals": {
        "en": "No open cases, subscriptions or deals to judge by.",
        "de": "Keine offenen Cases, Abonnements oder Deals, an denen man es messen könnte.",
        "ja": "判断材料となるケース、サブスクリプション、商談はありません。",
    },
    "contacts": {
        "en": "Contacts at {account}:",
        "de": "Kontakte bei {account}:",
        "ja": "{account} の連絡先:",
    },
    "no_contacts": {
        "en": "{account} has no contacts on record.",
        "de": "Für {account} sind keine Kontakte erfasst.",
        "ja": "{account} に登録された連絡先はありません。",
    },
    "touches": {
        "en": "Last touches with {account}:",
        "de": "Letzte Kontaktpunkte mit {account}:",
        "ja": "{account} との最近の接点:",
    },
    "no_touches": {
        "en": "No touches with {account} on record.",
        "de": "Keine Kontaktpunkte mit {account} erfasst.",
        "ja": "{account} との接点の記録はありません。",
    },
    "summary": {
        "en": "{account} ({account_id}): {tier} {industry} account in {city}, {country}, owned by {owner}.",
        "de": "{account} ({account_id}): {tier}-Account ({industry}) in {city}, {country}, betreut von {owner}.",
        "ja": "{account}（{account_id}）: {city}（{country}）の {industry} 業界、{tier} アカウント。担当: {owner}。",
    },
    "summary_counts": {
        "en": "{opportunities} open opportunities, {cases} open cases, {subscriptions} active subscriptions.",
        "de": "{opportunities} offene Opportunities, {cases} offene Cases, {subscriptions} aktive Abonnements.",
        "ja": "進行中の商談 {opportunities} 件、未解決のケース {cases} 件、"
        "有効なサブスクリプション {subscriptions} 件。",
    },
}

STATUS = {
    "at_risk": {"en": "at risk", "de": "gefährdet", "ja": "リスクあり"},
    "watch": {"en": "watch", "de": "beobachten", "ja": "要注意"},
    "healthy": {"en": "healthy", "de": "gesund", "ja": "良好"},
}
UNIT = {
    "month": {"en": "seat per month", "de": "Lizenz und Monat", "ja": "席・月"},
    "one_time": {"en": "unit, one time", "de": "Einheit, einmalig", "ja": "単位（一回）"},
}


def say(key: str, language: str, **values: Any) -> str:
    """The phrase `key` in `language` (English when the seller writes in another language)."""
    return localized(PHRASES[key], language, **values)


def status_name(status: str, language: str) -> str:
    return STATUS[status].get(language, STATUS[status]["en"])


def unit_name(billing_period: str, language: str) -> str:
    forms = UNIT.get(billing_period, UNIT["month"])
    return forms.get(language, forms["en"])
