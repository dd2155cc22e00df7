from pathlib import Path

import pytest
from sqlalchemy import text

from cadre.errors import ConfigError, NotFound
from cadre.knowledge.service import KnowledgeBase


@pytest.fixture
def loaded(kb: KnowledgeBase, help_centre: Path) -> KnowledgeBase:
    kb.ingest([help_centre], collection="help")
    return kb


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "vector"])
def test_each_mode_finds_the_article(loaded: KnowledgeBase, mode: str) -> None:
    response = loaded.search("How do I configure SAML single sign-on?", collection="help", k=3, mode=mode)  # type: ignore[arg-type]
    assert response.hits[0].doc_id == "single-sign-on"
    assert response.query_language == "en"
    assert {h.language for h in response.hits} == {"en"}
    citation = response.hits[0].citation
    assert (citation.doc_id, citation.title) == ("single-sign-on", "Single sign-on with SAML")


def test_hybrid_reports_both_ranks(loaded: KnowledgeBase) -> None:
    top = loaded.search("forgot password reset link", collection="help", k=1).hits[0]
    assert top.doc_id == "reset-password"
    assert top.keyword_rank == 1 and top.vector_rank is not None


def test_keyword_search_scores_the_rarest_terms_first(loaded: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    if loaded.db.dialect == "postgresql":
        with loaded.db.session() as session:  # PostgreSQL counts terms in the planner's statistics
            session.execute(text("ANALYZE kb_chunks"))
    query = "password saml"  # "saml" is in one article, "password" in three
    found = {h.doc_id for h in loaded.search(query, collection="help", k=5, language="en", mode="keyword").hits}
    assert {"single-sign-on", "reset-password"} <= found
    monkeypatch.setattr(loaded.index, "postings_budget", 1)
    found = {h.doc_id for h in loaded.search(query, collection="help", k=5, language="en", mode="keyword").hits}
    assert found == {"single-sign-on"}


def test_japanese_queries_use_character_bigrams(loaded: KnowledgeBase) -> None:
    response = loaded.search("パスワードをリセット", collection="help", mode="keyword")
    assert response.query_language == "ja"
    assert [h.doc_id for h in response.hits] == ["reset-password-ja"]


def test_cross_lingual_fallback_says_so(loaded: KnowledgeBase) -> None:
    response = loaded.search("¿Cómo puedo descargar mis facturas en PDF?", collection="help", k=3)
    assert response.query_language == "es"
    assert response.cross_lingual
    assert "no article in 'es'" in (response.note or "")
    assert response.hits[0].doc_id == "download-invoices"


def test_language_filter(loaded: KnowledgeBase) -> None:
    response = loaded.search("password", collection="help", language="de")
    assert [h.doc_id for h in response.hits] == ["reset-password-de"]


def test_decisions_apply_at_once_and_can_be_revoked(loaded: KnowledgeBase) -> None:
    query = "SAML single sign-on"
    assert loaded.search(query, collection="help", k=1).hits[0].doc_id == "single-sign-on"
    decision = loaded.decide("deprecate", ["single-sign-on"], collection="help", note="SSO moved")
    assert "single-sign-on" not in {h.doc_id for h in loaded.search(query, collection="help", k=5).hits}
    loaded.revoke(decision.id)
    assert loaded.search(query, collection="help", k=1).hits[0].doc_id == "single-sign-on"
    loaded.decide("prefer", ["download-invoices", "single-sign-on"], collection="help")
    assert "single-sign-on" not in {h.doc_id for h in loaded.search(query, collection="help", k=5).hits}


def test_bad_requests(loaded: KnowledgeBase) -> None:
    with pytest.raises(NotFound, match="collection 'nope' is empty"):
        loaded.search("x", collection="nope")
    with pytest.raises(ConfigError, match="empty"):
        loaded.search("  ", collection="help")
    with pytest.raises(NotFound, match="no document"):
        loaded.decide("deprecate", ["ghost"], collection="help")
    with pytest.raises(ConfigError, match="at least 2"):
        loaded.decide("merge", ["reset-password"], collection="help")
