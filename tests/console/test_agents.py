"""Agent pages: the list, versions, spec as deployed, diffs, and deploying from the form."""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable
from importlib.resources import files

from fastapi.testclient import TestClient

CONCIERGE = (files("cadre.sample") / "agents" / "concierge.yaml").read_text(encoding="utf-8")


def test_the_list_shows_each_agent_with_its_latest_version_channels_and_topics(
    client: TestClient, signed_in: Callable[[str], str]
) -> None:
    signed_in("analyst")
    page = client.get("/agents").text
    assert '<a href="/agents/concierge">concierge</a>' in page
    assert "web, api" in page
    assert 'href="/agents/deploy"' not in page  # an analyst may not deploy, so the button is not there


def test_a_version_shows_the_yaml_as_deployed_comments_included(
    client: TestClient, signed_in: Callable[[str], str]
) -> None:
    signed_in("builder")
    page = client.get("/agents/concierge/versions/1").text
    first_comment = next(line for line in CONCIERGE.splitlines() if line.startswith("#"))
    assert first_comment in html.unescape(page)


def test_a_deploy_with_mistakes_shows_each_problem_with_its_line_and_path_and_keeps_the_text(
    client: TestClient, signed_in: Callable[[str], str]
) -> None:
    token = signed_in("builder")
    broken = CONCIERGE.replace("engine: offline", "engine: telepathy")
    line = next(n for n, text in enumerate(broken.splitlines(), start=1) if text == "engine: telepathy")
    response = client.post("/agents/deploy", data={"source": broken, "csrf_token": token})
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert f"pasted spec:{line}: `engine`: Input should be 'offline', 'openai' or 'scripted'" in page
    assert "engine: telepathy" in page  # the text stays in the form, to fix and send again


def test_deploying_twice_makes_two_versions_and_the_diff_shows_the_change(
    client: TestClient, signed_in: Callable[[str], str]
) -> None:
    token = signed_in("builder")
    # Its own agent: the sample's agents are shared by the whole test session and must stay as shipped.
    first = CONCIERGE.replace("name: concierge", f"name: trial-{uuid.uuid4().hex[:8]}", 1)
    name = first.split("name: ", 1)[1].split()[0]
    response = client.post("/agents/deploy", data={"source": first, "csrf_token": token})
    assert response.status_code == 303
    assert response.headers["location"] == f"/agents/{name}"
    second = first.replace("channels: [web, api]", "channels: [web]")
    assert client.post("/agents/deploy", data={"source": second, "csrf_token": token}).status_code == 303
    versions = client.get(f"/agents/{name}").text
    assert f'href="/agents/{name}/versions/2"' in versions and f'href="/agents/{name}/versions/1"' in versions
    assert "console:console-builder" in versions
    diff = html.unescape(client.get(f"/agents/{name}/diff").text)
    assert "<code>channels</code>" in diff
    assert "-channels: [web, api]" in diff and "+channels: [web]" in diff


def test_deploying_needs_the_deploy_capability_and_the_csrf_token(
    client: TestClient, signed_in: Callable[[str], str]
) -> None:
    token = signed_in("analyst")
    assert client.post("/agents/deploy", data={"source": CONCIERGE, "csrf_token": token}).status_code == 403
    signed_in("builder")
    refused = client.post("/agents/deploy", data={"source": CONCIERGE, "csrf_token": "stale"})
    assert refused.status_code == 403
    assert "CSRF token is missing or wrong" in refused.text
