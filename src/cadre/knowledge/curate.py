"""Curation: near-duplicates, conflicting facts, stale documents, overlapping sources and passages that read
as instructions to a model, in a collection.

Embeddings find the passages worth comparing; the comparison itself is lexical and explainable: two
sentences that say the same thing with different numbers (or with a "not"/"only" on one side) conflict.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cadre.errors import NotFound
from cadre.knowledge._facts import POLARITY, names, numbers, sentences, shape, unspaced_shape
from cadre.knowledge._terms import is_unspaced, words
from cadre.knowledge.index import index_for
from cadre.knowledge.ingest import flagged_chunks
from cadre.knowledge.store import ChunkRow, CurationReportRow, DocumentRow
from cadre.store import Database


@dataclass(frozen=True)
class CurationSettings:
    duplicate_similarity: float = 0.95  # document embeddings (e5's band: unrelated ~0.75, reworded ~0.95+)
    duplicate_overlap: float = 0.5  # and word overlap (Jaccard), so a shared template is not a duplicate
    related_documents: float = 0.95  # only documents about the same subject can contradict each other
    passage_similarity: float = 0.86  # chunk pairs compared sentence by sentence for conflicts
    sentence_alignment: float = 0.6  # Jaccard of sentence shapes (numbers masked) to call two sentences "the same"
    polarity_alignment: float = 0.75  # a "not"/"only" on one side turns around an otherwise identical sentence
    stale_days: int = 365
    stale_similarity: float = 0.975  # a newer document this close covers the same ground
    instruction_score: float = 0.5  # `cadre kb scan`'s score from which agents leave a passage out (its threshold)
    today: date | None = None


@dataclass
class _Doc:
    key: int
    doc_id: str
    language: str
    title: str
    updated_at: str | None
    source: str | None
    priority: int
    text: str
    vector: Any = None
    chunks: list[tuple[int, str, Any]] = field(default_factory=list)


def curate(db: Database, collection: str, settings: CurationSettings | None = None) -> dict[str, Any]:
    settings = settings or CurationSettings()
    with db.session() as session:
        docs = _load(session, db.dialect, collection)
    if not docs:
        raise NotFound(f"collection {collection!r} is empty or does not exist")
    by_language: dict[str, list[_Doc]] = defaultdict(list)
    for doc in docs:
        by_language[doc.language].append(doc)

    duplicates: dict[tuple[str, ...], dict[str, Any]] = {}
    conflicts: dict[tuple[str, str, str], dict[str, Any]] = {}
    stale: dict[str, dict[str, Any]] = {}
    today = settings.today or datetime.now(UTC).date()
    for language, group in sorted(by_language.items()):
        matrix = np.vstack([d.vector for d in group]) if group else np.zeros((0, 1))
        similarity = matrix @ matrix.T
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                a, b = group[i], group[j]
                if a.doc_id == b.doc_id:
                    continue
                sim = float(similarity[i, j])
                if sim >= settings.duplicate_similarity and _overlap(a, b) >= settings.duplicate_overlap:
                    _merge(
                        duplicates,
                        tuple(sorted((a.doc_id, b.doc_id))),
                        language,
                        {
                            "kind": "near-duplicate",
                            "doc_ids": sorted((a.doc_id, b.doc_id)),
                            "similarity": round(sim, 3),
                            "word_overlap": round(_overlap(a, b), 3),
                            "recommendation": f"merge into {_keeper(a, b).doc_id!r} (newer or higher priority)",
                        },
                    )
                    continue
                if sim >= settings.stale_similarity:
                    _stale(stale, a, b, sim, language, today, settings, reason="covers the same ground")
                elif sim >= settings.related_documents and _restates_figures(a, b):
                    _stale(stale, a, b, sim, language, today, settings, reason="a newer document revises its figures")
        for found in _conflicts(group, similarity, settings):
            key = (found["doc_ids"][0], found["doc_ids"][1], found["fact"])
            _merge(conflicts, key, language, found)
            a, b = (next(d for d in group if d.doc_id == doc_id) for doc_id in found["doc_ids"])
            sim = float(similarity[group.index(a), group.index(b)])
            _stale(stale, a, b, sim, language, today, settings, reason="is contradicted by a newer document")

    # Two versions of one page that disagree are a conflict to resolve, not a duplicate to merge.
    conflicting = {(tuple(sorted(c["doc_ids"])), lang) for c in conflicts.values() for lang in c["languages"]}
    for pair, finding in duplicates.items():
        finding["languages"] = [lang for lang in finding["languages"] if (pair, lang) not in conflicting]
    report = {
        "collection": collection,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "documents": len({d.doc_id for d in docs}),
        "languages": sorted(by_language),
        "settings": {k: (str(v) if isinstance(v, date) else v) for k, v in settings.__dict__.items()},
        "near_duplicates": [d for d in duplicates.values() if d["languages"]],
        "conflicts": list(conflicts.values()),
        "stale": list(stale.values()),
        "overlapping_sources": _overlapping_sources(docs, duplicates),
    }
    with db.session() as session:
        report["instructions"], report["unscanned_chunks"] = _instructions(session, collection, settings)
        session.add(CurationReportRow(collection=collection, created_at=datetime.now(UTC), report=report))
    return report


def _stale(
    stale: dict[Any, dict[str, Any]],
    a: _Doc,
    b: _Doc,
    sim: float,
    language: str,
    today: date,
    settings: CurationSettings,
    *,
    reason: str,
) -> None:
    """The older of two related documents is stale when it is old and the newer one is much newer."""
    older, newer = _by_age(a, b)
    if older is None or newer is None or _age_days(older, today) <= settings.stale_days:
        return
    gap = (_day(newer.updated_at) - _day(older.updated_at)).days  # type: ignore[operator]
    if gap <= settings.stale_days / 2:
        return
    if (older.doc_id,) in stale:
        entry = stale[(older.doc_id,)]
        if newer.doc_id not in entry["superseded_by"]:
            entry["superseded_by"].append(newer.doc_id)
    _merge(
        stale,
        (older.doc_id,),
        language,
        {
            "kind": "stale",
            "doc_id": older.doc_id,
            "updated_at": older.updated_at,
            "superseded_by": [newer.doc_id],
            "reason": f"older than {settings.stale_days} days and {reason}",
            "similarity": round(sim, 3),
            "recommendation": f"deprecate {older.doc_id!r} in favour of {newer.doc_id!r}",
        },
    )


def _figures(doc: _Doc) -> set[str]:
    """Distinctive numbers: two or more digits, not a bare year (every document has dates)."""
    found = {n.replace(",", "").replace(".", "") for n in numbers(doc.text)}
    return {n for n in found if len(n) >= 2 and not (len(n) == 4 and n.startswith(("19", "20")))}


def _restates_figures(a: _Doc, b: _Doc) -> bool:
    """The newer of two related documents mentions several of the older one's figures ("up from 250,000")."""
    older, newer = _by_age(a, b)
    if older is None or newer is None:
        return False
    return len(_figures(older) & _figures(newer)) >= 2 and _figures(newer) - _figures(older) != set()


