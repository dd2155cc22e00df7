"""Who the sample company knows, and in which systems each person and company appears."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from cadre.sample._clock import DAY, NOW, YEAR
from cadre.sample._site import FORM_WEIGHTS, FORMS
from cadre.sample.companies import Company, make_companies
from cadre.sample.models import Scale
from cadre.sample.people import NamePool, PeopleFactory, Person

LeadKind = Literal["converted", "cross_sell", "prospect", "duplicate", "trial"]


@dataclass(frozen=True)
class LeadPlan:
    person: Person
    kind: LeadKind  # converted: became a contact; cross_sell: a contact asking again; trial: a self-serve sign-up
    created_at: int


@dataclass(frozen=True)
class CustomerPlan:
    company: Company
    contact: Person
    account: Company | None  # the CRM account this paying customer is, if it is one


@dataclass(frozen=True)
class FillPlan:
    person: Person
    at: int
    form: str


@dataclass(frozen=True)
class Cast:
    accounts: list[Company]
    contacts: list[Person]  # one per CRM contact record; a few people twice (duplicate records)
    leads: list[LeadPlan]
    customers: list[CustomerPlan]
    fills: list[FillPlan]


def make_cast(rng: np.random.Generator, scale: Scale, pools: dict[str, NamePool]) -> Cast:
    companies = make_companies(rng, scale.accounts + scale.prospect_companies + scale.self_serve_companies)
    accounts = companies[: scale.accounts]
    prospects = companies[scale.accounts : scale.accounts + scale.prospect_companies]
    self_serve = companies[scale.accounts + scale.prospect_companies :]
    factory = PeopleFactory(rng, pools)

    contacts = _contacts(rng, factory, accounts, scale.contacts)
    customers, trial_people = _customers(rng, factory, accounts, self_serve, contacts)
    leads = _leads(rng, factory, scale.leads, contacts, accounts, prospects, trial_people)
    fills = _fills(rng, factory, leads, contacts, prospects)
    return Cast(accounts, contacts, leads, customers, fills)


def _contacts(rng: np.random.Generator, factory: PeopleFactory, accounts: list[Company], count: int) -> list[Person]:
    # Every account has someone; bigger accounts have more people the company deals with.
    size = np.array([account.employees for account in accounts], dtype=float) ** 0.4
    extra = rng.choice(len(accounts), size=count - len(accounts), p=size / size.sum())
    owners = np.sort(np.concatenate([np.arange(len(accounts)), extra]))
    people: list[Person] = []
    for index in owners.tolist():
        if people and people[-1].company is accounts[index] and rng.random() < 0.02:
            people.append(people[-1])  # the same person entered twice, as CRMs collect over the years
        else:
            people.append(factory.person(accounts[index]))
    order = rng.permutation(len(people))
    return [people[i] for i in order.tolist()]


def _customers(
    rng: np.random.Generator,
    factory: PeopleFactory,
    accounts: list[Company],
    self_serve: list[Company],
    contacts: list[Person],
) -> tuple[list[CustomerPlan], list[Person]]:
    by_account: dict[str, list[Person]] = {}
    for person in contacts:
        by_account.setdefault(person.company.company_id, []).append(person)
    share = {"enterprise": 0.8, "mid_market": 0.6, "smb": 0.45}
    plans: list[CustomerPlan] = []
    for account in accounts:
        if rng.random() >= share[account.tier]:
            continue
        staff = by_account[account.company_id]
        if rng.random() < 0.85:
            # Billing contacts are mostly CRM contacts of the account; the rest are finance staff sales never met.
            contact = staff[int(rng.integers(0, len(staff)))]
        else:
            contact = factory.person(account, finance=True)
        plans.append(CustomerPlan(account, contact, account))
    trial_people: list[Person] = []
    for company in self_serve:
        person = factory.person(company)
        plans.append(CustomerPlan(company, person, None))
        if rng.random() < 0.5:
            trial_people.append(person)
    order = rng.permutation(len(plans))
    return [plans[i] for i in order.tolist()], trial_people


def _leads(
    rng: np.random.Generator,
    factory: PeopleFactory,
    count: int,
    contacts: list[Person],
    accounts: list[Company],
    prospects: list[Company],
    trial_people: list[Person],
) -> list[LeadPlan]:
    def recent() -> int:
        # Recent leads outnumber old ones: marketing grows, and old leads get archived.
        return NOW - int(rng.exponential(0.5 * YEAR)) % (2 * YEAR) - int(rng.integers(0, DAY))

    plans = [LeadPlan(person, "trial", recent()) for person in trial_people[:count]]
    distinct_contacts = list(dict.fromkeys(contacts))
    known = rng.choice(len(distinct_contacts), size=min(count // 5, len(distinct_contacts)), replace=False)
    for index in known.tolist():
        converted = rng.random() < 0.6
        at = NOW - int(rng.integers(YEAR // 2, 4 * YEAR)) if converted else recent()
        plans.append(LeadPlan(distinct_contacts[index], "converted" if converted else "cross_sell", at))
    duplicates = count // 30
    fresh: list[LeadPlan] = []
    while len(plans) + len(fresh) < count - duplicates:
        if rng.random() < 0.07:
            company = accounts[int(rng.integers(0, len(accounts)))]
        else:
            company = prospects[int(rng.integers(0, len(prospects)))]
        fresh.append(LeadPlan(factory.person(company), "prospect", recent()))
    plans.extend(fresh)
    for index in rng.choice(len(fresh), size=count - len(plans), replace=len(fresh) < duplicates).tolist():
        original = fresh[index]
        later = original.created_at + int(rng.integers(DAY, 120 * DAY))
        plans.append(LeadPlan(original.person, "duplicate", min(later, NOW - 3600)))
    return sorted(plans, key=lambda plan: (plan.created_at, plan.person.person_id))


def _fills(
    rng: np.random.Generator,
    factory: PeopleFactory,
    leads: list[LeadPlan],
    contacts: list[Person],
    prospects: list[Company],
) -> list[FillPlan]:
    def form() -> str:
        return FORMS[int(rng.choice(len(FORMS), p=FORM_WEIGHTS))]

    fills: list[FillPlan] = []
    for lead in leads:
        if lead.kind in ("duplicate", "converted") or (lead.kind != "trial" and rng.random() >= 0.6):
            continue
        # The first form filled is what created the lead, minutes before the CRM saw it.
        at = lead.created_at - int(rng.integers(30, 3_600))
        fills.append(FillPlan(lead.person, at, "free_trial_signup" if lead.kind == "trial" else form()))
        while rng.random() < 0.4:
            at += int(rng.integers(DAY, 200 * DAY))
            if at >= NOW:
                break
            fills.append(FillPlan(lead.person, at, form()))
    for person in dict.fromkeys(contacts):
        if rng.random() < 0.08:
            for _ in range(1 + int(rng.random() < 0.3)):
                fills.append(FillPlan(person, NOW - int(rng.integers(3_600, 2 * YEAR)), form()))
    # People who filled a form so recently that no lead exists for them yet.
    for _ in range(max(len(fills) // 25, 3)):
        company = prospects[int(rng.integers(0, len(prospects)))]
        fills.append(FillPlan(factory.person(company), NOW - int(rng.integers(600, 20 * DAY)), form()))
    return sorted(fills, key=lambda fill: (fill.at, fill.person.person_id))
