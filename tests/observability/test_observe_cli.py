"""`cadre observe summary|breakdown`: the JSON keys of the issue, the default window, filters and errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from cadre.cli import _context, app
from cadre.observability.events import EventStore
from cadre.settings import Settings
from cadre.store import open_database
from tests.observability.test_figures import handmade_day

SECTIONS = ["window", "roi", "latency", "errors", "relevancy", "csat", "adoption"]
SECTIONS += ["deflection", "escalation", "abandonment", "sdr", "score"]


def observe(*args: str) -> tuple[int, Any, str]:
    _context.reset()
    result = CliRunner().invoke(app, ["observe", *args], catch_exceptions=False)
    body = json.loads(result.stdout) if "--json" in args and result.exit_code == 0 else result.stdout
    return result.exit_code, body, result.stderr


def record_day(home: Path) -> None:
    db = open_database(Settings(home=home))
    EventStore(db).record(handmade_day())
    db.close()


def test_summary_json_over_the_default_window(cadre_home: Path) -> None:
    record_day(cadre_home)
    code, body, err = observe("summary", "--json")
    assert code == 0, err
    assert list(body) == SECTIONS
    # The latest live event is at midnight: the default 24 h end the minute after it.
    assert (body["window"]["since"], body["window"]["until"]) == (
        "2026-11-24T00:01:00+00:00",
        "2026-11-25T00:01:00+00:00",
    )
    assert body["adoption"]["turns"] == 8  # the day's seven and the one at midnight
    assert {"p50_ms", "p95_ms", "time_to_resolution_s"} <= set(body["latency"])
    assert {"value", "components", "formula", "missing"} <= set(body["score"])
    assert {"net_usd", "annualised_usd", "formula", "inputs"} <= set(body["roi"])


def test_summary_with_an_iso_window_and_filters(cadre_home: Path) -> None:
    record_day(cadre_home)
    window = ("--since", "2026-11-24", "--until", "2026-11-25T00:00:00Z")
    code, body, err = observe("summary", *window, "--agent", "service", "--topic", "billing", "--json")
    assert code == 0, err
    assert (body["window"]["agent"], body["window"]["topic"]) == ("service", "billing")
    assert (body["adoption"]["conversations"], body["adoption"]["turns"]) == (3, 5)
    code, body, err = observe("summary", "--since", "2h", "--until", "2026-11-24T12:00:00Z", "--json")
    assert code == 0, err
    assert (body["window"]["since"], body["adoption"]["turns"]) == ("2026-11-24T10:00:00+00:00", 4)


def test_summary_for_people_prints_the_window_and_the_score(cadre_home: Path) -> None:
    record_day(cadre_home)
    code, out, err = observe("summary", "--since", "2026-11-24", "--until", "2026-11-25")
    assert code == 0, err
    assert "Window 2026-11-24T00:00:00+00:00 → 2026-11-25T00:00:00+00:00" in out
    assert "Score" in out and "deflected * human_conversation_usd" in out


def test_an_empty_store_gives_the_24_hours_ending_now(cadre_home: Path) -> None:
    code, body, err = observe("summary", "--json")
    assert code == 0, err
    assert body["adoption"]["conversations"] == 0 and body["score"]["value"] is None


def test_breakdown_by_topic_json(cadre_home: Path) -> None:
    record_day(cadre_home)
    code, body, err = observe("breakdown", "--by", "topic", "--since", "2026-11-24", "--until", "2026-11-25", "--json")
    assert code == 0, err
    assert body["by"] == "topic"
    assert [(row["topic"], row["turns"]) for row in body["rows"]] == [("billing", 5), ("orders", 2), (None, 0)]
    assert set(body["rows"][0]) >= {"conversations", "deflection_rate", "escalation_rate", "csat", "p50_ms", "p95_ms"}
    code, out, err = observe("breakdown", "--by", "topic", "--since", "2026-11-24", "--until", "2026-11-25")
    assert code == 0 and "billing" in out and "(none)" in out


def test_bad_arguments_are_one_line_errors(cadre_home: Path) -> None:
    code, _, err = observe("breakdown", "--by", "queue", "--json")
    assert code == 2 and "a breakdown must be by one of agent, topic, language, channel, got 'queue'" in err
    code, _, err = observe("summary", "--since", "yesterday", "--json")
    assert code == 2 and "--since must be a period such as 24h or 7d, or an ISO time" in err
    code, _, err = observe("summary", "--since", "2026-11-25", "--until", "2026-11-24", "--json")
    assert code == 2 and "a window must end after it starts" in err
    code, _, err = observe("summary", "--source", "rows", "--json")
    assert code == 2 and "--source must be one of auto, events, chunks, got 'rows'" in err


def test_pack_then_a_long_window_counts_the_same_from_either_source(cadre_home: Path) -> None:
    record_day(cadre_home)  # 2026-11-24, long past: packed whole
    code, report, err = observe("pack", "--json")
    assert code == 0, err
    assert report["days"] == 3  # the day, the day before it (earlier turns) and the next (a turn at midnight)
    window = ("--since", "2026-11-20T00:00:00Z", "--until", "2026-11-27T00:00:00Z")
    bodies = [observe("summary", *window, "--source", source, "--json")[1] for source in ("events", "chunks", "auto")]
    assert bodies[0]["adoption"]["turns"] == 10
    assert bodies[0] == bodies[1] == bodies[2]
    code, again, err = observe("pack", "--json")
    assert (code, again["days"]) == (0, 0)
    code, out, err = observe("pack")
    assert code == 0 and "Packed 0 days" in out
