"""Knowledge over the API: collections, documents, the curation report and curators' decisions."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.conftest import KeyFor


def test_collections_and_their_documents(client: TestClient, key: KeyFor) -> None:
    analyst = key("analyst")
    collections = {
        c["collection"]: c for c in client.get("/api/knowledge/collections", headers=analyst).json()["collections"]
    }
    assert {"help", "sales"} <= set(collections)
    help_centre = collections["help"]
    assert help_centre["chunks"] > 0 and {"en", "ja"} <= set(help_centre["languages"])

    page = client.get("/api/knowledge/collections/help/documents?limit=5", headers=analyst).json()
    assert page["total"] > 5 and len(page["documents"]) == 5
    document = page["documents"][0]
    assert document["doc_id"] and "en" in document["languages"]
    following = client.get("/api/knowledge/collections/help/documents?limit=5&offset=5", headers=analyst).json()
    assert not {d["doc_id"] for d in page["documents"]} & {d["doc_id"] for d in following["documents"]}
    missing = client.get("/api/knowledge/collections/nope/documents", headers=analyst)
    assert missing.status_code == 404 and "'nope' is empty or does not exist" in missing.json()["error"]


def test_curate_then_read_the_report(client: TestClient, key: KeyFor) -> None:
    builder = key("builder")
    ran = client.post("/api/knowledge/collections/sales/curation", json={"stale_days": 400}, headers=builder)
    assert ran.status_code == 201
    report = client.get("/api/knowledge/collections/sales/curation", headers=key("analyst")).json()
    assert report["created_at"] == ran.json()["created_at"] and report["settings"]["stale_days"] == 400
    assert {"near_duplicates", "conflicts", "stale", "overlapping_sources"} <= set(report)
    assert client.post("/api/knowledge/collections/sales/curation", headers=key("analyst")).status_code == 403
    assert client.get("/api/knowledge/collections/nope/curation", headers=builder).status_code == 404


def test_record_then_revoke_a_decision(client: TestClient, key: KeyFor) -> None:
    builder = key("builder")
    documents = client.get("/api/knowledge/collections/help/documents?limit=2", headers=builder).json()["documents"]
    kept, dropped = (d["doc_id"] for d in documents)
    decided = client.post(
        "/api/knowledge/collections/help/decisions",
        json={"kind": "prefer", "doc_ids": [kept, dropped], "note": "the newer article"},
        headers=builder,
    )
    assert decided.status_code == 201, decided.text
    decision = decided.json()
    try:
        assert decision["kind"] == "prefer" and decision["decided_by"].startswith("key:")
        assert (
            decision
            in client.get("/api/knowledge/collections/help/decisions", headers=key("analyst")).json()["decisions"]
        )
    finally:  # the help centre is shared by the session's tests: retrieval must not keep hiding `dropped`
        revoked = client.post(f"/api/knowledge/decisions/{decision['id']}/revoke", headers=builder)
    assert revoked.status_code == 204
    listed = client.get("/api/knowledge/collections/help/decisions", headers=builder).json()["decisions"]
    assert {**decision, "revoked": True} in listed
    again = client.post(f"/api/knowledge/decisions/{decision['id']}/revoke", headers=builder)
    assert again.status_code == 404 and again.json()["error"] == f"no active decision {decision['id']}"


def test_malformed_decisions_are_refused(client: TestClient, key: KeyFor) -> None:
    builder = key("builder")
    url = "/api/knowledge/collections/help/decisions"
    doc_id = client.get("/api/knowledge/collections/help/documents?limit=1", headers=builder).json()["documents"][0][
        "doc_id"
    ]
    bad = client.post(url, json={"kind": "merge", "doc_ids": [doc_id]}, headers=builder)
    assert bad.status_code == 400 and "`merge` needs at least 2 document id(s), got 1" in bad.json()["error"]
    unknown = client.post(url, json={"kind": "deprecate", "doc_ids": ["nope"]}, headers=builder)
    assert unknown.status_code == 404 and "has no document(s) ['nope']" in unknown.json()["error"]
    assert client.post(url, json={"kind": "ban", "doc_ids": [doc_id]}, headers=builder).status_code == 422
    assert client.post(url, json={"kind": "deprecate", "doc_ids": [doc_id]}, headers=key("analyst")).status_code == 403
