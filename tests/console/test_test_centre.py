"""Test centre pages: suites and their cases, stored runs drilled down to a case's transcript and failed checks, and
two runs of one suite compared (or refused when their suites differ)."""

from __future__ import annotations

import html
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cadre.console.test_centre import PAGE_SIZE
from cadre.evaluation.listing import list_runs
from cadre.evaluation.runner import SuiteRun, run_suite, store_run
from cadre.evaluation.suites import load_suite, shipped_suites
from tests.console.conftest import Console

# Two cases the service agent passes, and one whose reply cannot hold an impossible fact.
SUITE = """\
agent: service
description: The test centre's own small suite.
cases:
  - id: twofa-en
    tags: [how-to, en]
    turns:
      - user: How do I enable two-factor authentication?
        expect: {language: en, handoff: false}
  - id: vat-de
    tags: [billing, de]
    turns:
      - user: Wie füge ich unsere Umsatzsteuer-ID zu den Rechnungen hinzu?
        expect: {language: de, handoff: false}
  - id: impossible-fact
    tags: [broken]
    turns:
      - user: How do I build a dashboard in Pulse?
        expect: {language: en, facts: [zebra-violin-quartz]}
"""
# The same conversation with an expectation that now holds: the case "improves" from one run to the next.
FIXED = SUITE.replace("facts: [zebra-violin-quartz]", "handoff: false")
OTHER = """\
agent: service
cases:
  - id: only-case
    turns:
      - user: How do I enable two-factor authentication?
"""


@dataclass
class Runs:
    suite: str  # the suite file, as the runs name it
    first: SuiteRun  # two trials per case: pass^2 is shown
    second: SuiteRun  # the same suite file, rewritten so that the broken case holds
    other: SuiteRun  # another suite


