"""The CRM system of record: staff, accounts, contacts, leads, opportunities, cases, products, price book."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cadre.sample._case_texts import CASE_TOPICS
from cadre.sample._clock import DAY, NOW, YEAR, iso, iso_day
from cadre.sample.cast import Cast, FillPlan, LeadPlan
from cadre.sample.companies import Company
from cadre.sample.models import Scale
from cadre.sample.people import Person
from cadre.sample.products import EDITIONS, PRODUCTS, PriceEntry, Product, list_price
from cadre.sample.staff import Availability, User
from cadre.sample.variation import Drift, company_variant, render

Row = dict[str, Any]

CONTACT_DRIFT = Drift(
    nickname=0.06,
    typo=0.02,
    swap=0.01,
    email_weights=(0.92, 0.02, 0.03, 0.03),
    email_typo=0.0,
    email_case=0.0,
    phone=0.8,
    mobile=0.3,
    phone_styles=("international", "international", "national", "e164"),
)
LEAD_DRIFT = Drift(
    nickname=0.15,
    typo=0.04,
    swap=0.02,
    email_weights=(0.6, 0.1, 0.25, 0.05),
    email_typo=0.01,
    email_case=0.02,
    phone=0.7,
    mobile=0.6,
)

_SOURCES_WITHOUT_FORM = ("outbound", "trade_show", "referral", "partner", "chat")
_FORM_SOURCES = {
    "webinar_registration": "webinar",
    "whitepaper_download": "content_download",
    "free_trial_signup": "free_trial",
}
_PROSPECT_STATUSES = ("new", "working", "nurture", "qualified", "disqualified")
_SUBSCRIPTION_IDS = tuple(product.product_id for product in PRODUCTS if product.kind == "subscription")
_PRODUCT_NAMES = {product.product_id: product.name for product in PRODUCTS}


@dataclass(frozen=True)
class CrmData:
    tables: dict[str, list[Row]]
    account_ids: dict[str, str]  # company_id -> account_id
    contact_people: dict[str, Person]  # contact_id -> person
    lead_people: dict[str, Person]  # lead_id -> person


def build_crm(
    rng: np.random.Generator,
    cast: Cast,
    staff: list[User],
    availability: list[Availability],
    prices: list[PriceEntry],
    first_forms: dict[str, FillPlan],
    scale: Scale,
) -> CrmData:
    owners = _Owners(rng, staff)
    accounts = sorted(cast.accounts, key=lambda company: (company.created_at, company.company_id))
    account_ids = {company.company_id: f"A{i + 1:05d}" for i, company in enumerate(accounts)}
    account_rows = [_account(rng, company, account_ids, owners) for company in accounts]
    owner_of = {row["account_id"]: (row["owner_id"], row["owner_team"]) for row in account_rows}

    contact_rows: list[Row] = []
    contact_people: dict[str, Person] = {}
    contact_of: dict[str, str] = {}
    for person in cast.contacts:
        contact_id = f"C{len(contact_rows) + 1:06d}"
        account_id = account_ids[person.company.company_id]
        contact_rows.append(_contact(rng, person, contact_id, account_id, owner_of[account_id][1]))
        contact_people[contact_id] = person
        contact_of.setdefault(person.person_id, contact_id)

    lead_rows: list[Row] = []
    lead_people: dict[str, Person] = {}
    for plan in cast.leads:
        lead_id = f"L{len(lead_rows) + 1:06d}"
        lead_rows.append(_lead(rng, plan, lead_id, owners, owner_of, account_ids, contact_of, first_forms))
        lead_people[lead_id] = plan.person

    tables = {
        "users": [_user(user) for user in staff],
        "rep_availability": [vars(slot) for slot in availability],
        "products": [_product(product) for product in PRODUCTS],
        "price_book": [vars(entry) for entry in prices],
        "accounts": account_rows,
        "contacts": contact_rows,
        "leads": lead_rows,
        "opportunities": _opportunities(
            rng, scale.opportunities, list(zip(accounts, account_rows, strict=True)), prices
        ),
        "cases": _cases(rng, scale.cases, cast, account_ids, contact_rows, owners),
    }
    return CrmData(tables, account_ids, contact_people, lead_people)


class _Owners:
    """Picks who owns a record: a rep of the right team, preferring one who speaks the customer's language."""

    def __init__(self, rng: np.random.Generator, staff: list[User]) -> None:
        self._rng = rng
        self.by_role: dict[tuple[str, str], list[User]] = {}
        for user in staff:
            self.by_role.setdefault((user.role, user.team), []).append(user)

    def pick(self, role: str, team: str, language: str) -> User:
        candidates = self.by_role[(role, team)]
        speakers = [user for user in candidates if language in user.languages.split(",")]
        pool = speakers if speakers and self._rng.random() < 0.8 else candidates
        return pool[int(self._rng.integers(0, len(pool)))]


