"""The shipped help centre's planted problems are all found, with at most 2 false alarms (English part)."""

from datetime import date
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import pytest
import yaml

from cadre.knowledge.curate import CurationSettings, curate
from cadre.knowledge.service import KnowledgeBase
from cadre.settings import Settings
from cadre.store import open_database


def findings(report: dict[str, Any]) -> list[tuple[str, set[str]]]:
    return (
        [("duplicate", set(f["doc_ids"])) for f in report["near_duplicates"]]
        + [("conflict", set(f["doc_ids"])) for f in report["conflicts"]]
        + [("stale", {f["doc_id"], *f["superseded_by"]}) for f in report["stale"]]
    )


@pytest.mark.slow
def test_the_sample_help_centre_planted_problems(tmp_path: Path) -> None:
    db = open_database(Settings(home=tmp_path))  # a content check: one store is enough
    kb = KnowledgeBase(db)
    with as_file(files("cadre.sample") / "kb") as folder:
        kb.ingest([folder / "help" / "en"], collection="help")
        truth = yaml.safe_load((folder / "curation_truth.yaml").read_text())["problems"]
    report = curate(db, "help", CurationSettings(today=date(2026, 11, 24)))
    found = findings(report)
    # A finding explains a planted problem when it names the problem's outdated (or duplicated) page.
    outdated = [set(p.get("outdated", "").split()) or set(p["articles"]) for p in truth]
    for problem, pages in zip(truth, outdated, strict=True):
        assert any(pages & docs for _, docs in found), f"missed {problem['name']}"
    false_alarms = [f for f in found if not any(pages & f[1] for pages in outdated)]
    assert len(false_alarms) <= 2, false_alarms
    db.close()
