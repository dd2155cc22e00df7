"""Knowledge pages: collections, documents with their chunks, the curation report and recording a decision."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.console.conftest import Console


def test_collections_and_documents_are_listed_with_languages_and_chunks(
    client: TestClient, signed_in: Callable[[str], str]
) -> None:
    signed_in("analyst")
    assert '<a href="/knowledge/help">help</a>' in client.get("/knowledge").text
    page = html.unescape(client.get("/knowledge/help").text)
    rows = re.findall(r"<td><code>([^<]+)</code></td>\s*<td>.*?</td>\s*<td>(\w+)</td>\s*<td>(\d+)</td>", page, re.S)
    assert rows and all(int(chunks) >= 1 for _, _, chunks in rows)
    assert client.get("/knowledge/no-such-collection").status_code == 404


def test_a_curator_runs_the_report_records_a_decision_and_revokes_it(
    client: TestClient, signed_in: Callable[[str], str], console: Console
) -> None:
    token = signed_in("builder")
    assert client.post("/knowledge/help/curation", data={"csrf_token": token}).status_code == 303
    report = html.unescape(client.get("/knowledge/help/curation").text)
    assert "Curation report made by console-builder" in report
    assert "Near-duplicates" in report and "Conflicts" in report and "Stale" in report
    assert "Written as instructions to a model" in report

    doc_id = re.search(r"<td><code>([^<]+)</code></td>", client.get("/knowledge/help").text).group(1)  # type: ignore[union-attr]
    client.post(
        "/knowledge/help/decisions",
        data={"csrf_token": token, "kind": "deprecate", "doc_ids": doc_id, "note": "console test"},
    )
    decision = console.services.knowledge.decisions("help")[-1]
    assert (decision.kind, decision.doc_ids, decision.decided_by) == ("deprecate", [doc_id], "console:console-builder")
    try:
        assert "console test" in client.get("/knowledge/help/curation").text
    finally:
        # Retrieval honours decisions: the shared sample collection must not keep this one.
        client.post(f"/knowledge/help/decisions/{decision.id}/revoke", data={"csrf_token": token})
    assert console.services.knowledge.decisions("help")[-1].revoked_at is not None


def test_a_wrong_decision_is_a_note_and_an_analyst_may_not_decide(
    client: TestClient, signed_in: Callable[[str], str]
) -> None:
    token = signed_in("builder")
    response = client.post(
        "/knowledge/help/decisions", data={"csrf_token": token, "kind": "prefer", "doc_ids": "only-one"}
    )
    assert "`prefer` needs at least 2 document id(s), got 1" in html.unescape(
        client.get(response.headers["location"]).text
    )
    token = signed_in("analyst")
    assert "Record a decision" not in client.get("/knowledge/help/curation").text
    refused = client.post("/knowledge/help/decisions", data={"csrf_token": token, "kind": "deprecate", "doc_ids": "x"})
    assert refused.status_code == 403


def test_a_document_link_is_only_ever_a_web_address() -> None:
    from cadre.console._pages import TEMPLATES

    link = TEMPLATES.env.get_template("_macros.html").module.link  # type: ignore[attr-defined]
    assert str(link("javascript:alert(1)", "Title")) == "Title"
    assert str(link("//elsewhere.example/x", "Title")) == "Title"
    assert (
        str(link("https://help.example/a", "T")) == '<a href="https://help.example/a" rel="noopener noreferrer">T</a>'
    )