def _user(user: User) -> Row:
    return {
        "user_id": user.user_id,
        "full_name": user.full_name,
        "email": user.email,
        "role": user.role,
        "team": user.team,
        "manager_id": user.manager_id,
        "city": user.city,
        "time_zone": user.time_zone,
        "languages": user.languages,
    }


def _product(product: Product) -> Row:
    return {
        "product_id": product.product_id,
        "name": product.name,
        "family": product.family,
        "kind": product.kind,
        "description": product.description,
    }


def _account(rng: np.random.Generator, company: Company, ids: dict[str, str], owners: _Owners) -> Row:
    owner = owners.pick("seller", company.city.team, company.country.language)
    return {
        "account_id": ids[company.company_id],
        "name": company.name,
        "domain": company.domain,
        "industry": company.industry,
        "employees": company.employees,
        "annual_revenue": company.annual_revenue,
        "country": company.country.code,
        "city": company.city.name,
        "owner_id": owner.user_id,
        "owner_team": owner.team,
        "tier": company.tier,
        "created_at": iso(company.created_at),
        "updated_at": iso(_later(rng, company.created_at)),
    }


def _contact(rng: np.random.Generator, person: Person, contact_id: str, account_id: str, team: str) -> Row:
    seen = render(person, rng, CONTACT_DRIFT)
    return {
        "contact_id": contact_id,
        "account_id": account_id,
        # Denormalised like most CRMs' contact "company" property, so a contact can be matched on its own.
        "company": person.company.name,
        "first_name": seen.first_name,
        "last_name": seen.last_name,
        "full_name": f"{seen.first_name} {seen.last_name}",
        "email": seen.email,
        "phone": seen.phone,
        "title": person.title,
        "city": person.city.name,
        "country": person.country.code,
        "owner_team": team,
        "language": person.language,
        "updated_at": iso(_later(rng, max(person.company.created_at, NOW - 3 * YEAR))),
    }


def _lead(
    rng: np.random.Generator,
    plan: LeadPlan,
    lead_id: str,
    owners: _Owners,
    owner_of: dict[str, tuple[str, str]],
    account_ids: dict[str, str],
    contact_of: dict[str, str],
    first_forms: dict[str, FillPlan],
) -> Row:
    person, company = plan.person, plan.person.company
    seen = render(person, rng, LEAD_DRIFT)
    account_id = account_ids.get(company.company_id)
    if plan.kind in ("converted", "cross_sell") and account_id is not None:
        owner_id, team = owner_of[account_id]
    else:
        team = person.city.team
        owner_id = owners.pick("sdr" if rng.random() < 0.75 else "seller", team, person.language).user_id
    form = first_forms.get(person.person_id)
    if form is not None and 0 <= plan.created_at - form.at <= 3_600:
        source = _FORM_SOURCES.get(form.form, "web_form")
    else:
        source = _SOURCES_WITHOUT_FORM[int(rng.integers(0, len(_SOURCES_WITHOUT_FORM)))]
    interest = _SUBSCRIPTION_IDS[int(rng.integers(0, len(_SUBSCRIPTION_IDS)))] if rng.random() < 0.7 else None
    return {
        "lead_id": lead_id,
        "first_name": seen.first_name,
        "last_name": seen.last_name,
        "full_name": f"{seen.first_name} {seen.last_name}",
        "email": seen.email,
        "phone": seen.phone,
        "company": company_variant(company.name, company.legal_name, rng),
        "title": person.title if rng.random() < 0.9 else None,
        "industry": company.industry,
        "employees": company.employees if rng.random() < 0.8 else None,
        "country": person.country.code,
        "city": person.city.name,
        "source": source,
        "status": _lead_status(rng, plan),
        "owner_id": owner_id,
        "owner_team": team,
        "time_zone": person.city.time_zone,
        "language": person.language,
        "product_interest": interest,
        "converted_contact_id": contact_of.get(person.person_id) if plan.kind == "converted" else None,
        "created_at": iso(plan.created_at),
        "updated_at": iso(_later(rng, plan.created_at)),
    }


def _lead_status(rng: np.random.Generator, plan: LeadPlan) -> str:
    if plan.kind == "converted":
        return "converted"
    if plan.kind == "trial":
        return "qualified" if rng.random() < 0.6 else "working"
    if plan.kind == "duplicate":
        return "disqualified" if rng.random() < 0.3 else "new"
    if NOW - plan.created_at < 14 * DAY:
        return "new" if rng.random() < 0.7 else "working"
    return _PROSPECT_STATUSES[int(rng.choice(5, p=[0.1, 0.25, 0.3, 0.12, 0.23]))]