def _merge(found: dict[Any, dict[str, Any]], key: Any, language: str, finding: dict[str, Any]) -> None:
    """The same finding in several translations is one finding, listing its languages."""
    if key in found:
        if language not in found[key]["languages"]:
            found[key]["languages"].append(language)
    else:
        found[key] = {**finding, "languages": [language]}


def _overlap(a: _Doc, b: _Doc) -> float:
    wa, wb = set(words(a.text)), set(words(b.text))
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _age_days(doc: _Doc, today: date) -> int:
    day = _day(doc.updated_at)
    return (today - day).days if day else 0


def _by_age(a: _Doc, b: _Doc) -> tuple[_Doc | None, _Doc | None]:
    da, db_ = _day(a.updated_at), _day(b.updated_at)
    if da is None or db_ is None or da == db_:
        return None, None
    return (a, b) if da < db_ else (b, a)


def _keeper(a: _Doc, b: _Doc) -> _Doc:
    return max((a, b), key=lambda d: (d.priority, str(d.updated_at or ""), d.doc_id))


def _conflicts(group: list[_Doc], doc_similarity: Any, settings: CurationSettings) -> list[dict[str, Any]]:
    position = {id(doc): n for n, doc in enumerate(group)}
    chunks = [(doc, cid, chunk_text, vec) for doc in group for cid, chunk_text, vec in doc.chunks]
    if len(chunks) < 2:
        return []
    matrix = np.vstack([c[3] for c in chunks])
    similarity = matrix @ matrix.T
    found: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str, str]] = set()
    rows, cols = np.nonzero(np.triu(similarity >= settings.passage_similarity, k=1))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        (doc_a, _, text_a, _), (doc_b, _, text_b, _) = chunks[i], chunks[j]
        if doc_a.doc_id == doc_b.doc_id:
            continue
        if doc_similarity[position[id(doc_a)], position[id(doc_b)]] < settings.related_documents:
            continue
        for sa in sentences(text_a):
            for sb in sentences(text_b):
                finding = _compare(sa, sb, doc_a, doc_b, settings)
                if finding and (doc_a.doc_id, doc_b.doc_id, sa, sb) not in seen:
                    seen.add((doc_a.doc_id, doc_b.doc_id, sa, sb))
                    found.append(finding)
    return found


