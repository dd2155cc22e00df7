"""When the periodic jobs run: every few minutes, as cron expressions the queue's scheduler understands."""

from __future__ import annotations

from dataclasses import dataclass

from cadre.errors import ConfigError
from cadre.settings import Settings

QUIET_SWEEP_S = 300.0
SALES_PASS_S = 900.0
PACK_EVENTS_S = 3600.0  # a day is packed within the hour after it ends
SCAN_KNOWLEDGE_S = 3600.0  # chunks nothing scanned yet (after an upgrade of Cadre) are scored within the hour


@dataclass(frozen=True)
class Every:
    job: str
    seconds: float

    @property
    def cron(self) -> str:
        return cron_every(self.seconds, what=f"the interval of `{self.job}`")


def schedules(settings: Settings) -> list[Every]:
    """The built-in periodic jobs; alert evaluation follows `CADRE_ALERT_INTERVAL_S`."""
    return [
        Every("cadre.quiet_sweep", QUIET_SWEEP_S),
        Every("cadre.alerts", settings.alert_interval_s),
        Every("cadre.sales_pass", SALES_PASS_S),
        Every("cadre.pack_events", PACK_EVENTS_S),
        Every("cadre.scan_knowledge", SCAN_KNOWLEDGE_S),
    ]


def cron_every(seconds: float, *, what: str = "a job interval") -> str:
    """A cron expression firing every `seconds`, aligned on the clock (so every worker computes the same ticks and
    the queue defers each tick once). Cron can only say intervals that divide a minute, an hour or a day."""
    whole = int(seconds)
    if whole == seconds and whole >= 1:
        if whole < 60 and 60 % whole == 0:
            return f"* * * * * */{whole}"  # the sixth field is seconds
        minutes, hours = whole // 60, whole // 3600
        if whole % 60 == 0 and minutes < 60 and 60 % minutes == 0:
            return f"*/{minutes} * * * *"
        if whole % 3600 == 0 and hours <= 24 and 24 % hours == 0:
            return f"0 */{hours} * * *" if hours < 24 else "0 0 * * *"
    raise ConfigError(
        f"{what} must divide a minute, an hour or a day evenly (e.g. 30, 60, 300, 3600 seconds), got {seconds!r}"
    )
