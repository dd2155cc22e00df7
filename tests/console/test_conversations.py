"""Conversation pages: text search and filters narrow the list; a transcript shows what each turn did."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from cadre.channels.feedback import FeedbackStore
from tests.console.conftest import Console


def _listed(page: str) -> set[str]:
    return set(re.findall(r'<a href="/conversations/([0-9a-f-]{36})">', page))


def test_filters_and_search_narrow_the_list(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    signed_in("analyst")
    everything = _listed(client.get("/conversations").text)
    assert {console.answered, console.spanish} <= everything
    by_agent = _listed(client.get("/conversations?agent=concierge").text)
    assert console.spanish in by_agent and console.answered not in by_agent
    by_language = _listed(client.get("/conversations?language=es").text)
    assert console.spanish in by_language and console.answered not in by_language
    by_text = _listed(client.get("/conversations", params={"q": "TWO-factor"}).text)
    assert console.answered in by_text and console.spanish not in by_text
    assert _listed(client.get("/conversations", params={"q": "no message says 100%_this"}).text) == set()


def test_filtering_by_outcome_and_topic_uses_the_turns(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    handoff = console.services.inbox.get(console.handoff())
    signed_in("human_agent")
    handed = _listed(client.get("/conversations?outcome=handed_off").text)
    assert handoff.conversation_id in handed and console.answered not in handed
    topic = console.services.conversations.turn(
        console.services.conversations.messages(handoff.conversation_id)[-1]["turn_id"]
    )
    assert topic is not None and topic.topic is not None
    assert handoff.conversation_id in _listed(client.get(f"/conversations?topic={topic.topic}").text)


def test_the_chart_counts_turns_by_language_and_outcome(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    signed_in("analyst")
    page = client.get("/conversations?agent=concierge&language=es").text
    figure = json.loads(html.unescape(re.search(r'data-figure="([^"]*)"', page).group(1)))  # type: ignore[union-attr]
    assert figure["layout"]["barmode"] == "stack"
    assert {trace["x"][0] for trace in figure["data"]} == {"es"}
    assert sum(sum(trace["y"]) for trace in figure["data"]) >= 1


def test_a_transcript_shows_the_turn_its_citations_verdicts_and_feedback(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    turn_id = console.services.conversations.messages(console.answered)[-1]["turn_id"]
    turn = console.services.conversations.turn(turn_id)
    assert turn is not None and turn.citations
    FeedbackStore(console.services.db).give(
        console.answered, turn_id=turn_id, csat=4, comment="clear steps", author="visitor", channel="web"
    )
    signed_in("analyst")
    page = html.unescape(client.get(f"/conversations/{console.answered}").text)
    assert "How do I enable two-factor authentication?" in page
    assert f"topic <b>{turn.topic}</b>" in page
    citation = turn.citations[0]
    assert citation["url"].startswith("https://")
    assert f'<a href="{citation["url"]}" rel="noopener noreferrer">{citation["title"]}</a>' in page
    assert all(f"{g['name']}: {g['verdict']}" in page for g in turn.guardrails)
    assert "clear steps" in page and "<td>4</td>" in page
    assert "/inbox/" not in page  # an analyst has no inbox to link to


def test_a_handed_off_transcript_shows_the_hand_off_and_what_the_agent_did(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    handoff = console.services.inbox.get(console.handoff())
    signed_in("human_agent")
    page = html.unescape(client.get(f"/conversations/{handoff.conversation_id}").text)
    assert f"Hand-off #{handoff.id} · {handoff.queue} · open" in page
    assert handoff.summary in page
    assert f'href="/inbox/{handoff.id}"' in page


def test_a_transcript_shows_each_action_with_its_arguments_and_result(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    turn = console.services.conversations.turn(console.services.conversations.messages(console.spanish)[-1]["turn_id"])
    assert turn is not None and turn.actions
    action = turn.actions[0]
    signed_in("analyst")
    page = html.unescape(client.get(f"/conversations/{console.spanish}").text)
    row = re.search(rf"<tr><td>{action['name']}</td><td><code>(.*?)</code></td><td>(yes|no)</td>", page)
    assert row is not None
    assert json.loads(row.group(1)) == action["arguments"]
    assert row.group(2) == ("yes" if action["ok"] else "no")


def test_pages_follow_one_another_without_overlap(client: TestClient, signed_in: Callable[[str], str]) -> None:
    signed_in("analyst")
    first = re.findall(r'<a href="/conversations/([0-9a-f-]{36})">', client.get("/conversations").text)
    second = re.findall(r'<a href="/conversations/([0-9a-f-]{36})">', client.get("/conversations?offset=1").text)
    assert len(first) >= 2
    assert second[: len(first) - 1] == first[1:]


def test_the_pager_keeps_the_filters_in_its_links() -> None:
    from cadre.console._pages import TEMPLATES

    pager = TEMPLATES.env.get_template("_macros.html").module.pager  # type: ignore[attr-defined]
    links = str(pager("/conversations", 25, 25, 80, {"q": "two factor & more", "agent": "service"}))
    assert 'href="/conversations?q=two+factor+%26+more&amp;agent=service&amp;offset=0"' in links
    assert 'href="/conversations?q=two+factor+%26+more&amp;agent=service&amp;offset=50"' in links
    assert "26\u201350 of 80" in links  # an en dash between the numbers
    assert str(pager("/conversations", 0, 25, 25)).strip() == ""  # one page: no pager
