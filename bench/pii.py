"""PII detection benchmark: span-level precision, recall and F2 on presidio-research's synthetic sentences.

    .venv/bin/python -m bench.pii [--data-dir ../shared/data] [--out bench/results/pii.json] [--errors N]

Data: `<data-dir>/presidio-synth/synth_dataset_v2.dev.json` (754 English sentences, gold character spans).

Matching protocol, per sentence: a predicted span and a gold span may pair when their character IoU
(intersection over union of the two ranges) is at least the threshold (0.5 and 0.9 are reported); pairs are
made one to one, highest IoU first. A paired prediction is a true positive, an unpaired prediction a false
positive, an unpaired gold span a false negative. Precision, recall and F2 = 5PR / (4P + R) pool all sentences.

Two type rules:
- "typed": the pair must also agree on type. Dataset types map to Cadre's by name, except GPE, which is
  Cadre's LOCATION; Cadre's DATE_OF_BIRTH may also pair with the dataset's DATE_TIME (which labels every
  date, birth dates among them).
- "any_type": any type pairs with any type (presidio-research's "PII-level" figures, the kind the published
  baseline reports).

Two scopes:
- "all_types": every gold span counts and the detector reports every type (the baseline's scope).
- "masked_types": what masking hides by default. The detector reports only `DEFAULT_MASKED` types, and only
  gold spans of the dataset's types among them count (PERSON, STREET_ADDRESS, EMAIL_ADDRESS, PHONE_NUMBER,
  CREDIT_CARD, IBAN_CODE, US_SSN, IP_ADDRESS, US_DRIVER_LICENSE); a prediction that pairs with a gold span of
  another type (a date of birth with a DATE_TIME) is set aside (neither true nor false positive).

The dataset annotates some postal addresses whole and others in parts (number, street, unit, city as GPE,
country as GPE, postcode each a span), in the same templates; 200 of the file's 322 STREET_ADDRESS spans are
such parts. Cadre detects an address as one span (so that it is masked whole), which this protocol scores as
one false positive plus several misses. So every figure is also reported with "address_parts_merged": in each
sentence, gold STREET_ADDRESS, GPE and ZIP_CODE spans separated only by spaces, commas and line breaks are
joined into one STREET_ADDRESS span when the chain holds at least one STREET_ADDRESS; nothing else changes.
The raw protocol is the headline.

This protocol is stricter than the scorer behind the published baseline (presidio-research's SpanEvaluator,
notebook 4), so the two figures are not measured alike. That scorer reads spaCy tokens; leaves punctuation,
spaCy's stop words and words such as "street", "apt", "suite", "the" out of each span before computing the IoU;
merges neighbouring spans of one type that only such tokens separate, after mapping STREET_ADDRESS and GPE to
LOCATION (so the dataset's address parts become one span, as "address_parts_merged" approximates); and lets
several predictions together match one gold span. Here a span must cover the gold characters exactly enough by
itself, edges included. "baseline_scorer" scores the same predictions with that scorer itself (presidio-evaluator,
pinned in bench/scorer-requirements.txt, run by bench/presidio_scorer.py in an environment of its own).

Cadre's detector is rule recognisers plus a learned tagger for people, places and organisations, then a pass
that marks a found person's name again where its words recur; the tagger was trained only on sentences Cadre
generates from its own templates (`cadre.guardrails._pii_training`), never on this dataset. "rules_only"
repeats the headline figures with the rule recognisers alone (no tagger, no repeated names), in the same run.

This file holds only even template ids (the data folder's development subset). Development looked only at
templates with template_id % 4 == 0; those with template_id % 4 == 2 are held out and reported apart, as is
the whole file. Latency: `detect_pii` (every type) on every sentence of at most 500 characters, after warm-up.
False alarms: PERSON and ORGANIZATION spans per 10k characters of the sample help centre, which names its
products (Halyard Pipeline, Relay, Pulse, Beacon, Vault) and integrations (Okta) but no people or customers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._measure import save_results
from cadre.guardrails._pii_rules import disjoint, rule_candidates
from cadre.guardrails.pii import DEFAULT_MASKED, PII_TYPES, PiiDetector, detect_pii

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "bench" / "results" / "pii.json"
DATASET = Path("presidio-synth") / "synth_dataset_v2.dev.json"
MASKED_TYPES = tuple(sorted(DEFAULT_MASKED - {"DATE_OF_BIRTH"}))  # the dataset has no date-of-birth type
# Dataset type -> Cadre types it may pair with under the typed rule, where the names differ.
SAME_TYPE = {"GPE": {"LOCATION"}, "DATE_TIME": {"DATE_TIME", "DATE_OF_BIRTH"}}
THRESHOLDS = (0.5, 0.9)
ADDRESS_PARTS = ("STREET_ADDRESS", "GPE", "ZIP_CODE")
SCORER_PYTHON = REPO / ".venv-scorer" / "bin" / "python"
BASELINE = {
    "method": "presidio AnalyzerEngine, default recognisers with spaCy en_core_web_lg, threshold 0.4, "
    "PII-level (any type), IoU 0.9, on the full 1,500-sentence set (presidio-research notebook 4)",
    "precision": 0.685,
    "recall": 0.603,
    "f2": 0.618,
}
TARGET = {"f2": 0.80, "no_model_download": True, "chat_message_ms": 5.0}


@dataclass(frozen=True)
class Span:
    type: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    text: str
    gold: tuple[Span, ...]
    template_id: int


def load(path: Path) -> list[Sentence]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [
        Sentence(
            text=row["full_text"],
            gold=tuple(Span(s["entity_type"], s["start_position"], s["end_position"]) for s in row["spans"]),
            template_id=int(row["template_id"]),
        )
        for row in rows
    ]


def merge_address_parts(sentence: Sentence) -> Sentence:
    """The sentence with each postal address annotated in parts joined into one STREET_ADDRESS span."""
    parts = sorted((g for g in sentence.gold if g.type in ADDRESS_PARTS), key=lambda g: g.start)
    chains: list[list[Span]] = []
    for part in parts:
        if chains and not sentence.text[chains[-1][-1].end : part.start].strip(" \t\n,"):
            chains[-1].append(part)
        else:
            chains.append([part])
    merged = [g for g in sentence.gold if g.type not in ADDRESS_PARTS]
    for chain in chains:
        if len(chain) > 1 and any(g.type == "STREET_ADDRESS" for g in chain):
            merged.append(Span("STREET_ADDRESS", chain[0].start, max(g.end for g in chain)))
        else:
            merged += chain
    return Sentence(sentence.text, tuple(merged), sentence.template_id)


def iou(a: Span, b: Span) -> float:
    overlap = min(a.end, b.end) - max(a.start, b.start)
    if overlap <= 0:
        return 0.0
    return overlap / (max(a.end, b.end) - min(a.start, b.start))


def pair(gold: tuple[Span, ...], predicted: list[Span], threshold: float, *, typed: bool) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs at IoU >= threshold, best IoU first."""
    options = sorted(
        (
            (iou(g, p), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(predicted)
            if not typed or p.type in SAME_TYPE.get(g.type, {g.type})
        ),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for score, gi, pi in options:
        if score >= threshold and gi not in used_gold and pi not in used_predicted:
            used_gold.add(gi)
            used_predicted.add(pi)
            pairs.append((gi, pi))
    return pairs


def scores(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f2 = 5 * precision * recall / (4 * precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f2": round(f2, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def evaluate(
    sentences: list[Sentence], predictions: list[list[Span]], threshold: float, *, typed: bool, scope: str
) -> dict[str, Any]:
    tp = fp = fn = 0
    per_type: dict[str, Counter[str]] = {}
    for sentence, predicted in zip(sentences, predictions, strict=True):
        pairs = pair(sentence.gold, predicted, threshold, typed=typed)
        paired_gold = {gi for gi, _ in pairs}
        paired_predicted = {pi for _, pi in pairs}
        for gi, gold in enumerate(sentence.gold):
            if scope == "masked_types" and gold.type not in MASKED_TYPES:
                continue
            counts = per_type.setdefault(gold.type, Counter())
            hit = gi in paired_gold
            tp += hit
            fn += not hit
            counts["tp" if hit else "fn"] += 1
        for pi, prediction in enumerate(predicted):
            # A prediction paired with a gold span outside the scope is set aside: neither true nor false.
            if pi not in paired_predicted:
                fp += 1
                per_type.setdefault(prediction.type, Counter())["fp"] += 1
    result: dict[str, Any] = scores(tp, fp, fn)
    if typed:
        result["per_type"] = {
            name: scores(c["tp"], c["fp"], c["fn"]) for name, c in sorted(per_type.items(), key=lambda kv: kv[0])
        }
    return result


def report(sentences: list[Sentence], found: dict[str, list[list[Span]]]) -> dict[str, Any]:
    """Every figure for these sentences; `found` holds the predictions per scope."""
    out: dict[str, Any] = {"sentences": len(sentences), "gold_spans": sum(len(s.gold) for s in sentences)}
    for gold_name, gold in (("raw", sentences), ("address_parts_merged", [merge_address_parts(s) for s in sentences])):
        for scope in ("all_types", "masked_types"):
            for rule in ("any_type", "typed"):
                for threshold in THRESHOLDS:
                    out[f"{gold_name}.{scope}.{rule}.iou{threshold}"] = evaluate(
                        gold, found[scope], threshold, typed=rule == "typed", scope=scope
                    )
    return out


def predict(detector: PiiDetector, sentences: list[Sentence]) -> list[list[Span]]:
    return [[Span(s.type, s.start, s.end) for s in detector.detect(x.text, language="en")] for x in sentences]


def predict_rules_only(sentences: list[Sentence], types: frozenset[str] | tuple[str, ...]) -> list[list[Span]]:
    """What the detector reported before the tagger: the rule recognisers' disjoint spans."""
    return [
        [Span(c.type, c.start, c.end) for c in disjoint(rule_candidates(x.text, "en")) if c.type in types]
        for x in sentences
    ]


def latency(texts: list[str]) -> dict[str, float]:
    for text in texts[:50]:
        detect_pii(text)
    timings = []
    for text in texts:
        started = time.perf_counter()
        detect_pii(text)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "messages": len(timings),
        "mean_ms": round(statistics.fmean(timings), 3),
        "p50_ms": round(timings[len(timings) // 2], 3),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 3),
        "max_ms": round(timings[-1], 3),
    }


def help_centre_false_alarms(kb_dir: Path = REPO / "src" / "cadre" / "sample" / "kb") -> dict[str, Any]:
    """Spans found in the sample help centre, which names no people and no customers: PERSON and ORGANIZATION
    in detail, every type's rate per 10k characters beside them."""
    detector = PiiDetector()
    characters = 0
    found: dict[str, Counter[str]] = {pii_type: Counter() for pii_type in PII_TYPES}
    for path in sorted(kb_dir.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        characters += len(text)
        language = path.parent.name if len(path.parent.name) == 2 else None
        for paragraph in text.split("\n\n"):
            for span in detector.detect(paragraph, language=language):
                found[span.type][span.text] += 1

    def per_10k(count: int) -> float:
        return round(count / characters * 10_000, 2) if characters else 0.0

    out: dict[str, Any] = {"characters": characters}
    for pii_type in ("PERSON", "ORGANIZATION"):
        counts = found[pii_type]
        total = sum(counts.values())
        out[pii_type] = {"spans": total, "per_10k_characters": per_10k(total), "most_frequent": counts.most_common(10)}
    out["per_10k_characters_by_type"] = {t: per_10k(sum(c.values())) for t, c in found.items() if c}
    return out


def run(data_dir: Path) -> dict[str, Any]:
    started = time.perf_counter()
    detector = PiiDetector()
    detector.detect("warm-up: Jane Doe, 1 Main Street")
    cold_start = time.perf_counter() - started
    sentences = load(data_dir / DATASET)
    found = {
        "all_types": predict(detector, sentences),
        "masked_types": predict(PiiDetector(types=DEFAULT_MASKED), sentences),
    }
    rules_found = {
        "all_types": predict_rules_only(sentences, PII_TYPES),
        "masked_types": predict_rules_only(sentences, tuple(DEFAULT_MASKED)),
    }
    development = [i for i, s in enumerate(sentences) if s.template_id % 4 == 0]
    held_out = [i for i, s in enumerate(sentences) if s.template_id % 4 == 2]

    def subset(indices: list[int], predictions: dict[str, list[list[Span]]] = found) -> dict[str, Any]:
        return report([sentences[i] for i in indices], {k: [v[i] for i in indices] for k, v in predictions.items()})

    def headline_only(indices: list[int]) -> dict[str, Any]:
        keys = {key for _, key, _ in HEADLINE}
        return {key: value for key, value in subset(indices, rules_found).items() if key in keys}

    return {
        "dataset": str(DATASET),
        "protocol": "Matching protocol"
        + __doc__.split("Matching protocol", 1)[1].split("This file holds only", 1)[0].strip(),
        "cadre_types": list(PII_TYPES),
        "default_masked": sorted(DEFAULT_MASKED),
        "baseline": BASELINE,
        "target": TARGET,
        "cold_start_s": round(cold_start, 3),
        "latency": latency([s.text for s in sentences if len(s.text) <= 500]),
        "help_centre_false_alarms": help_centre_false_alarms(),
        "all": subset(list(range(len(sentences)))),
        "held_out_templates": subset(held_out),
        "development_templates": subset(development),
        "rules_only": {
            "all": headline_only(list(range(len(sentences)))),
            "held_out_templates": headline_only(held_out),
        },
        "baseline_scorer": reference_scores(
            sentences,
            found["all_types"],
            {"all": list(range(len(sentences))), "held_out_templates": held_out, "development_templates": development},
        ),
    }


def reference_scores(
    sentences: list[Sentence], predicted: list[list[Span]], splits: dict[str, list[int]]
) -> dict[str, Any]:
    """Cadre's predictions scored by the baseline's own scorer, in its environment (`bench/presidio_scorer.py`)."""
    if not SCORER_PYTHON.exists():
        return {"skipped": "no .venv-scorer: `make bench` builds it from bench/scorer-requirements.txt"}
    payload = {
        "splits": splits,
        "sentences": [
            {
                "text": sentence.text,
                "gold": [[g.type, g.start, g.end] for g in sentence.gold],
                "predicted": [[p.type, p.start, p.end] for p in spans],
            }
            for sentence, spans in zip(sentences, predicted, strict=True)
        ],
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "predictions.json"
        path.write_text(json.dumps(payload), encoding="utf-8")
        done = subprocess.run(
            [str(SCORER_PYTHON), str(REPO / "bench" / "presidio_scorer.py"), str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"failed": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    scores: dict[str, Any] = json.loads(lines[-1])
    return scores


def errors(data_dir: Path, limit: int) -> None:
    """Print misses and false positives (all types, typed, IoU 0.5) from the development templates only
    (template_id % 4 == 0)."""
    detector = PiiDetector()
    shown = 0
    for sentence in load(data_dir / DATASET):
        if sentence.template_id % 4 or shown >= limit:
            continue
        predicted = [Span(s.type, s.start, s.end) for s in detector.detect(sentence.text, language="en")]
        gold = sentence.gold
        pairs = pair(gold, predicted, 0.5, typed=True)
        misses = [g for i, g in enumerate(gold) if i not in {gi for gi, _ in pairs}]
        extra = [p for i, p in enumerate(predicted) if i not in {pi for _, pi in pairs}]
        if misses or extra:
            shown += 1
            print(repr(sentence.text))
            for g in misses:
                print("   miss", g.type, repr(sentence.text[g.start : g.end]))
            for p in extra:
                print("   extra", p.type, repr(sentence.text[p.start : p.end]))


HEADLINE = (
    ("all", "raw.all_types.any_type.iou0.5", "all types, any type (baseline's scope, stricter matching), IoU 0.5"),
    ("all", "raw.all_types.any_type.iou0.9", "all types, any type (baseline's scope, stricter matching), IoU 0.9"),
    ("held_out_templates", "raw.all_types.any_type.iou0.9", "held-out templates, all types, any type, IoU 0.9"),
    ("all", "address_parts_merged.all_types.any_type.iou0.9", "all types, any type, address parts merged, IoU 0.9"),
    ("all", "raw.masked_types.typed.iou0.9", "masked types (default policy), typed, IoU 0.9"),
    ("held_out_templates", "raw.masked_types.typed.iou0.9", "held-out templates, masked types, typed, IoU 0.9"),
)


def markdown_table(results: dict[str, Any]) -> str:
    """The headline rows only; every other figure is in the JSON."""
    lines = ["| PII detection | precision | recall | F2 | baseline F2 | target F2 |", "|---|---|---|---|---|---|"]
    reference = results.get("baseline_scorer", {})
    for split, label in (("all", "whole file"), ("held_out_templates", "held-out templates")):
        value = reference.get("iou0.9", {}).get(split)
        if value is not None:
            lines.append(
                f"| baseline's scorer (presidio-research SpanEvaluator, PII level), {label}, IoU 0.9 | "
                f"{value['precision']:.3f} | {value['recall']:.3f} | {value['f2']:.3f} | {BASELINE['f2']} | "
                f"{TARGET['f2']} |"
            )
    if "iou0.9" not in reference:
        lines.append(f"| baseline's scorer: {reference.get('skipped') or reference.get('failed')} | | | | | |")
    for split, key, label in HEADLINE:
        value = results[split][key]
        lines.append(
            f"| {label} | {value['precision']:.3f} | {value['recall']:.3f} | {value['f2']:.3f} | "
            f"{BASELINE['f2']} | {TARGET['f2']} |"
        )
    rules = results["rules_only"]["all"]["raw.all_types.any_type.iou0.9"]
    lines.append(
        f"| rules only (no tagger), all types, any type, IoU 0.9 | {rules['precision']:.3f} | {rules['recall']:.3f} | "
        f"{rules['f2']:.3f} | {BASELINE['f2']} | {TARGET['f2']} |"
    )
    timing = results["latency"]
    alarms = results["help_centre_false_alarms"]
    lines.append(
        f"\nLatency per message (≤ 500 chars, {timing['messages']} messages): p50 {timing['p50_ms']} ms, "
        f"p95 {timing['p95_ms']} ms (target < {TARGET['chat_message_ms']} ms); cold start {results['cold_start_s']} s. "
        f"Sample help centre ({alarms['characters']:,} chars, no people, no customers): "
        f"{alarms['PERSON']['per_10k_characters']} PERSON and {alarms['ORGANIZATION']['per_10k_characters']} "
        "ORGANIZATION spans per 10k chars."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--errors", type=int, default=0, help="print this many development-half errors instead")
    args = parser.parse_args(argv)
    if args.errors:
        errors(args.data_dir, args.errors)
        return 0
    started = time.perf_counter()
    results = run(args.data_dir)
    save_results(results, args.out, started=started, table=markdown_table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
