"""Train a Fellegi-Sunter model with Splink on DuckDB (offline, quiet) and score candidate pairs."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
from splink import DuckDBAPI, Linker, SettingsCreator
from splink.internals.exceptions import SplinkException

from cadre.data._extensions import OFFLINE_CONFIG
from cadre.data._splink_settings import BlockingRule, Field, comparison, pair_count, swap_partners

# Below these many records, the priors of m (u) score better than estimates from too few pairs.
MIN_RECORDS_FOR_EM = 500
MIN_RECORDS_FOR_U = 50
U_SAMPLE_PAIRS = 1e5
U_SEED = 4242
# Recall assumed for the near-certain rules that estimate how many pairs match.
DETERMINISTIC_RECALL = 0.7
M_FLOOR = 0.01
# Splink only returns pairs at or above a probability; ask a little below the caller's threshold so the
# rounding applied afterwards cannot move a pair across it.
_PREDICT_MARGIN = 1e-6


@dataclass(frozen=True)
class ScoredPair:
    left: str
    right: str
    probability: float


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Keep Splink's log lines and any stray prints off stdout (the CLI writes JSON there)."""
    splink_logger = logging.getLogger("splink")
    previous = splink_logger.level
    splink_logger.setLevel(logging.ERROR)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        splink_logger.setLevel(previous)


def score_pairs(
    frame: pd.DataFrame,
    fields: list[Field],
    *,
    rules: list[BlockingRule],
    by_source: bool,
    threshold: float,
) -> list[ScoredPair]:
    """Pairs scoring at least `threshold`, from a model trained on `frame` when it is big enough."""
    # Splink's seeded sampling follows row order: sort, so that the same records give the same answer.
    frame = frame.sort_values("unique_id", kind="stable", ignore_index=True)
    train = len(frame) >= MIN_RECORDS_FOR_EM
    partners = swap_partners(fields)
    rules_sql: list[Any] = [rule.sql for rule in rules]
    settings = SettingsCreator(
        link_type="link_and_dedupe" if by_source else "dedupe_only",
        comparisons=[
            comparison(
                f,
                swapped_with=partners.get(f.column),
                name_frequencies=train,
                from_name=f.kind == "email" and f.from_name in frame.columns,
            )
            for f in fields
        ],
        blocking_rules_to_generate_predictions=rules_sql,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        unique_id_column_name="unique_id",
        linker_uid="cadre",
    )
    config: dict[str, Any] = {**OFFLINE_CONFIG}
    connection = duckdb.connect(":memory:", config=config)
    connection.execute("SET enable_progress_bar = false")
    try:
        with _quiet():
            linker = Linker(_register(DuckDBAPI(connection), frame, by_source), settings, log_level=None)
            _estimate_match_rate(linker, fields, len(frame))
            if len(frame) >= MIN_RECORDS_FOR_U:
                _estimate_u(linker, len(frame))
            if train:
                _estimate_m(linker, frame, fields)
            predictions: Any = linker.inference.predict(
                threshold_match_probability=max(threshold - _PREDICT_MARGIN, 0.0), warning_mode="never"
            )
            scored = predictions.as_pandas_dataframe()
    finally:
        connection.close()
    pairs = []
    for left, right, probability in zip(
        scored["unique_id_l"], scored["unique_id_r"], scored["match_probability"], strict=True
    ):
        rounded = round(float(probability), 6)
        if rounded >= threshold:
            a, b = sorted((str(left), str(right)))
            pairs.append(ScoredPair(a, b, rounded))
    return pairs


def _register(db_api: DuckDBAPI, frame: pd.DataFrame, by_source: bool) -> Any:
    if not by_source:
        return db_api.register(frame, dataset_display_name="records")
    parts = frame.groupby("source_dataset", sort=True)
    return [
        db_api.register(part.drop(columns="source_dataset"), dataset_display_name=f"source_{index}")
        for index, (_, part) in enumerate(parts)
    ]


