"""Slots fall inside the rep's working hours and the lead's waking hours, around existing bookings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from cadre.sales.booking import free_slots
from cadre.sales.cadence import Cadence
from cadre.sales.models import Rep

BERLIN_REP = Rep(
    "U0013", "Götz Eigenwillig", "goetz@halyard.example", "Europe/Berlin", "U0011", {day: (9, 17) for day in range(5)}
)
TUESDAY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def test_slots_are_on_working_days_inside_both_time_zones() -> None:
    slots = free_slots(
        BERLIN_REP, lead_time_zone="America/New_York", after=TUESDAY, busy=[], minutes=30, cadence=Cadence()
    )
    assert len(slots) == 3
    for slot in slots:
        berlin = slot.astimezone(ZoneInfo("Europe/Berlin"))
        new_york = slot.astimezone(ZoneInfo("America/New_York"))
        assert berlin.weekday() < 5 and 9 <= berlin.hour and berlin.hour + 0.5 <= 17
        assert 8 <= new_york.hour < 20
    assert len({s.date() for s in slots}) == 3  # one a day: a real choice
    assert slots[0] >= TUESDAY + timedelta(hours=12)


def test_an_existing_booking_is_not_offered_again() -> None:
    cadence = Cadence()
    first = free_slots(BERLIN_REP, lead_time_zone="Europe/Paris", after=TUESDAY, busy=[], minutes=30, cadence=cadence)[
        0
    ]
    taken = [(first, first + timedelta(minutes=30))]
    again = free_slots(
        BERLIN_REP, lead_time_zone="Europe/Paris", after=TUESDAY, busy=taken, minutes=30, cadence=cadence
    )
    assert first not in again
    assert again[0] == first + timedelta(minutes=30)


def test_a_rep_without_working_hours_has_no_slot() -> None:
    idle = Rep("U0099", "Nobody", "nobody@halyard.example", "Europe/Berlin", None, {})
    assert free_slots(idle, lead_time_zone="Europe/Berlin", after=TUESDAY, busy=[], minutes=30, cadence=Cadence()) == []


def test_a_lead_on_the_far_side_of_the_world_gets_only_shared_hours() -> None:
    slots = free_slots(
        BERLIN_REP, lead_time_zone="Australia/Sydney", after=TUESDAY, busy=[], minutes=30, cadence=Cadence()
    )
    for slot in slots:
        assert 8 <= slot.astimezone(ZoneInfo("Australia/Sydney")).hour < 20
        assert 9 <= slot.astimezone(ZoneInfo("Europe/Berlin")).hour < 17
