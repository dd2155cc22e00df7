"""The cadence: first touch at once, follow-ups on day 3 and 7, nothing sent at night in the lead's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cadre.errors import ConfigError
from cadre.sales.cadence import Cadence

CREATED = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def test_follow_ups_fall_on_day_3_and_day_7_after_the_first_touch() -> None:
    cadence = Cadence()
    first = datetime(2026, 11, 21, 10, tzinfo=UTC)
    assert cadence.due_at(0, created_at=CREATED, first_sent_at=None) == CREATED
    assert cadence.due_at(1, created_at=CREATED, first_sent_at=None) is None
    assert cadence.due_at(1, created_at=CREATED, first_sent_at=first) == first + timedelta(days=3)
    assert cadence.due_at(2, created_at=CREATED, first_sent_at=first) == first + timedelta(days=7)
    assert cadence.due_at(3, created_at=CREATED, first_sent_at=first) is None


def test_a_touch_due_at_night_waits_for_the_leads_morning() -> None:
    cadence = Cadence()
    night_in_tokyo = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # 00:00 in Tokyo
    assert cadence.is_quiet(night_in_tokyo, "Asia/Tokyo")
    assert not cadence.is_quiet(night_in_tokyo, "Europe/Berlin")
    morning = cadence.next_send_time(night_in_tokyo, "Asia/Tokyo")
    assert morning == datetime(2026, 11, 24, 23, 0, tzinfo=UTC)  # 08:00 on the 25th in Tokyo


def test_a_late_evening_waits_for_the_next_day() -> None:
    evening_in_berlin = datetime(2026, 11, 24, 21, 30, tzinfo=UTC)  # 22:30 local
    assert Cadence().next_send_time(evening_in_berlin, "Europe/Berlin") == datetime(2026, 11, 25, 7, tzinfo=UTC)


def test_follow_up_days_must_increase() -> None:
    with pytest.raises(ConfigError, match="increasing"):
        Cadence(followup_days=(7, 3))


def test_an_unknown_time_zone_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="IANA"):
        Cadence().is_quiet(CREATED, "Mars/Olympus")