def _estimate_match_rate(linker: Linker, fields: list[Field], records: int) -> None:
    """How likely two random records match: from near-certain rules where some apply and find pairs, else as
    if each record had one duplicate on average (right within a factor of two on every benchmark)."""
    settings = linker._settings_obj
    prior = min(max(1 / max(records - 1, 1), 1e-7), 0.5)
    settings._probability_two_random_records_match = prior
    deterministic = _deterministic_rules(fields)
    if deterministic:
        # Splink refuses rules that find more pairs than the assumed recall allows.
        with contextlib.suppress(ValueError, SplinkException):
            linker.training.estimate_probability_two_random_records_match(deterministic, recall=DETERMINISTIC_RECALL)
    if not 0 < settings._probability_two_random_records_match < 1:
        settings._probability_two_random_records_match = prior


def _estimate_u(linker: Linker, records: int) -> None:
    """u from random pairs, less the true matches hidden among them.

    Splink takes random pairs for non-matches; on a few hundred records with many duplicates they are not
    (a shared account number agrees in ~1% of random pairs, all of them matches). Observed agreement is
    lambda * m + (1 - lambda) * u, so u is solved for with the current m. A level never seen is at most as
    rare as one pair in the sample.
    """
    linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=U_SEED)
    rarest = 1 / min(U_SAMPLE_PAIRS, records * (records - 1) / 2)
    match_rate = linker._settings_obj._probability_two_random_records_match
    for compared in linker._settings_obj.comparisons:
        agreeing = [level for level in compared.comparison_levels if not level.is_null_level][:-1]
        for level in agreeing:
            observed = (level.u_probability or 0.0) if level._has_estimated_u_values else 0.0
            expected_from_matches = match_rate * (level.m_probability or 0.0)
            level.u_probability = max((observed - expected_from_matches) / (1 - match_rate), rarest)


def _estimate_m(linker: Linker, frame: pd.DataFrame, fields: list[Field]) -> None:
    """m by expectation maximisation on two rules that between them leave every field free once."""
    for rule in _training_rules(frame, fields):
        # A rule whose pairs hold too few matches (or none) cannot be trained on; the priors then stand.
        with contextlib.suppress(SplinkException, ValueError, ZeroDivisionError):
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
    _floor_m_probabilities(linker)


def _floor_m_probabilities(linker: Linker) -> None:
    """EM can drive an m probability to ~0 (no match ever changed its email in the training pairs), which
    would make one disagreeing field veto any match; people do change emails, so keep every level possible."""
    for compared in linker._settings_obj.comparisons:
        for level in compared.comparison_levels:
            if not level.is_null_level and level.m_probability is not None and level.m_probability < M_FLOOR:
                level.m_probability = M_FLOOR


def _deterministic_rules(fields: list[Field]) -> list[Any]:
    rules: list[Any] = [f"l.{f.column} = r.{f.column}" for f in fields if f.kind in ("email", "phone")]
    names = [f.canonical for f in fields if f.kind == "name"]
    dates = [f.column for f in fields if f.kind == "date"]
    if names and dates:
        rules.append(" AND ".join(f"l.{c} = r.{c}" for c in [*names, dates[0]]))
    return rules


def _training_rules(frame: pd.DataFrame, fields: list[Field]) -> list[str]:
    """Two selective single-field rules on different fields, so each field is estimated at least once."""
    minimum = max(10, len(frame) // 100)
    candidates = sorted(
        (pair_count(frame, (key,)), field.column, key)
        for field in fields
        for key in field.blocking_keys
        if field.kind != "exact"
    )
    chosen: list[tuple[str, str]] = []
    for pairs, owner, key in candidates:
        if pairs >= minimum and all(owner != other for other, _ in chosen):
            chosen.append((owner, key))
        if len(chosen) == 2:
            break
    return [f"l.{key} = r.{key}" for _, key in chosen]
