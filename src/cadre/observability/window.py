"""The slice of events a figure is computed over: a period, and optionally one agent, topic, language, channel."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Literal, get_args

from cadre.errors import CadreError

_PERIOD = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


Dimension = Literal["agent", "topic", "language", "channel"]
DIMENSIONS: tuple[Dimension, ...] = get_args(Dimension)  # what a window may be narrowed to, in this order


class BadWindow(CadreError):
    """A period or a time that can't be read."""


def parse_period(text: str) -> timedelta:
    """`90m`, `1h`, `24h`, `7d`, `2w` as a duration."""
    match = _PERIOD.match(text)
    if match is None or int(match.group(1)) == 0:
        raise BadWindow(f"a period must be a positive number and a unit (m, h, d or w) such as 1h or 7d, got {text!r}")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def parse_moment(text: str) -> datetime:
    """An ISO date or time; one without a zone is read as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadWindow(f"a time must be an ISO date or time such as 2026-11-24T09:00:00Z, got {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Window:
    since: datetime  # inclusive
    until: datetime  # exclusive
    agent: str | None = None
    topic: str | None = None
    language: str | None = None
    channel: str | None = None

    def __post_init__(self) -> None:
        if self.since.tzinfo is None or self.until.tzinfo is None:
            raise BadWindow("a window's times must carry a time zone")
        if self.until <= self.since:
            raise BadWindow(
                f"a window must end after it starts, got {self.since.isoformat()} to {self.until.isoformat()}"
            )

    @classmethod
    def ending(cls, until: datetime, period: timedelta) -> Window:
        return cls(since=until - period, until=until)

    @property
    def length(self) -> timedelta:
        return self.until - self.since

    @property
    def filters(self) -> dict[Dimension, str]:
        """The dimensions this window is narrowed to, each with its value."""
        return {name: value for name in DIMENSIONS if (value := getattr(self, name)) is not None}

    def before(self) -> Window:
        """The window of the same length just before this one: what a change is compared against."""
        return replace(self, since=self.since - self.length, until=self.since)

    def narrowed(
        self,
        *,
        agent: str | None = None,
        topic: str | None = None,
        language: str | None = None,
        channel: str | None = None,
    ) -> Window:
        """This window with more filters; a filter left out keeps its value."""
        return replace(
            self,
            agent=agent or self.agent,
            topic=topic or self.topic,
            language=language or self.language,
            channel=channel or self.channel,
        )

    def to_json(self) -> dict[str, str | None]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "agent": self.agent,
            "topic": self.topic,
            "language": self.language,
            "channel": self.channel,
        }
