"""The PII benchmark's hand-off to the baseline's scorer, which runs in an environment of its own."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from bench import pii
from bench.pii import Sentence, Span, reference_scores

SENTENCES = [Sentence(text="Call Ana Lobo.", gold=(Span("PERSON", 5, 13),), template_id=0)]
PREDICTED = [[Span("PERSON", 5, 13)]]


def fake_scorer(tmp_path: Path, body: str) -> Path:
    """A stand-in for the scorer environment's python: a script that runs `body` (the payload's path is $2)."""
    script = tmp_path / "python"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_without_the_scorer_environment_the_figures_say_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pii, "SCORER_PYTHON", tmp_path / "missing" / "python")
    assert reference_scores(SENTENCES, PREDICTED, {"all": [0]}) == {
        "skipped": "no .venv-scorer: `make bench` builds it from bench/scorer-requirements.txt"
    }


def test_the_scorer_gets_gold_and_predicted_spans_and_its_last_line_is_the_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fake keeps the payload it was given and prints a log line, then the scores, as the real scorer does.
    kept = tmp_path / "payload.json"
    result = {"scorer": "fake", "iou0.9": {"all": {"precision": 1.0, "recall": 1.0, "f2": 1.0}}}
    body = f"cp \"$2\" {kept}\necho 'loading'\necho '{json.dumps(result)}'"
    monkeypatch.setattr(pii, "SCORER_PYTHON", fake_scorer(tmp_path, body))
    assert reference_scores(SENTENCES, PREDICTED, {"all": [0]}) == result
    assert json.loads(kept.read_text(encoding="utf-8")) == {
        "splits": {"all": [0]},
        "sentences": [{"text": "Call Ana Lobo.", "gold": [["PERSON", 5, 13]], "predicted": [["PERSON", 5, 13]]}],
    }


def test_a_failing_scorer_is_reported_with_its_last_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "echo 'Traceback' >&2\necho 'ModuleNotFoundError: No module named presidio_evaluator' >&2\nexit 1"
    monkeypatch.setattr(pii, "SCORER_PYTHON", fake_scorer(tmp_path, body))
    assert reference_scores(SENTENCES, PREDICTED, {"all": [0]}) == {
        "failed": "ModuleNotFoundError: No module named presidio_evaluator"
    }
