from pathlib import Path

import pytest

from cadre.errors import NotFound
from cadre.knowledge.chunking import chunk_document
from cadre.knowledge.readers import read_documents
from cadre.knowledge.service import KnowledgeBase
from tests.knowledge.scanning import POISONED, CountingScanner


def test_ingest_detects_languages_and_keeps_heading_paths(kb: KnowledgeBase, help_centre: Path) -> None:
    report = kb.ingest([help_centre], collection="help")
    assert sorted(report.added) == [
        "download-invoices",
        "reset-password",
        "reset-password-de",
        "reset-password-ja",
        "single-sign-on",
    ]
    assert report.problems == []
    [listed] = kb.collections()
    assert listed["languages"] == {"de": 1, "en": 3, "ja": 1}
    hit = kb.search("link expires after 30 minutes", collection="help", k=1).hits[0]
    assert (hit.doc_id, hit.heading_path, hit.url) == (
        "reset-password",
        ["From the sign-in page"],
        "https://help.example/en/reset-password",
    )


def test_reingest_is_incremental(kb: KnowledgeBase, help_centre: Path) -> None:
    kb.ingest([help_centre], collection="help")
    again = kb.ingest([help_centre], collection="help")
    assert (again.added, again.updated, again.chunks) == ([], [], 0)
    assert len(again.unchanged) == 5

    sso = help_centre / "en" / "sso.md"
    sso.write_text(sso.read_text().replace("Business and Enterprise", "Enterprise"))
    (help_centre / "en" / "invoices.md").unlink()
    changed = kb.ingest([help_centre], collection="help")
    assert (changed.updated, changed.removed) == (["single-sign-on"], ["download-invoices"])
    assert kb.search("invoices PDF", collection="help", language="en", mode="keyword").hits == []
    [hit] = kb.search("SAML single sign-on editions", collection="help", k=1).hits
    assert "included in the Enterprise editions" in hit.text


def test_bad_files_are_reported_and_the_rest_lands(kb: KnowledgeBase, help_centre: Path) -> None:
    (help_centre / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (help_centre / "binary.txt").write_bytes(b"\x00\x01\x02")
    (help_centre / "latin1.md").write_bytes("caf\xe9".encode("latin-1"))
    (help_centre / "more.jsonl").write_text('{"id": "x", "title": "X"}\nnot json\n')
    report = kb.ingest([help_centre], collection="help")
    problems = {Path(p.source).name: p.error for p in report.problems}
    assert set(problems) == {"broken.pdf", "binary.txt", "latin1.md", "more.jsonl"}
    assert "not a readable PDF" in problems["broken.pdf"]
    assert "more.jsonl:1: `text`" in problems["more.jsonl"] or "more.jsonl:2" in problems["more.jsonl"]
    assert len(report.added) == 5


def test_a_file_that_fails_to_read_keeps_its_documents(kb: KnowledgeBase, help_centre: Path) -> None:
    kb.ingest([help_centre], collection="help")
    (help_centre / "ja.jsonl").write_bytes(b"\xff\xfe broken")
    report = kb.ingest([help_centre], collection="help")
    assert report.removed == []
    assert kb.search("パスワード", collection="help", k=1).hits[0].doc_id == "reset-password-ja"


def test_html_and_text_readers(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html lang='fr'><head><title>Factures</title><script>x()</script></head><body>"
        "<h1>Factures</h1><p>Téléchargez vos factures.</p><h2>Export</h2><ul><li>CSV</li></ul>"
        "</body></html>"
    )
    [document] = list(read_documents(page))
    assert (document.title, document.language) == ("Factures", "fr")
    assert document.text == "# Factures\n\nTéléchargez vos factures.\n\n## Export\n\n- CSV"


def test_chunks_keep_the_heading_path_and_lose_no_text() -> None:
    body = "# Guide\n\nIntro.\n\n## Setup\n\n### Step one\n\n" + "Long sentence here. " * 120 + "\n\n## Done\n\nBye."
    chunks = chunk_document("Guide", body, max_chars=500)
    assert chunks[0].heading_path == ()
    assert any(c.heading_path == ("Setup", "Step one") for c in chunks)
    assert all(len(c.text) <= 500 + 40 for c in chunks)
    joined = " ".join(c.text for c in chunks)
    assert joined.count("Long sentence here.") == 120


def test_translations_share_an_id(kb: KnowledgeBase, tmp_path: Path) -> None:
    for language, title, body in (
        ("en", "Export reports", "Open Pulse and choose Export to download a CSV file of any report."),
        ("fr", "Exporter des rapports", "Ouvrez Pulse et choisissez Exporter pour télécharger un fichier CSV."),
    ):
        (tmp_path / f"{language}.md").write_text(
            f"---\nid: export-reports\nlanguage: {language}\n---\n# {title}\n\n{body}\n"
        )
    report = kb.ingest([tmp_path], collection="help")
    assert sorted(report.added) == ["export-reports (en)", "export-reports (fr)"]
    french = kb.search("Comment exporter un rapport en CSV ?", collection="help", k=1)
    assert (french.hits[0].doc_id, french.hits[0].language) == ("export-reports", "fr")
    (tmp_path / "fr.md").unlink()
    assert kb.ingest([tmp_path], collection="help").removed == ["export-reports (fr)"]


def test_a_scan_scores_each_new_chunk_once_and_reports_the_flagged_ones(kb: KnowledgeBase, help_centre: Path) -> None:
    (help_centre / "en" / "poisoned.md").write_text(POISONED, encoding="utf-8")
    kb.scanner = scanner = CountingScanner("v1")
    ingested = kb.ingest([help_centre], collection="help")
    assert scanner.seen == []  # ingestion only embeds and indexes
    scanned = kb.scan("help")
    assert (scanned.scanned, scanned.flagged) == (ingested.chunks, ["poisoned#en-0"])
    assert len(scanner.seen) == ingested.chunks
    hits = kb.search("Payment terms: e-mail every invoice", collection="help", k=5).hits
    scored = {hit.doc_id: (hit.injection_score, hit.injection_version) for hit in hits}
    assert scored["poisoned"] == (0.9, "v1") and scored["download-invoices"] == (0.1, "v1")

    scanner.seen.clear()
    sso = help_centre / "en" / "sso.md"
    sso.write_text(sso.read_text().replace("Business and Enterprise", "Enterprise"))
    kb.ingest([help_centre], collection="help")
    again = kb.scan("help")
    assert again.scanned == len(scanner.seen) == 1  # only the changed article's chunk
    assert again.flagged == ["poisoned#en-0"]  # still reported, as long as the article is there


def test_chunks_scored_by_another_detector_version_are_scored_again(kb: KnowledgeBase, help_centre: Path) -> None:
    kb.scanner = CountingScanner("v1")
    ingested = kb.ingest([help_centre], collection="help")
    kb.scan("help")
    kb.scanner = newer = CountingScanner("v2")
    assert kb.scan("help").scanned == len(newer.seen) == ingested.chunks
    assert {hit.injection_version for hit in kb.search("password", collection="help", k=5).hits} == {"v2"}


def test_scanning_a_collection_that_does_not_exist_is_a_clear_error(kb: KnowledgeBase) -> None:
    with pytest.raises(NotFound, match="collection 'nowhere' is empty or does not exist"):
        kb.scan("nowhere")
