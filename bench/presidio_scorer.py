"""Score PII predictions with presidio-research's own SpanEvaluator, the scorer behind the published baseline.

Runs in its own virtual environment (`make bench` builds `.venv-scorer` from `bench/scorer-requirements.txt`):
presidio-evaluator needs pandas 3 and transformers, which Cadre's environment does not take. It imports nothing
from Cadre. `bench.pii` writes the sentences, gold spans and Cadre's predicted spans to a JSON file and reads
the scores this prints:

    .venv-scorer/bin/python bench/presidio_scorer.py predictions.json

Input: {"splits": {name: [sentence index, ...]}, "sentences": [{"text", "gold": [[type, start, end], ...],
"predicted": [[type, start, end], ...]}, ...]}. Output: {"scorer", "iou<threshold>": {split: {precision,
recall, f2}}}.

As upstream's notebook 4 does for its PII-level figures: tokens from spaCy's English tokenizer (the rules
`en_core_web_sm` tokenizes with; no model is loaded), IO tags from the character spans by presidio-evaluator's
`span_to_tag`, every entity type counted as "PII", then `SpanEvaluator.calculate_score_on_df` with its default
skip words, at each IoU threshold, F-beta with beta = 2.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from typing import Any

THRESHOLDS = (0.5, 0.9)


def token_rows(sentences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    import spacy
    from presidio_evaluator.span_to_tag import span_to_tag

    tokenizer = spacy.blank("en")
    rows = []
    for sentence_id, sentence in enumerate(sentences):
        doc = tokenizer(sentence["text"])

        def io_tags(spans: list[list[Any]], doc: Any = doc, text: str = sentence["text"]) -> list[str]:
            if not spans:
                return ["O"] * len(doc)
            starts = [start for _, start, _ in spans]
            ends = [end for _, _, end in spans]
            kinds = [kind for kind, _, _ in spans]
            tags: list[str] = span_to_tag("IO", text, starts, ends, kinds, tokens=doc)
            return tags

        gold, predicted = io_tags(sentence["gold"]), io_tags(sentence["predicted"])
        for token, annotation, prediction in zip(doc, gold, predicted, strict=True):
            rows.append(
                {
                    "sentence_id": sentence_id,
                    "token": token.text,
                    "start_indices": token.idx,
                    "annotation": "O" if annotation == "O" else "PII",
                    "prediction": "O" if prediction == "O" else "PII",
                }
            )
    return rows


def score(payload: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd
    from presidio_evaluator.evaluation import SpanEvaluator

    frame = pd.DataFrame(token_rows(payload["sentences"]))
    out: dict[str, Any] = {"scorer": f"presidio-evaluator {version('presidio-evaluator')}, spaCy {version('spacy')}"}
    for threshold in THRESHOLDS:
        per_split = {}
        for name, indices in payload["splits"].items():
            part = frame[frame["sentence_id"].isin(set(indices))].reset_index(drop=True)
            result = SpanEvaluator(iou_threshold=threshold, skip_words=None).calculate_score_on_df(part, level="pii")
            per_split[name] = {
                "precision": round(float(result.pii_precision), 4),
                "recall": round(float(result.pii_recall), 4),
                "f2": round(float(result.pii_f), 4),
            }
        out[f"iou{threshold}"] = per_split
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        print(json.dumps(score(json.load(handle))))