def _compare(sa: str, sb: str, a: _Doc, b: _Doc, settings: CurationSettings) -> dict[str, Any] | None:
    if sa == sb:
        return None
    unspaced = is_unspaced(sa, a.language)
    ta, tb = (unspaced_shape(sa), unspaced_shape(sb)) if unspaced else (shape(sa), shape(sb))
    if len(ta) < 4 or len(tb) < 4:
        return None
    set_a, set_b = set(ta), set(tb)
    shared = set_a & set_b
    words_shared = len(shared - {"#"})
    # Aligned: mostly the same words, or one is the other plus a description (a table row's longer label).
    contained = (set_a <= set_b or set_b <= set_a) and words_shared >= 2
    if len(shared) / len(set_a | set_b) < settings.sentence_alignment and not contained:
        return None
    only_a, only_b = set_a - set_b, set_b - set_a
    polarity = (only_a | only_b) & POLARITY
    na, nb = numbers(sa), numbers(sb)
    same_structure = ta == tb or (contained and ta.count("#") == tb.count("#"))
    changed = [(x, y) for x, y in zip(na, nb, strict=False) if x != y]
    # The same figures in another order say the same thing; dates that differ only by their year are usually
    # two different events ("March 2024 release", "March 2026 release"), not one fact told twice.
    if same_structure and na and nb and sorted(na) != sorted(nb) and not all(map(_years, changed)):
        kind, fact = "numbers", " ".join(t for t in ta if t != "#")[:80]
    elif (
        polarity
        and _same_apart_from(set_a - POLARITY, set_b - POLARITY) >= settings.polarity_alignment
        # What else differs must be nothing, or a name ("only Enterprise" vs "Professional and Enterprise"):
        # a reworded clause with a "not" in it is rewording, not a contradiction.
        and (not (only_a | only_b) - POLARITY or ((only_a | only_b) & (names(sa) | names(sb))))
    ):
        kind, fact = "yes/no", " ".join(sorted(set_a & set_b))[:80]
    else:
        return None
    first, second = sorted(((a, sa, na), (b, sb, nb)), key=lambda item: item[0].doc_id)
    newer = max((first[0], second[0]), key=lambda d: str(d.updated_at or ""))
    return {
        "kind": "conflict",
        "fact_kind": kind,
        "fact": fact,
        "doc_ids": [first[0].doc_id, second[0].doc_id],
        "statements": [
            {"doc_id": d.doc_id, "updated_at": d.updated_at, "sentence": s, "values": n} for d, s, n in (first, second)
        ],
        "recommendation": f"prefer {newer.doc_id!r} (newer) and fix or deprecate the other",
    }


