"""The companies of the sample world: accounts, prospects and self-serve customers, with firmographics."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cadre.sample._clock import DAY, NOW, YEAR
from cadre.sample._geo import COUNTRIES, COUNTRY_WEIGHTS, City, Country
from cadre.sample._words import INDUSTRIES, INDUSTRY_NAMES, LEGAL_SUFFIXES, STEM_PREFIXES, STEM_SUFFIXES
from cadre.sample.variation import ascii_fold

EMAIL_PATTERNS = ("first.last", "flast", "first", "firstl", "first_last", "f.last", "last.first")
_PATTERN_WEIGHTS = np.array([0.45, 0.18, 0.08, 0.05, 0.06, 0.12, 0.06])
_STEMS = tuple(
    dict.fromkeys(prefix + suffix for prefix in STEM_PREFIXES for suffix in STEM_SUFFIXES if prefix.lower() != suffix)
)


@dataclass(frozen=True, eq=False)  # identity, not field equality: two records may agree on every field
class Company:
    company_id: str
    name: str  # what people call it: "Brightwave Logistics"
    legal_name: str  # what its invoices say: "Brightwave Logistics GmbH"
    domain: str
    country: Country
    city: City
    industry: str
    employees: int
    annual_revenue: float  # USD
    email_pattern: str  # how its staff's work addresses are formed
    created_at: int

    @property
    def tier(self) -> str:
        if self.employees >= 2_000:
            return "enterprise"
        if self.employees >= 200:
            return "mid_market"
        return "smb"


def make_companies(rng: np.random.Generator, count: int) -> list[Company]:
    """`count` companies with distinct names and domains, spread over the sample's countries."""
    countries = rng.choice(len(COUNTRIES), size=count, p=COUNTRY_WEIGHTS)
    industries = rng.integers(0, len(INDUSTRY_NAMES), size=count)
    stems = rng.permutation(len(_STEMS))
    # Log-normal head counts: many small firms, a long tail of large ones.
    employees = np.clip(np.round(rng.lognormal(mean=5.2, sigma=1.6, size=count)), 5, 250_000).astype(int)
    revenue_per_head = rng.uniform(60_000, 420_000, size=count)
    patterns = rng.choice(len(EMAIL_PATTERNS), size=count, p=_PATTERN_WEIGHTS)
    created = NOW - (rng.random(count) * (7 * YEAR - 30 * DAY)).astype(int) - 30 * DAY
    bare_name = rng.random(count) < 0.4
    taken: set[str] = set()
    companies: list[Company] = []
    for i in range(count):
        country = COUNTRIES[int(countries[i])]
        industry = INDUSTRY_NAMES[int(industries[i])]
        name = _distinct_name(i, stems, industry, bool(bare_name[i]), taken)
        suffixes = LEGAL_SUFFIXES[country.code]
        legal = f"{name} {suffixes[int(rng.integers(0, len(suffixes)))]}"
        companies.append(
            Company(
                company_id=f"CO{i + 1:05d}",
                name=name,
                legal_name=legal,
                domain="-".join(ascii_fold(word) for word in name.split()) + ".example",
                country=country,
                city=country.cities[int(rng.integers(0, len(country.cities)))],
                industry=industry,
                employees=int(employees[i]),
                annual_revenue=float(round(employees[i] * revenue_per_head[i], -3)),
                email_pattern=EMAIL_PATTERNS[int(patterns[i])],
                created_at=int(created[i]),
            )
        )
    return companies


def _distinct_name(index: int, stems: np.ndarray, industry: str, bare: bool, taken: set[str]) -> str:
    # Each stem is used once before any is reused; a reused stem always carries a different industry noun.
    nouns = INDUSTRIES[industry]
    offset = 0
    while True:
        position = index + offset
        stem = _STEMS[int(stems[position % len(_STEMS)])]
        rounds = position // len(_STEMS)
        candidates = ([stem] if bare and rounds == 0 else []) + [
            f"{stem} {nouns[(rounds + k) % len(nouns)]}" for k in range(len(nouns))
        ]
        for name in candidates:
            if name not in taken:
                taken.add(name)
                return name
        offset += 1
