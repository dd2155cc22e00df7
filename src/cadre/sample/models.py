"""The sample company's public result type and the row counts behind each size."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

SampleSize = Literal["small", "default", "large"]


@dataclass(frozen=True)
class SampleSummary:
    """What `create_sample_company` wrote: where, from which seed, and how many rows per table."""

    directory: Path
    seed: int
    size: str
    counts: dict[str, int]
    seconds: float


@dataclass(frozen=True)
class Scale:
    """How many records one size asks for; every other count follows from these."""

    accounts: int
    contacts: int
    leads: int
    orders: int
    opportunities: int
    cases: int
    page_views: int
    campaigns: int
    sellers_per_team: int
    sdrs_per_team: int
    support_reps: int

    @property
    def prospect_companies(self) -> int:
        # Most leads come from companies that are not accounts yet, one to three people each.
        return max(self.leads * 6 // 10, 20)

    @property
    def self_serve_companies(self) -> int:
        # Companies that signed up and pay by card without ever becoming a CRM account.
        return max(self.accounts // 12, 4)


SCALES: dict[SampleSize, Scale] = {
    "small": Scale(
        accounts=60,
        contacts=300,
        leads=150,
        orders=600,
        opportunities=90,
        cases=150,
        page_views=4_000,
        campaigns=6,
        sellers_per_team=2,
        sdrs_per_team=1,
        support_reps=4,
    ),
    "default": Scale(
        accounts=2_000,
        contacts=10_000,
        leads=5_000,
        orders=20_000,
        opportunities=3_000,
        cases=5_000,
        page_views=150_000,
        campaigns=24,
        sellers_per_team=8,
        sdrs_per_team=3,
        support_reps=16,
    ),
    "large": Scale(
        accounts=10_000,
        contacts=50_000,
        leads=25_000,
        orders=100_000,
        opportunities=15_000,
        cases=25_000,
        page_views=750_000,
        campaigns=48,
        sellers_per_team=30,
        sdrs_per_team=10,
        support_reps=60,
    ),
}