def _years(pair: tuple[str, str]) -> bool:
    return all(len(n) == 4 and n.isdigit() and n.startswith(("19", "20")) for n in pair)


def _same_apart_from(a: set[str], b: set[str]) -> float:
    """Jaccard of two token sets, plural and singular counted as one word."""
    sa, sb = {t.rstrip("s") for t in a}, {t.rstrip("s") for t in b}
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def _overlapping_sources(docs: list[_Doc], duplicates: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
    """Folders or files that hold near-duplicate documents of each other: candidates for one source of truth."""
    source_of = {d.doc_id: _source_root(d.source) for d in docs}
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for finding in duplicates.values():
        a, b = (source_of.get(x) or "?" for x in finding["doc_ids"][:2])
        if a != b:
            pairs[tuple(sorted((a, b)))] += 1  # type: ignore[index]
    return [{"sources": list(k), "duplicated_documents": n} for k, n in sorted(pairs.items())]


def _source_root(source: str | None) -> str | None:
    if not source:
        return None
    path = source.rsplit(":", 1)[0] if source.rsplit(":", 1)[-1].isdigit() else source
    return path.rsplit("/", 1)[0]


def _instructions(session: Session, collection: str, settings: CurationSettings) -> tuple[list[dict[str, Any]], int]:
    """The passages `cadre kb scan` found written as orders to a model: agents never read them, so a curator
    should rewrite them as help for people (or remove a planted attack). Also how many chunks await a scan."""
    flagged = flagged_chunks(session, collection, settings.instruction_score)
    found = [
        {
            "doc_id": chunk.doc_id,
            "title": chunk.title,
            "language": chunk.language,
            "chunk": chunk.ordinal,
            "score": round(chunk.injection_score, 4),
            "detector_version": chunk.injection_version,
            "excerpt": _excerpt(chunk.text),
            "recommendation": "rewrite as help for people or remove: agents leave this passage out",
        }
        for chunk in sorted(flagged, key=lambda c: (-c.injection_score, c.doc_id, c.ordinal))
    ]
    unscanned = session.scalar(
        select(func.count())
        .select_from(ChunkRow)
        .where(ChunkRow.collection == collection, ChunkRow.injection_score.is_(None))
    )
    return found, int(unscanned or 0)


def _excerpt(text: str, limit: int = 240) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _load(session: Session, dialect: str, collection: str) -> list[_Doc]:
    docs = {
        row.id: _Doc(row.id, row.doc_id, row.language, row.title, row.updated_at, row.source, row.source_priority, "")
        for row in session.scalars(select(DocumentRow).where(DocumentRow.collection == collection))
    }
    vectors = index_for(dialect).vectors(session, collection=collection)
    texts: dict[int, list[str]] = defaultdict(list)
    for chunk in session.scalars(select(ChunkRow).where(ChunkRow.collection == collection).order_by(ChunkRow.id)):
        vector = vectors.get(chunk.id)
        texts[chunk.document_id].append(chunk.text)
        if vector is not None:
            docs[chunk.document_id].chunks.append((chunk.id, chunk.text, vector))
    for key, doc in docs.items():
        doc.text = "\n\n".join(texts[key])
        if doc.chunks:
            mean = np.mean([c[2] for c in doc.chunks], axis=0)
            doc.vector = mean / (np.linalg.norm(mean) or 1.0)
    return [d for d in docs.values() if d.vector is not None]


def latest_report(db: Database, collection: str) -> dict[str, Any] | None:
    with db.session() as session:
        row = session.scalar(
            select(CurationReportRow)
            .where(CurationReportRow.collection == collection)
            .order_by(CurationReportRow.id.desc())
            .limit(1)
        )
        return dict(row.report) if row else None
