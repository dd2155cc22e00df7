import pytest

from cadre.errors import ConfigError
from cadre.jobs import cron_every, registered, schedules
from cadre.settings import Settings


@pytest.mark.parametrize(
    ("seconds", "cron"),
    [(5, "* * * * * */5"), (60, "*/1 * * * *"), (300, "*/5 * * * *"), (900, "*/15 * * * *"), (7200, "0 */2 * * *")],
)
def test_intervals_become_clock_aligned_cron_expressions(seconds: float, cron: str) -> None:
    assert cron_every(seconds) == cron


@pytest.mark.parametrize("seconds", [7, 90, 0.5, 5400])
def test_an_interval_cron_cannot_say_is_refused(seconds: float) -> None:
    with pytest.raises(ConfigError, match=rf"must divide a minute, an hour or a day evenly .*got {seconds!r}"):
        cron_every(seconds)


def test_the_built_in_schedule_runs_registered_jobs_and_follows_the_alert_interval() -> None:
    every = {e.job: e.cron for e in schedules(Settings(alert_interval_s=30))}
    assert every == {
        "cadre.quiet_sweep": "*/5 * * * *",
        "cadre.alerts": "* * * * * */30",
        "cadre.sales_pass": "*/15 * * * *",
        "cadre.pack_events": "0 */1 * * *",
        "cadre.scan_knowledge": "0 */1 * * *",
    }
    assert set(every) <= set(registered())


def test_a_job_module_that_does_not_import_is_named() -> None:
    with pytest.raises(ConfigError, match=r"`CADRE_JOB_MODULES` must name importable modules, got 'no_such_jobs'"):
        registered(["no_such_jobs"])