@pytest.fixture(scope="module")
def runs(console: Console, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    folder = tmp_path_factory.mktemp("suites")
    path, other_path = folder / "small.yaml", folder / "other.yaml"
    path.write_text(SUITE, encoding="utf-8")
    other_path.write_text(OTHER, encoding="utf-8")
    first = run_suite(console.runtime, load_suite(path), suite_name=str(path), repeat=2)
    store_run(console.services.db, first)
    path.write_text(FIXED, encoding="utf-8")
    second = run_suite(console.runtime, load_suite(path), suite_name=str(path))
    store_run(console.services.db, second)
    # The file is back to what the first run ran, so the suite page shows the impossible fact.
    path.write_text(SUITE, encoding="utf-8")
    other = run_suite(console.runtime, load_suite(other_path), suite_name=str(other_path))
    store_run(console.services.db, other)
    return Runs(str(path), first, second, other)


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", page))


def _figure(page: str, chart: str) -> dict[str, Any]:
    found = re.search(rf'id="{chart}" class="plot" data-figure="([^"]*)"', page)
    assert found is not None, f"no chart {chart!r} on the page"
    return json.loads(html.unescape(found.group(1)))  # type: ignore[no-any-return]


def test_the_runs_list_shows_every_run_newest_first_with_its_figures(
    client: TestClient, signed_in: Callable[[str], str], runs: Runs
) -> None:
    assert not runs.first.results[-1].passed and runs.second.passed == 3
    signed_in("analyst")
    page = client.get("/tests")
    assert page.status_code == 200
    listed = re.findall(r'<a href="/tests/runs/([0-9a-f-]{36})">', page.text)
    assert listed[:3] == [runs.other.run_id, runs.second.run_id, runs.first.run_id]
    text = _text(page.text)
    assert "<td>2</td> <td>67%</td>" in text  # the first run: 2 of 3 cases passed every trial
    assert "<td>3</td> <td>100%</td>" in text
    by_suite = re.findall(
        r'<a href="/tests/runs/([0-9a-f-]{36})">', client.get("/tests", params={"suite": runs.suite}).text
    )
    assert by_suite == [runs.second.run_id, runs.first.run_id]
    chart = _figure(page.text, "history-chart")
    line = next(t for t in chart["data"] if t["name"] == "service · small")
    assert line["y"][-2:] == [pytest.approx(2 / 3, abs=1e-4), 1.0]


def test_suites_list_the_shipped_ones_and_those_runs_were_made_from(
    client: TestClient, signed_in: Callable[[str], str], runs: Runs
) -> None:
    signed_in("human_agent")
    page = _text(client.get("/tests/suites").text)
    assert all(entry["path"] in page for entry in shipped_suites())
    assert runs.suite in page
    suite = _text(client.get("/tests/suite", params={"name": runs.suite}).text)
    assert "<code>impossible-fact</code>" in suite and '<span class="badge">broken</span>' in suite
    assert "How do I build a dashboard in Pulse?" in suite
    assert '<b>facts</b>: <code>["zebra-violin-quartz"]</code>' in suite
    assert f"/tests/runs/{runs.first.run_id}" in suite
    service = shipped_suites()[[s["agent"] for s in shipped_suites()].index("service")]["path"]
    shipped = _text(client.get("/tests/suite", params={"name": service}).text)
    assert "<code>howto-pulse-dashboard-en</code>" in shipped and "<dt>agent</dt><dd>service</dd>" in shipped


def test_a_suite_no_run_names_is_not_read(client: TestClient, signed_in: Callable[[str], str]) -> None:
    signed_in("admin")
    refused = client.get("/tests/suite", params={"name": "/etc/passwd"})
    assert refused.status_code == 404
    assert "suite must be a shipped suite or one runs were made from, got '/etc/passwd'" in _text(refused.text)


def test_a_run_shows_its_metrics_with_methods_pass_hat_k_languages_and_failed_checks(
    client: TestClient, signed_in: Callable[[str], str], runs: Runs
) -> None:
    signed_in("analyst")
    page = client.get(f"/tests/runs/{runs.first.run_id}")
    assert page.status_code == 200
    text = _text(page.text)
    body = runs.first.to_json()
    assert f"<td>task_success</td><td>{body['metrics']['task_success']['value']:.4g}</td>" in text
    assert body["metrics"]["fact_recall"]["method"] in text
    assert f"<td>pass^2</td><td>{body['pass_hat_k']['2']:.4g}</td>" in text
    assert "every one of 2 trials" in text
    failure = next(f for r in runs.first.results for f in r.failures)
    assert "zebra-violin-quartz" in failure and failure in text
    assert f'/tests/runs/{runs.first.run_id}/cases/impossible-fact?trial=2">trial 2: fail</a>' in text
    chart = _figure(page.text, "language-chart")
    assert set(chart["data"][0]["x"]) == set(body["by_language"]) >= {"en", "de"}
    success = dict(zip(chart["data"][0]["x"], chart["data"][0]["y"], strict=True))
    assert success["de"] == 1.0 and success["en"] == pytest.approx(0.5)
    single = _text(client.get(f"/tests/runs/{runs.second.run_id}").text)
    assert "pass^" not in single  # one trial: pass^1 is the task success already shown


def test_a_case_shows_its_transcript_failed_checks_and_links_its_conversation(
    client: TestClient, signed_in: Callable[[str], str], runs: Runs, console: Console
) -> None:
    result = [r for r in runs.first.results if r.id == "impossible-fact"][1]
    signed_in("analyst")
    page = client.get(f"/tests/runs/{runs.first.run_id}/cases/impossible-fact", params={"trial": 2})
    assert page.status_code == 200
    text = _text(page.text)
    turn = result.turns[0]
    assert "How do I build a dashboard in Pulse?" in text and " ".join(turn.reply.split()) in text
    assert f"topic <b>{turn.topic}</b>" in text
    assert '<h2>Failed checks</h2> <ul class="verdicts failures"> <li class="flag">turn 1:' in text
    assert "zebra-violin-quartz" in text and "<td>facts</td><td>0 of 1</td>" in text
    assert '<b>facts</b>: <code>["zebra-violin-quartz"]</code>' in text  # the suite's expectation beside it
    linked = re.search(r'<a href="/conversations/([0-9a-f-]{36})">', text)
    assert linked is not None
    # The link is the trial's own conversation: its messages are this case's, and the first trial's differs.
    messages = console.services.conversations.messages(linked.group(1))
    assert [m["text"] for m in messages] == [turn.user, turn.reply]
    first_trial = _text(client.get(f"/tests/runs/{runs.first.run_id}/cases/impossible-fact").text)
    other = re.search(r'<a href="/conversations/([0-9a-f-]{36})">', first_trial)
    assert other is not None and other.group(1) != linked.group(1)
    passed = _text(client.get(f"/tests/runs/{runs.second.run_id}/cases/vat-de").text)
    assert "Failed checks" not in passed and "every check held" in passed
    missing = client.get(f"/tests/runs/{runs.first.run_id}/cases/impossible-fact", params={"trial": 3})
    assert missing.status_code == 404


def test_compare_shows_deltas_moved_cases_and_the_significance_note(
    client: TestClient, signed_in: Callable[[str], str], runs: Runs
) -> None:
    signed_in("analyst")
    page = client.get("/tests/compare", params={"a": runs.first.run_id, "b": runs.second.run_id})
    assert page.status_code == 200
    text = _text(page.text)
    before = runs.first.to_json()["metrics"]["task_success"]["value"]
    assert f"<td>task_success</td><td>{before:.4g}</td><td>1</td><td>{1 - before:+.4g}</td><td>better</td>" in text
    assert re.search(r'<ul class="moved improved"> <li><a [^>]*><code>impossible-fact</code></a> 0% → 100%', text)
    assert "<h2>Regressed (0)</h2>" in text
    assert "not significant: the 95% interval" in text and "paired bootstrap over cases" in text


def test_compare_refuses_runs_of_different_suites(
    client: TestClient, signed_in: Callable[[str], str], runs: Runs
) -> None:
    signed_in("builder")
    page = client.get("/tests/compare", params={"a": runs.first.run_id, "b": runs.other.run_id})
    assert page.status_code == 422
    text = _text(page.text)
    assert "These runs cannot be compared: both runs must be of the same suite" in text
    assert "<h2>Metrics</h2>" not in text
    picker = client.get("/tests/compare")
    assert picker.status_code == 200 and runs.other.run_id in picker.text


@pytest.mark.parametrize(
    "path",
    ["/tests", "/tests/suites", "/tests/compare", "/tests/runs/{run}", "/tests/runs/{run}/cases/twofa-en"],
)
def test_the_pages_need_agents_read(client: TestClient, signed_in: Callable[[str], str], runs: Runs, path: str) -> None:
    url = path.format(run=runs.second.run_id)
    assert client.get(url).status_code == 303  # signed out: to the sign-in page
    signed_in("channel")
    denied = client.get(url)
    assert denied.status_code == 403
    assert "the channel role may not open this page (it needs `agents:read`)" in _text(denied.text)
    signed_in("human_agent")
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(("role", "shown"), [("analyst", True), ("human_agent", True), ("channel", False)])
def test_the_navigation_links_the_test_centre_for_roles_that_may_open_it(
    client: TestClient, signed_in: Callable[[str], str], role: str, shown: bool
) -> None:
    signed_in(role)
    menu = client.get("/").text.split('<nav aria-label="Console">', 1)[1].split("</nav>", 1)[0]
    assert ('<a href="/tests">Test centre</a>' in menu) is shown


def test_an_unknown_run_is_not_found(client: TestClient, signed_in: Callable[[str], str]) -> None:
    signed_in("analyst")
    missing = client.get("/tests/runs/no-such-run")
    assert missing.status_code == 404 and "no evaluation run 'no-such-run'" in _text(missing.text)


def test_the_runs_list_pages(client: TestClient, signed_in: Callable[[str], str], runs: Runs, console: Console) -> None:
    # Copies of a stored run under new ids: enough runs for a second page without running the suite again.
    for _ in range(PAGE_SIZE):
        store_run(console.services.db, replace(runs.second, run_id=str(uuid.uuid4())))
    total = list_runs(console.services.db).total
    assert total > PAGE_SIZE
    signed_in("builder")
    first = client.get("/tests").text
    assert len(re.findall(r'<a href="/tests/runs/[0-9a-f-]{36}">', first)) == PAGE_SIZE
    assert f"1\u2013{PAGE_SIZE} of {total}" in first and 'rel="next" href="/tests?offset=25"' in first
    last = client.get("/tests", params={"offset": total - 1}).text
    oldest = list_runs(console.services.db, limit=1, offset=total - 1).rows[0].run_id
    assert re.findall(r'<a href="/tests/runs/([0-9a-f-]{36})">', last) == [oldest]
    assert 'rel="prev"' in last and 'rel="next"' not in last
