"""The meeting invitation as iCalendar (RFC 5545): METHOD:REQUEST, organizer, attendees, zoned start and end."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event, vCalAddress, vText

from cadre.sales.cadence import zone

PRODID = "-//Cadre//SDR agent//EN"


def meeting_invite(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    time_zone: str,
    summary: str,
    description: str,
    organizer: tuple[str, str],
    attendees: list[tuple[str, str]],
    stamp: datetime,
) -> bytes:
    """An invitation for `attendees` ((name, address) pairs), its times written in `time_zone` (the rep's)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    local = zone(time_zone)
    event.add("dtstart", start.astimezone(local))
    event.add("dtend", end.astimezone(local))
    event.add("summary", summary)
    event.add("description", description)
    event.add("sequence", 0)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(*organizer))
    for name, address in attendees:
        attendee = _address(name, address)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
        attendee.params["RSVP"] = vText("TRUE")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    calendar.add_missing_timezones()  # a VTIMEZONE for the TZID, so clients need no zone database of their own
    return bytes(calendar.to_ical())


def _address(name: str, address: str) -> vCalAddress:
    value = vCalAddress(f"mailto:{address}")
    value.params["CN"] = vText(name)
    return value
