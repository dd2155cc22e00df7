"""Every console page opens for a role that holds its capability, is refused (403) for one that does not, and the
navigation shows only what the role may open."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.console.conftest import Console

# (path, a role that may open it, a role that may not); `{conversation}` and `{handoff}` are filled in.
PAGES = [
    ("/agents", "analyst", "channel"),
    ("/agents/service", "human_agent", "channel"),
    ("/agents/service/versions/1", "builder", "channel"),
    ("/agents/service/diff?from=1&to=1", "builder", "channel"),
    ("/agents/deploy", "builder", "analyst"),
    ("/conversations", "analyst", "channel"),
    ("/conversations/{conversation}", "human_agent", "channel"),
    ("/inbox", "human_agent", "builder"),
    ("/inbox/{handoff}", "admin", "analyst"),
    ("/knowledge", "analyst", "channel"),
    ("/knowledge/help", "builder", "channel"),
    ("/knowledge/help/curation", "human_agent", "channel"),
    ("/data/sources", "analyst", "human_agent"),
    ("/data/entities", "builder", "human_agent"),
    ("/data/policies", "analyst", "human_agent"),
    ("/data/audit", "admin", "human_agent"),
    ("/data/profiles", "human_agent", "analyst"),
    ("/dashboard", "analyst", "channel"),
    ("/incidents", "analyst", "channel"),
    ("/portfolio", "analyst", "channel"),
    ("/traces", "analyst", "channel"),
]


@pytest.fixture(scope="module")
def handoff_id(console: Console) -> int:
    return console.handoff()


@pytest.mark.parametrize(("path", "allowed", "refused"), PAGES)
def test_a_page_opens_for_a_role_that_may_and_is_refused_for_one_that_may_not(
    client: TestClient,
    signed_in: Callable[[str], str],
    console: Console,
    handoff_id: int,
    path: str,
    allowed: str,
    refused: str,
) -> None:
    url = path.format(conversation=console.answered, handoff=handoff_id)
    signed_in(allowed)
    page = client.get(url)
    assert page.status_code == 200, page.text
    assert "<h1>" in page.text
    signed_in(refused)
    denied = client.get(url)
    assert denied.status_code == 403
    assert "Not allowed" in denied.text
    assert f"the {refused} role may not open this page" in denied.text


EVERYONE_ON_STAFF = ["Overview", "Dashboard", "Agents", "Test centre", "Conversations"]


def _nav(html: str) -> list[str]:
    menu = html.split('<nav aria-label="Console">', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', menu)


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("admin", [*EVERYONE_ON_STAFF, "Inbox", "Incidents", "Portfolio", "Knowledge", "Data", "Profiles"]),
        ("analyst", [*EVERYONE_ON_STAFF, "Incidents", "Portfolio", "Knowledge", "Data"]),
        ("human_agent", [*EVERYONE_ON_STAFF, "Inbox", "Incidents", "Portfolio", "Knowledge", "Profiles"]),
        ("channel", ["Overview"]),
    ],
)
def test_navigation_lists_only_the_pages_the_role_may_open(
    client: TestClient, signed_in: Callable[[str], str], role: str, shown: list[str]
) -> None:
    signed_in(role)
    assert _nav(client.get("/").text) == shown


def test_the_overview_counts_what_waits_and_links_on(
    client: TestClient, signed_in: Callable[[str], str], console: Console, handoff_id: int
) -> None:
    signed_in("admin")
    html = client.get("/").text
    open_now = len(console.services.inbox.list(status="open"))
    assert re.search(rf'<a href="/inbox"><span class="figure">{open_now}</span> open hand-off', html)
    assert re.search(r'<a href="/agents"><span class="figure">[1-9]\d*</span> agents? deployed', html)
    signed_in("analyst")
    assert "open hand-off" not in client.get("/").text  # the analyst has no inbox


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/conversations/not-a-conversation", "no conversation 'not-a-conversation'"),
        ("/agents/nobody", "agent 'nobody' is not deployed"),
        ("/inbox/987654321", "no hand-off with id 987654321"),
        ("/knowledge/nothing-here", "collection 'nothing-here' has no documents"),
    ],
)
def test_something_that_does_not_exist_is_a_404_page(
    client: TestClient, signed_in: Callable[[str], str], path: str, message: str
) -> None:
    signed_in("admin")
    page = client.get(path)
    assert page.status_code == 404
    assert "<h1>Not found</h1>" in page.text
    assert message in html.unescape(page.text)


def test_plotly_is_served_from_the_installed_package(client: TestClient, signed_in: Callable[[str], str]) -> None:
    signed_in("analyst")
    page = client.get("/conversations").text
    assert '<script src="/console/static/plotly.min.js"' in page
    assert "cdn" not in page.lower()
    script = client.get("/console/static/plotly.min.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "plotly.js" in script.text[:500]
    assert client.get("/console/static/console.css").status_code == 200
