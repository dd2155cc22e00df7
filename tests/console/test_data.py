"""Data pages: sources, catalog, policies, the audit log, and a unified profile read under governance."""

from __future__ import annotations

import html
from collections.abc import Callable

from fastapi.testclient import TestClient

from cadre.data.identity import IdentityService
from tests.console.conftest import Console


def test_sources_entities_and_policies_show_what_the_data_layer_holds(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    signed_in("analyst")
    sources = client.get("/data/sources").text
    assert all(f"<td>{s.name}</td>" in sources for s in console.services.data.sources.list())
    entities = client.get("/data/entities").text
    assert all(
        f"<code>{e.source}.{e.table}</code>" in entities for e in console.services.data.catalog.entities.values()
    )
    policies = client.get("/data/policies").text
    assert all(p.name in policies for p in console.services.data.policies.policies)


def test_the_audit_log_pages_newest_first_and_filters_by_principal(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    signed_in("admin")
    newest = console.services.data.audit.count()
    page = client.get("/data/audit").text
    assert f"<td>{newest}</td>" in page
    if newest > 50:
        assert f"<td>{newest - 50}</td>" in client.get("/data/audit?offset=50").text
    filtered = client.get("/data/audit?principal=nobody:at-all").text
    assert "No entries." in filtered


def test_a_profile_is_found_by_e_mail_and_read_as_the_console_user(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    data = console.services.data
    IdentityService(data).resolve("Person")
    contact = data.get("Contact", principal="role:admin", purpose="test", fields=["email"], limit=1).rows[0]
    signed_in("admin")
    page = html.unescape(client.get("/data/profiles", params={"q": contact["email"]}).text)
    assert "Person <code>" in page
    assert contact["email"] in page
    assert any(e.principal == "console:console-admin" for e in data.audit.entries(limit=5))


def test_a_human_agent_reads_what_a_support_rep_may_and_is_told_what_not(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    data = console.services.data
    IdentityService(data).resolve("Person")
    contact = data.get("Contact", principal="role:admin", purpose="test", fields=["email"], limit=1).rows[0]
    signed_in("human_agent")
    page = html.unescape(client.get("/data/profiles", params={"q": contact["email"]}).text)
    assert "Person <code>" in page and contact["email"] in page
    assert "Not searched (your role may not read them): Lead" in page  # no policy lets support read leads
    missing = html.unescape(client.get("/data/profiles", params={"q": "someone@example.com"}).text)
    assert "no unified profile has a record with e-mail 'someone@example.com'" in missing
