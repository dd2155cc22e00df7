"""Search terms that agree across scripts, and the score fusion hybrid search ranks by."""

from __future__ import annotations

from cadre.knowledge._terms import fold, rarest_terms, terms
from cadre.knowledge.retrieve import fuse_scores, standardise


def test_marks_do_not_split_words() -> None:
    # Devanagari vowel signs and viramas are marks: kept, they would cut "पैंथर्स" into fragments.
    assert fold("पैंथर्स") == "पथरस"
    assert "पथरस" in terms("पैंथर्स की डिफ़ेन्स", "hi")
    assert fold("Café Ñandú") == "cafe nandu"
    assert fold("한국어") == "한국어"  # Hangul syllables survive decomposition


def test_words_carry_their_trigrams() -> None:
    assert terms("Verteidigung", "de")[:3] == ["verteidigung", "ver", "ert"]
    assert terms("the NFL", "en") == ["the", "nfl"]


def test_unspaced_scripts_use_bigrams_even_in_mixed_text() -> None:
    assert terms("黑豹队的防守", "zh") == ["黑豹", "豹队", "队的", "的防", "防守"]
    assert terms("NFL联盟", None) == ["nfl", "联盟"]
    assert terms("防", "zh") == ["防"]


def test_queries_keep_their_rarest_terms_within_the_budget() -> None:
    counts = {"the": 900, "ion": 700, "saml": 40, "sso": 40, "sign": 300, "unseen": 0}
    assert rarest_terms(counts, 10_000) == ["unseen", "saml", "sso", "sign", "ion", "the"]
    assert rarest_terms(counts, 400) == ["unseen", "saml", "sso", "sign"]
    assert rarest_terms(counts, 100) == ["unseen", "saml", "sso"]
    assert rarest_terms({"the": 900, "ion": 700}, 10) == ["ion"]  # the rarest term always stays
    assert rarest_terms({}, 10) == []


def test_standardise_and_fuse() -> None:
    assert standardise([]) == {}
    assert standardise([(1, 2.0), (2, 2.0)]) == {1: 0.0, 2: 0.0}
    keyword = [(1, 9.0), (2, 5.0), (3, 1.0)]
    vector = [(2, 0.91), (1, 0.90), (4, 0.80)]
    fused = fuse_scores(keyword, vector)
    assert [chunk for chunk, _ in fused][:2] == [1, 2]
    assert {chunk for chunk, _ in fused} == {1, 2, 3, 4}
    assert fuse_scores([], vector)[0][0] == 2
    assert fuse_scores(keyword, [])[0][0] == 1


def test_recent_queries_are_embedded_once() -> None:
    import numpy as np

    from cadre.knowledge.embeddings import RecentQueries

    class Counting:
        name, dimensions, calls = "counting", 2, 0

        def embed_passages(self, texts: list[str]) -> np.ndarray:
            return np.zeros((len(texts), 2), dtype=np.float32)

        def embed_query(self, text: str) -> np.ndarray:
            self.calls += 1
            return np.array([len(text), 1.0], dtype=np.float32)

    inner = Counting()
    memo = RecentQueries(inner, size=2)
    first = memo.embed_query("a")
    assert memo.embed_query("a") is first and inner.calls == 1
    memo.embed_query("bb")
    memo.embed_query("ccc")  # "a" is now the oldest of three: forgotten
    memo.embed_query("a")
    assert inner.calls == 4
    assert not first.flags.writeable
