"""When each touch of a lead's sequence is due, and when a due touch may go out in the lead's own time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cadre.errors import ConfigError


@dataclass(frozen=True)
class Cadence:
    followup_days: tuple[int, ...] = (3, 7)
    quiet_start_hour: int = 20  # local hour from which nothing is sent …
    quiet_end_hour: int = 8  # … until this local hour

    def __post_init__(self) -> None:
        if list(self.followup_days) != sorted(set(self.followup_days)) or any(d <= 0 for d in self.followup_days):
            raise ConfigError(f"follow-up days must be positive and increasing, got {list(self.followup_days)}")

    @property
    def steps(self) -> int:
        """Touches in a full sequence: the first one and each follow-up."""
        return 1 + len(self.followup_days)

    def due_at(self, step: int, *, created_at: datetime, first_sent_at: datetime | None) -> datetime | None:
        """When touch `step` is due: the first at once, follow-up k `followup_days[k-1]` days after the first."""
        if step == 0:
            return created_at
        if first_sent_at is None or step >= self.steps:
            return None
        return first_sent_at + timedelta(days=self.followup_days[step - 1])

    def is_quiet(self, moment: datetime, time_zone: str) -> bool:
        hour = moment.astimezone(zone(time_zone)).hour
        if self.quiet_start_hour > self.quiet_end_hour:  # the quiet span crosses midnight, the usual case
            return hour >= self.quiet_start_hour or hour < self.quiet_end_hour
        return self.quiet_start_hour <= hour < self.quiet_end_hour

    def next_send_time(self, moment: datetime, time_zone: str) -> datetime:
        """`moment`, or the end of the quiet hours it falls in (the lead's next morning)."""
        if not self.is_quiet(moment, time_zone):
            return moment
        local = moment.astimezone(zone(time_zone))
        morning = datetime.combine(local.date(), time(self.quiet_end_hour), tzinfo=local.tzinfo)
        if morning <= local:
            morning = datetime.combine(local.date() + timedelta(days=1), time(self.quiet_end_hour), local.tzinfo)
        return morning.astimezone(moment.tzinfo)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"time zone must be an IANA name such as 'Europe/Paris', got {name!r}") from exc
