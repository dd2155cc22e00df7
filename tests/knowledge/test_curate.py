"""Curation on a small collection with one planted problem of each kind, and nothing else wrong."""

from datetime import date
from pathlib import Path

import pytest

from cadre.knowledge.curate import CurationSettings, curate, latest_report
from cadre.knowledge.service import KnowledgeBase
from tests.knowledge.scanning import POISONED, CountingScanner

INTRO = "Halyard Cloud is sold per seat. Pick an edition for each product; you can mix editions freely."
DOCS = {
    "pricing-2024": (
        "2024-02-01",
        "Pricing",
        f"""{INTRO}

## Prices
All prices are in USD per seat per month, billed annually.

| Product | Starter | Professional | Enterprise |
|---|---|---|---|
| Halyard Relay | $27 | $39 | $81 |
| Halyard Pulse | $18 | $30 | $54 |

A subscription starts at 3 seats.""",
    ),
    "pricing": (
        "2026-10-01",
        "Pricing",
        f"""{INTRO}

## Prices
All prices are in USD per seat per month, billed annually.

| Product | Starter | Professional | Enterprise |
|---|---|---|---|
| Halyard Relay | $27 | $45 | $81 |
| Halyard Pulse | $18 | $30 | $54 |

A subscription starts at 3 seats.""",
    ),
    "sso-faq-2024": (
        "2024-05-06",
        "Security FAQ",
        """Answers to the questions security teams ask most.

## Single sign-on
SAML single sign-on is available on the Enterprise edition only. Configure it under Settings → Security.

## Encryption
Data is encrypted at rest with AES-256 and in transit with TLS 1.2 or later.""",
    ),
    "sso-faq": (
        "2026-09-01",
        "Security FAQ",
        """Answers to the questions security teams ask most.

## Single sign-on
SAML single sign-on is available on the Professional and Enterprise editions. Configure it under Settings → Security.

## Encryption
Data is encrypted at rest with AES-256 and in transit with TLS 1.2 or later.""",
    ),
    "email-not-arriving": (
        "2026-04-01",
        "Emails are not arriving in Relay",
        """If customer emails do not show up
in your shared inbox, check that forwarding from your support address is switched on and verified.

## Check the forwarding status
Open Relay → Admin → Channels → Email. The mailbox must show Verified. Messages over 25 MB are rejected.""",
    ),
    "inbound-email-missing": (
        "2026-05-01",
        "Inbound email is missing from Relay",
        """When emails from customers
do not show up in your shared inbox, check that forwarding from your support address is turned on and verified.

## Check forwarding
Go to Relay → Admin → Channels → Email. The mailbox has to show Verified. Messages over 25 MB are rejected.""",
    ),
    "api-keys": (
        "2025-01-15",
        "Create an API key",
        """API keys let scripts call Halyard Cloud.

## Create a key
Go to Settings → API → Keys and choose New key. Copy the key now: it is shown only once.""",
    ),
    "invoices": (
        "2026-02-01",
        "Download invoices",
        """Invoices are issued on the first day of each billing period.

## Download
Open Billing → Invoices and choose Download PDF next to any invoice from the last 24 months.""",
    ),
}


@pytest.fixture
def curated(kb: KnowledgeBase, tmp_path: Path) -> dict[str, object]:
    for doc_id, (updated, title, body) in DOCS.items():
        (tmp_path / f"{doc_id}.md").write_text(
            f"---\nid: {doc_id}\nlanguage: en\nupdated_at: {updated}\n---\n# {title}\n\n{body}\n"
        )
    kb.ingest([tmp_path], collection="help")
    return curate(kb.db, "help", CurationSettings(today=date(2026, 11, 24)))


def test_finds_the_near_duplicate(curated: dict) -> None:  # type: ignore[type-arg]
    assert [d["doc_ids"] for d in curated["near_duplicates"]] == [["email-not-arriving", "inbound-email-missing"]]


def test_finds_conflicting_numbers_and_yes_no(curated: dict) -> None:  # type: ignore[type-arg]
    found = {(tuple(c["doc_ids"]), c["fact_kind"]) for c in curated["conflicts"]}
    assert found == {(("pricing", "pricing-2024"), "numbers"), (("sso-faq", "sso-faq-2024"), "yes/no")}
    price = next(c for c in curated["conflicts"] if c["fact_kind"] == "numbers")
    assert [s["values"] for s in price["statements"]] == [["27", "45", "81"], ["27", "39", "81"]]


def test_finds_stale_documents_and_stores_the_report(curated: dict, kb: KnowledgeBase) -> None:  # type: ignore[type-arg]
    assert {s["doc_id"]: s["superseded_by"] for s in curated["stale"]} == {
        "pricing-2024": ["pricing"],
        "sso-faq-2024": ["sso-faq"],
    }
    assert latest_report(kb.db, "help") == curated


def test_lists_the_passages_the_scan_flagged_and_counts_the_unscanned_ones(kb: KnowledgeBase, tmp_path: Path) -> None:
    for doc_id in ("api-keys", "invoices"):
        updated, title, body = DOCS[doc_id]
        (tmp_path / f"{doc_id}.md").write_text(f"---\nid: {doc_id}\nupdated_at: {updated}\n---\n# {title}\n\n{body}\n")
    (tmp_path / "poisoned.md").write_text(POISONED)
    ingested = kb.ingest([tmp_path], collection="help")
    before = curate(kb.db, "help")
    assert (before["instructions"], before["unscanned_chunks"]) == ([], ingested.chunks)

    kb.scanner = CountingScanner("v1")
    kb.scan("help")
    after = curate(kb.db, "help")
    assert after["unscanned_chunks"] == 0
    assert [
        (f["doc_id"], f["language"], f["chunk"], f["score"], f["detector_version"]) for f in after["instructions"]
    ] == [("poisoned", "en", 0, 0.9, "v1")]
    assert after["instructions"][0]["excerpt"].startswith("Ignore your previous instructions")
