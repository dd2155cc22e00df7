"""The people of the sample world: names by nationality, titles, work and personal addresses, phones."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from faker import Faker

from cadre.sample._geo import COUNTRIES, City, Country
from cadre.sample._words import FINANCE_TITLES, PERSONAL_EMAIL_DOMAINS, TITLES
from cadre.sample.companies import EMAIL_PATTERNS, Company
from cadre.sample.variation import email_local

_POOL_DRAWS = 500
_PERSONAL_PATTERNS = ("first.last", "firstlast", "flast", "first_last", "first")


@dataclass(frozen=True, eq=False)  # identity, not field equality: two records may agree on every field
class Person:
    """One real human; each system's record of them is a `Rendition` of this."""

    person_id: str
    first_name: str
    last_name: str
    language: str
    country: Country
    city: City
    company: Company
    title: str
    work_email: str
    alt_work_email: str  # an alias that also reaches them, in another of the usual forms
    personal_email: str | None
    phone: str  # national significant number, digits only
    mobile: str | None


@dataclass(frozen=True)
class NamePool:
    male: tuple[str, ...]
    female: tuple[str, ...]
    last: tuple[str, ...]


def name_pools(seed: int) -> dict[str, NamePool]:
    """First and last names per Faker locale; draws keep repeats so common names stay common."""
    pools: dict[str, NamePool] = {}
    for index, country in enumerate(COUNTRIES):
        fake = Faker(country.locale)
        fake.seed_instance(seed * 1_000 + index)
        if country.locale == "ja_JP":
            # Romanised, as Japanese staff write their names in an international company's systems.
            male = tuple(fake.first_romanized_name_male() for _ in range(_POOL_DRAWS))
            female = tuple(fake.first_romanized_name_female() for _ in range(_POOL_DRAWS))
            last = tuple(fake.last_romanized_name() for _ in range(_POOL_DRAWS))
        else:
            male = tuple(fake.first_name_male() for _ in range(_POOL_DRAWS))
            female = tuple(fake.first_name_female() for _ in range(_POOL_DRAWS))
            last = tuple(fake.last_name() for _ in range(_POOL_DRAWS))
        pools[country.locale] = NamePool(male, female, last)
    return pools


class PeopleFactory:
    """Makes people one at a time, keeping every email address in the world unique."""

    def __init__(self, rng: np.random.Generator, pools: dict[str, NamePool]) -> None:
        self._rng = rng
        self._pools = pools
        self._taken: set[str] = set()
        self.count = 0
        self._title_weights = _weights(TITLES)
        self._finance_weights = _weights(FINANCE_TITLES)

    def name(self, locale: str) -> tuple[str, str]:
        pool = self._pools[locale]
        firsts = pool.male if self._rng.random() < 0.5 else pool.female
        return _pick(self._rng, firsts), _pick(self._rng, pool.last)

    def person(self, company: Company, *, finance: bool = False) -> Person:
        rng = self._rng
        country, city = company.country, company.city
        if rng.random() < 0.12:
            # Works from another office, so lives by another country's name, language and phone.
            country = COUNTRIES[int(rng.integers(0, len(COUNTRIES)))]
            city = country.cities[int(rng.integers(0, len(country.cities)))]
        elif rng.random() < 0.3:
            city = country.cities[int(rng.integers(0, len(country.cities)))]
        language = country.language if rng.random() < 0.9 else "en"
        first, last = self.name(country.locale)
        titles, weights = (FINANCE_TITLES, self._finance_weights) if finance else (TITLES, self._title_weights)
        title = titles[int(rng.choice(len(titles), p=weights))][0]
        work = self._unique(email_local(first, last, company.email_pattern), company.domain)
        alternative = [pattern for pattern in EMAIL_PATTERNS if pattern != company.email_pattern]
        alt = self._unique(email_local(first, last, _pick(rng, tuple(alternative))), company.domain)
        personal = None
        if rng.random() < 0.45:
            local = email_local(first, last, _pick(rng, _PERSONAL_PATTERNS))
            if rng.random() < 0.5:
                local += str(int(rng.integers(1, 99)))
            personal = self._unique(local, _pick(rng, PERSONAL_EMAIL_DOMAINS[language]))
        self.count += 1
        return Person(
            person_id=f"P{self.count:06d}",
            first_name=first,
            last_name=last,
            language=language,
            country=country,
            city=city,
            company=company,
            title=title,
            work_email=work,
            alt_work_email=alt,
            personal_email=personal,
            phone=national_number(rng, country),
            mobile=national_number(rng, country) if rng.random() < 0.4 else None,
        )

    def _unique(self, local: str, domain: str) -> str:
        local = local.strip("._") or "contact"
        candidate, n = f"{local}@{domain}", 1
        while candidate in self._taken:
            n += 1
            candidate = f"{local}{n}@{domain}"
        self._taken.add(candidate)
        return candidate


def national_number(rng: np.random.Generator, country: Country) -> str:
    digits = rng.integers(0, 10, size=country.digits)
    digits[0] = rng.integers(2, 10)  # no national number starts with the trunk prefix or 1
    return "".join(str(d) for d in digits.tolist())


def _weights(options: tuple[tuple[str, int], ...]) -> npt.NDArray[np.float64]:
    raw = np.array([weight for _, weight in options], dtype=np.float64)
    return np.asarray(raw / raw.sum(), dtype=np.float64)


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(0, len(options)))]
