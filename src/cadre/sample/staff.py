"""The sample company's own staff: sellers, managers, SDRs, support reps and admins, with working hours."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cadre.sample._geo import COUNTRIES, SALES_TEAMS
from cadre.sample.models import Scale
from cadre.sample.people import NamePool
from cadre.sample.variation import ascii_fold

COMPANY_DOMAIN = "halyard.example"

# Offices per team: (city, time zone, country code); reps are named and speak as people there do.
_OFFICES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "east": (
        ("New York", "America/New_York", "US"),
        ("Boston", "America/New_York", "US"),
        ("São Paulo", "America/Sao_Paulo", "BR"),
        ("Toronto", "America/Toronto", "CA"),
    ),
    "west": (
        ("San Francisco", "America/Los_Angeles", "US"),
        ("Seattle", "America/Los_Angeles", "US"),
        ("Ciudad de México", "America/Mexico_City", "MX"),
    ),
    "emea": (
        ("London", "Europe/London", "GB"),
        ("Berlin", "Europe/Berlin", "DE"),
        ("Paris", "Europe/Paris", "FR"),
        ("Madrid", "Europe/Madrid", "ES"),
        ("Milano", "Europe/Rome", "IT"),
        ("Lisboa", "Europe/Lisbon", "PT"),
    ),
    "apac": (("Sydney", "Australia/Sydney", "AU"), ("Tokyo", "Asia/Tokyo", "JP")),
    "support": (
        ("Lisboa", "Europe/Lisbon", "PT"),
        ("Austin", "America/Chicago", "US"),
        ("Tokyo", "Asia/Tokyo", "JP"),
        ("Berlin", "Europe/Berlin", "DE"),
        ("Madrid", "Europe/Madrid", "ES"),
        ("Paris", "Europe/Paris", "FR"),
        ("Milano", "Europe/Rome", "IT"),
    ),
    "ops": (("San Francisco", "America/Los_Angeles", "US"),),
}
_BY_CODE = {country.code: country for country in COUNTRIES}
_HOURS = ((9, 17), (8, 16), (10, 18), (9, 18), (8, 17))
_HOUR_WEIGHTS = np.array([0.45, 0.2, 0.15, 0.1, 0.1])


@dataclass(frozen=True)
class User:
    user_id: str
    first_name: str
    last_name: str
    email: str
    role: str
    team: str
    manager_id: str | None
    city: str
    time_zone: str
    languages: str  # comma-separated ISO codes, English first

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Availability:
    """When a rep takes meetings, in the rep's own time zone; a missing weekday is a day off."""

    slot_id: str  # `U0003-0`: user and weekday, one key for catalogs that want a single-column key
    user_id: str
    weekday: int  # 0 = Monday
    start_hour: int
    end_hour: int


def make_staff(rng: np.random.Generator, scale: Scale, pools: dict[str, NamePool]) -> list[User]:
    staff: list[User] = []
    taken: set[str] = set()

    def hire(role: str, team: str, manager: str | None, office: int | None = None) -> User:
        offices = _OFFICES[team]
        city, zone, code = offices[int(rng.integers(0, len(offices))) if office is None else office]
        country = _BY_CODE[code]
        pool = pools[country.locale]
        firsts = pool.male if rng.random() < 0.5 else pool.female
        first = firsts[int(rng.integers(0, len(firsts)))]
        last = pool.last[int(rng.integers(0, len(pool.last)))]
        local, n = f"{ascii_fold(first)}.{ascii_fold(last)}", 1
        while f"{local}@{COMPANY_DOMAIN}" in taken:
            n += 1
            local = f"{ascii_fold(first)}.{ascii_fold(last)}{n}"
        taken.add(f"{local}@{COMPANY_DOMAIN}")
        languages = "en" if country.language == "en" else f"en,{country.language}"
        user = User(
            f"U{len(staff) + 1:04d}",
            first,
            last,
            f"{local}@{COMPANY_DOMAIN}",
            role,
            team,
            manager,
            city,
            zone,
            languages,
        )
        staff.append(user)
        return user

    head = hire("admin", "ops", None, 0)
    hire("admin", "ops", head.user_id, 0)
    for team in SALES_TEAMS:
        manager = hire("sales_manager", team, head.user_id, 0)
        # Cycle through the team's offices first so every office (and its language) has a seller.
        for i in range(scale.sellers_per_team):
            hire("seller", team, manager.user_id, i % len(_OFFICES[team]))
        for _ in range(scale.sdrs_per_team):
            hire("sdr", team, manager.user_id)
    for i in range(scale.support_reps):
        hire("support_rep", "support", head.user_id, i % len(_OFFICES["support"]))
    return staff


def make_availability(rng: np.random.Generator, staff: list[User]) -> list[Availability]:
    slots: list[Availability] = []
    for user in staff:
        if user.role == "admin":
            continue
        start, end = _HOURS[int(rng.choice(len(_HOURS), p=_HOUR_WEIGHTS))]
        day_off = int(rng.integers(0, 5)) if rng.random() < 0.1 else None
        short_friday = rng.random() < 0.2
        for weekday in range(5):
            if weekday == day_off:
                continue
            finish = min(end, start + 4) if weekday == 4 and short_friday else end
            slots.append(Availability(f"{user.user_id}-{weekday}", user.user_id, weekday, start, finish))
    return slots