def _opportunities(
    rng: np.random.Generator, count: int, accounts: list[tuple[Company, Row]], prices: list[PriceEntry]
) -> list[Row]:
    weights = np.array([company.employees for company, _ in accounts], dtype=float) ** 0.5
    picks = rng.choice(len(accounts), size=count, p=weights / weights.sum())
    rows: list[Row] = []
    for index in picks.tolist():
        company, account = accounts[index]
        product_id = _SUBSCRIPTION_IDS[int(rng.integers(0, len(_SUBSCRIPTION_IDS)))]
        edition = tuple(EDITIONS)[int(rng.integers(0, len(EDITIONS)))]
        seats = int(np.clip(account["employees"] * rng.uniform(0.01, 0.1), 5, 3_000))
        amount = round(list_price(prices, product_id, edition, "USD") * seats * 12, -2)
        opened = max(NOW - 2 * YEAR, company.created_at)
        created = opened + int(rng.integers(0, max(NOW - DAY - opened, DAY)))
        close = created + int(rng.integers(30 * DAY, 240 * DAY))
        if close < NOW:
            stage = "closed_won" if rng.random() < 0.55 else "closed_lost"
        else:
            stage = ("prospecting", "qualification", "proposal", "negotiation")[int(rng.integers(0, 4))]
        rows.append(
            {
                "opportunity_id": f"OP{len(rows) + 1:05d}",
                "account_id": account["account_id"],
                "name": f"{account['name']} - {_PRODUCT_NAMES[product_id]} {edition.capitalize()}",
                "stage": stage,
                "amount": float(amount),
                "currency": "USD",
                "close_date": iso_day(close),
                "owner_id": account["owner_id"],
                "owner_team": account["owner_team"],
                "product_id": product_id,
                "created_at": iso(created),
                "updated_at": iso(_later(rng, created)),
            }
        )
    return rows


def _cases(
    rng: np.random.Generator, count: int, cast: Cast, account_ids: dict[str, str], contacts: list[Row], owners: _Owners
) -> list[Row]:
    paying = [plan.account.company_id for plan in cast.customers if plan.account is not None]
    by_account: dict[str, list[Row]] = {}
    for row in contacts:
        by_account.setdefault(row["account_id"], []).append(row)
    support = owners.by_role[("support_rep", "support")]
    times = np.sort(NOW - (rng.random(count) * 2 * YEAR).astype(np.int64))
    rows: list[Row] = []
    for created in times.tolist():
        account_id = account_ids[paying[int(rng.integers(0, len(paying)))]]
        contact = by_account[account_id][int(rng.integers(0, len(by_account[account_id])))]
        language = contact["language"]
        subject, body = CASE_TOPICS[int(rng.integers(0, len(CASE_TOPICS)))][language]
        product = _PRODUCT_NAMES[_SUBSCRIPTION_IDS[int(rng.integers(0, len(_SUBSCRIPTION_IDS)))]]
        age = NOW - created
        if age > 30 * DAY and rng.random() < 0.95:
            status = "closed"
        else:
            status = ("new", "open", "pending", "escalated", "closed")[
                int(rng.choice(5, p=[0.25, 0.3, 0.2, 0.1, 0.15]))
            ]
        speakers = [user for user in support if language in user.languages.split(",")] or support
        owner = None if status == "new" else speakers[int(rng.integers(0, len(speakers)))].user_id
        rows.append(
            {
                "case_id": f"CS{len(rows) + 1:06d}",
                "account_id": account_id,
                "contact_id": contact["contact_id"],
                "subject": subject,
                "description": body.format(product=product),
                "status": status,
                "priority": ("low", "medium", "high", "urgent")[int(rng.choice(4, p=[0.3, 0.45, 0.2, 0.05]))],
                "channel": ("email", "web", "chat", "phone")[int(rng.choice(4, p=[0.45, 0.25, 0.2, 0.1]))],
                "language": language,
                "owner_id": owner,
                "created_at": iso(created),
                "updated_at": iso(_later(rng, created, within=min(age, 20 * DAY))),
            }
        )
    return rows


def _later(rng: np.random.Generator, start: int, *, within: int | None = None) -> int:
    """An update some time after `start`, never after today."""
    span = max(NOW - start, 1) if within is None else max(within, 1)
    return min(start + int(rng.integers(0, span)), NOW)
