"""Find meeting slots a rep can take and a lead will not find at night: the rep's working hours in the rep's time
zone, minus the rep's existing bookings, inside the lead's waking hours."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from cadre.sales.cadence import Cadence, zone
from cadre.sales.models import Rep

SLOT_STEP = timedelta(minutes=30)
HORIZON_DAYS = 14  # how far ahead to look before saying the rep has no free slot
LEAD_TIME = timedelta(hours=12)  # no meeting sooner than this after the reply: the lead must see the invite first


def free_slots(
    rep: Rep,
    *,
    lead_time_zone: str,
    after: datetime,
    busy: Sequence[tuple[datetime, datetime]],
    minutes: int,
    cadence: Cadence,
    count: int = 3,
) -> list[datetime]:
    """Up to `count` start times (UTC-aware), at most one per day so the lead gets a real choice."""
    rep_zone = zone(rep.time_zone)
    length = timedelta(minutes=minutes)
    earliest = after + LEAD_TIME
    found: list[datetime] = []
    local_day = earliest.astimezone(rep_zone).date()
    for offset in range(HORIZON_DAYS + 1):
        day = local_day + timedelta(days=offset)
        hours = rep.hours.get(day.weekday())
        if hours is None:
            continue
        start = datetime.combine(day, time(hours[0]), tzinfo=rep_zone)
        end = datetime.combine(day, time(hours[1]), tzinfo=rep_zone) if hours[1] < 24 else start.replace(hour=23)
        slot = start
        while slot + length <= end:
            if (
                slot >= earliest
                and _lead_awake(slot, length, lead_time_zone, cadence)
                and not _clashes(slot, length, busy)
            ):
                found.append(slot.astimezone(after.tzinfo))
                break
            slot += SLOT_STEP
        if len(found) == count:
            break
    return found


def _lead_awake(start: datetime, length: timedelta, time_zone: str, cadence: Cadence) -> bool:
    last_minute = start + length - timedelta(minutes=1)
    return not cadence.is_quiet(start, time_zone) and not cadence.is_quiet(last_minute, time_zone)


def _clashes(start: datetime, length: timedelta, busy: Sequence[tuple[datetime, datetime]]) -> bool:
    end = start + length
    return any(start < other_end and other_start < end for other_start, other_end in busy)
