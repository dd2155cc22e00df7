"""Trace pages: a turn's spans as a waterfall, linked from its conversation, for roles that read conversations."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from cadre.console.traces import waterfall
from cadre.observability.trace_store import TraceStore
from tests.console.conftest import Console


def _turn_of(console: Console) -> str:
    turn_id = console.services.conversations.messages(console.answered)[-1]["turn_id"]
    assert isinstance(turn_id, str)
    return turn_id


def test_a_conversation_links_each_agent_turn_to_its_trace(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    signed_in("analyst")
    page = client.get(f"/conversations/{console.answered}").text
    assert f'<a href="/traces/{_turn_of(console)}">trace</a>' in page


def test_the_trace_page_draws_every_span_with_its_duration_status_and_attributes(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    turn_id = _turn_of(console)
    spans = TraceStore(console.services.db).trace_of_turn(turn_id)
    signed_in("analyst")
    response = client.get(f"/traces/{turn_id}")
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert f'<a href="/conversations/{console.answered}">' in page
    names = re.findall(r"<summary>([^<]+)</summary>", page)
    assert names == [s["name"] for s in spans] and names[0] == "invoke_agent service"
    bars = re.findall(r'class="wf-bar wf-(\w+)" style="left: ([\d.]+)%; width: ([\d.]+)%"', page)
    assert len(bars) == len(spans) and bars[0] == ("unset", "0.0", "100.0")
    assert all(0 <= float(left) <= 100 and float(left) + float(width) <= 100.5 for _, left, width in bars)
    assert "<dt>gen_ai.operation.name</dt><dd>invoke_agent</dd>" in page
    assert "<dt>cadre.outcome</dt><dd>answered</dd>" in page
    assert f"{spans[0]['duration_ms']:.1f} ms · {len(spans)} spans" in page


def test_a_turn_without_a_trace_is_not_found_and_a_role_without_conversations_is_refused(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    signed_in("analyst")
    assert client.get("/traces/no-such-turn").status_code == 404
    listed = client.get("/traces").text
    assert f'<a href="/traces/{_turn_of(console)}">' in listed
    signed_in("channel")
    assert client.get(f"/traces/{_turn_of(console)}").status_code == 403


def test_a_bar_sits_where_its_span_ran_within_the_trace() -> None:
    spans = [
        {"name": "root", "offset_ms": 0.0, "duration_ms": 200.0},
        {"name": "late", "offset_ms": 150.0, "duration_ms": 50.0},
        {"name": "instant", "offset_ms": 20.0, "duration_ms": 0.0},
    ]
    assert [(r["left"], r["width"]) for r in waterfall(spans)] == [(0.0, 100.0), (75.0, 25.0), (10.0, 0.4)]
