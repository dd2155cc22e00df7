"""Splink comparisons and blocking rules derived from a `compare` map of prepared identity fields."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl

from cadre.data.models import ComparisonKind

# What a field holds beyond its kind: the part of a person's name, or a company name (a `text` field).
Role = Literal["first", "last", "full", "organisation"]
DERIVED_SUFFIXES: dict[str, str] = {"name": "_canon", "email": "_user", "phone": "_tail"}
FROM_NAME_SUFFIX = "_from_name"  # whether an email's username spells the record's own name
PHONE_TAIL_DIGITS = 9  # a national number without its trunk prefix or country code

# Score every pair outright when there are at most this many; above it, block.
ALL_PAIRS_LIMIT = 600_000
# A blocking rule may generate at most max(RULE_PAIRS_FLOOR, RULE_PAIRS_PER_RECORD * records) pairs ...
RULE_PAIRS_FLOOR = 50_000
RULE_PAIRS_PER_RECORD = 40
# ... and all rules together at most this many per record (pairs found by several rules count once each).
TOTAL_PAIRS_PER_RECORD = 150
MAX_RULES = 14


@dataclass(frozen=True)
class Field:
    """One identity field: the caller's column, its cleaned column in the prepared frame, how to compare it."""

    source: str
    column: str
    kind: ComparisonKind
    role: Role | None = None

    @property
    def canonical(self) -> str:
        """The nickname-canonical form of a name column."""
        return f"{self.column}{DERIVED_SUFFIXES['name']}"

    @property
    def derived(self) -> str | None:
        """The prepared column computed from this one: canonical name, email username, phone's last digits."""
        suffix = DERIVED_SUFFIXES.get(self.kind)
        return f"{self.column}{suffix}" if suffix else None

    @property
    def from_name(self) -> str:
        """The prepared column saying whether an email's username spells the record's own name."""
        return f"{self.column}{FROM_NAME_SUFFIX}"

    @property
    def blocking_keys(self) -> tuple[str, ...]:
        """Prepared columns whose equality makes a pair worth scoring."""
        if self.kind == "name" and self.role == "last":
            return (self.column,)
        if self.kind in ("name", "phone"):
            return (self.derived or self.column,)
        return (self.column,)


@dataclass(frozen=True)
class BlockingRule:
    columns: tuple[str, ...]  # empty: every pair
    pairs: int

    @property
    def sql(self) -> str:
        if not self.columns:
            return "1=1"
        return " AND ".join(f"l.{column} = r.{column}" for column in self.columns)


def _level(creator: Any, m: float, u: float) -> Any:
    """A comparison level with prior m/u values, which training overwrites where the data allow."""
    return creator.configure(m_probability=m, u_probability=u)


def comparison(
    field: Field, *, swapped_with: Field | None = None, name_frequencies: bool = True, from_name: bool = False
) -> Any:
    """The Splink comparison for one field, with priors good enough to score without training; `from_name`: an
    email field's `Field.from_name` column is prepared.

    Fuzzy levels use Jaro-Winkler rather than an edit distance on anything longer than a phone number: it
    is several times cheaper, and computing levels for every candidate pair is the hot loop.
    """
    col = field.column
    derived = field.derived or col
    levels: list[Any] = [cll.NullLevel(col)]
    if field.kind == "name":
        exact = cll.ExactMatchLevel(col)
        if name_frequencies:  # "Smith" agreeing says less than "Okonkwo" agreeing
            exact.configure(tf_adjustment_column=col)
        levels.append(_level(exact, 0.75, 0.01))
        if field.role != "last":
            levels.append(
                _level(cll.ExactMatchLevel(derived).configure(label_for_charts="Same canonical name"), 0.05, 0.002)
            )
        if swapped_with is not None:
            levels.append(_level(cll.ColumnsReversedLevel(col, swapped_with.column), 0.03, 0.001))
        levels += [
            _level(cll.JaroWinklerLevel(col, 0.92), 0.15, 0.003),
            _level(cll.JaroWinklerLevel(col, 0.88), 0.06, 0.004),
            _level(cll.JaroWinklerLevel(col, 0.7), 0.06, 0.05),
            _level(cll.ElseLevel(), 0.05, 0.88),
        ]
    elif field.kind == "email":
        # Work addresses are built from names, so similar usernames (daniel.mason, daniel_jackson) are common
        # between different people: only near-identical addresses count as fuzzy agreement. Where both usernames
        # spell their own record's name, even those say only what the name comparisons have counted already
        # (sarah.evans@a and sarah_evans@b; b.mendes and i.mendes at one company): namesakes and colleagues would
        # score their names twice over. Then only the whole address counts.
        spelt = field.from_name if from_name else None
        levels += [
            _level(cll.ExactMatchLevel(col), 0.8, 0.0001),
            _level(_not_both_spelt(cll.ExactMatchLevel(derived), "Same username", spelt), 0.08, 0.0005),
            _level(_not_both_spelt(cll.JaroWinklerLevel(col, 0.95), "Similar address", spelt), 0.05, 0.0002),
            _level(_not_both_spelt(cll.JaroWinklerLevel(derived, 0.95), "Similar username", spelt), 0.03, 0.002),
            _level(cll.ElseLevel(), 0.04, 0.99),
        ]
    elif field.kind == "phone":
        last7 = f"right({derived}_l, 7) = right({derived}_r, 7)"
        levels += [
            _level(cll.ExactMatchLevel(col), 0.8, 0.0001),
            _level(cll.ExactMatchLevel(derived).configure(label_for_charts="Same number, other prefix"), 0.1, 0.0001),
            _level(cll.LevenshteinLevel(col, 1), 0.05, 0.0005),
            _level(cll.CustomLevel(last7, "Same last 7 digits"), 0.03, 0.001),
            _level(cll.ElseLevel(), 0.07, 0.998),
        ]
    elif field.kind == "date":
        levels += [
            _level(cll.ExactMatchLevel(col), 0.75, 0.001),
            _level(cll.LevenshteinLevel(col, 1), 0.1, 0.005),
            _level(_date_within(col, 1, "month"), 0.03, 0.003),
            _level(_date_within(col, 1, "year"), 0.03, 0.03),
            _level(_date_within(col, 10, "year"), 0.04, 0.3),
            _level(cll.ElseLevel(), 0.05, 0.66),
        ]
    elif field.kind == "postcode":
        levels += [
            _level(cll.ExactMatchLevel(col), 0.7, 0.005),
            _level(cll.LevenshteinLevel(col, 1), 0.1, 0.005),
            _level(cll.CustomLevel(f"left({col}_l, 3) = left({col}_r, 3)", "Same first 3 characters"), 0.1, 0.05),
            _level(cll.ElseLevel(), 0.1, 0.94),
        ]
    elif field.kind == "text":
        levels += [
            _level(cll.ExactMatchLevel(col), 0.7, 0.005),
            _level(cll.JaroWinklerLevel(col, 0.95), 0.1, 0.001),
            _level(cll.JaroWinklerLevel(col, 0.88), 0.08, 0.01),
            _level(cll.JaroWinklerLevel(col, 0.75), 0.05, 0.1),
            _level(cll.ElseLevel(), 0.07, 0.88),
        ]
    else:  # exact
        levels += [
            _level(cll.ExactMatchLevel(col), 0.85, 0.1),
            _level(cll.ElseLevel(), 0.15, 0.9),
        ]
    return cl.CustomComparison(levels, output_column_name=col, comparison_description=f"{field.kind} {field.source}")


def _not_both_spelt(level: Any, label: str, from_name: str | None) -> Any:
    """`level`, less the pairs whose usernames both spell their own record's name (`from_name`: that column)."""
    if from_name is None:
        return level.configure(label_for_charts=label)
    both = cll.CustomLevel(f"{from_name}_l AND {from_name}_r")
    return cll.And(level, cll.Not(both)).configure(label_for_charts=f"{label}, not both spelling names")


def _date_within(column: str, threshold: int, metric: Literal["month", "year"]) -> Any:
    return cll.AbsoluteDateDifferenceLevel(
        column, input_is_string=True, threshold=threshold, metric=metric, datetime_format="%Y-%m-%d"
    )


def swap_partners(fields: list[Field]) -> dict[str, Field]:
    """First and last name columns compared crosswise too, when there is exactly one of each."""
    firsts = [f for f in fields if f.kind == "name" and f.role == "first"]
    lasts = [f for f in fields if f.kind == "name" and f.role == "last"]
    if len(firsts) != 1 or len(lasts) != 1:
        return {}
    return {firsts[0].column: lasts[0], lasts[0].column: firsts[0]}


def pair_count(frame: pd.DataFrame, columns: tuple[str, ...]) -> int:
    """Pairs of records that agree on every one of `columns` (nulls agree with nothing)."""
    if not columns:
        n = len(frame)
        return n * (n - 1) // 2
    sizes = frame.groupby(list(columns), dropna=True, sort=False).size()
    return int((sizes * (sizes - 1) // 2).sum())


def choose_blocking_rules(frame: pd.DataFrame, fields: list[Field]) -> list[BlockingRule]:
    """Rules that keep recall high and the number of scored pairs bounded.

    Each field's key alone where it is selective enough, else pairs of keys from different fields; the most
    selective rules first, until the pair budget is spent.
    """
    records = len(frame)
    everything = BlockingRule((), pair_count(frame, ()))
    if everything.pairs <= ALL_PAIRS_LIMIT:
        return [everything]
    rule_cap = max(RULE_PAIRS_FLOOR, RULE_PAIRS_PER_RECORD * records)
    keys = [(field.column, key) for field in fields for key in field.blocking_keys]
    candidates = [BlockingRule((key,), pair_count(frame, (key,))) for _, key in keys]
    too_broad = [key for (_, key), rule in zip(keys, candidates, strict=True) if rule.pairs > rule_cap]
    owner = {key: column for column, key in keys}
    candidates += [
        BlockingRule((a, b), pair_count(frame, (a, b)))
        for a, b in itertools.combinations(too_broad, 2)
        if owner[a] != owner[b]
    ]
    candidates.sort(key=lambda rule: (rule.pairs, rule.columns))
    chosen = [rule for rule in candidates if 0 < rule.pairs <= rule_cap]
    if not chosen:
        # Nothing is selective (a few categorical fields): score the least broad rule if it stays affordable.
        chosen = [rule for rule in candidates if 0 < rule.pairs <= 20 * rule_cap][:1]
    budget = TOTAL_PAIRS_PER_RECORD * records
    kept: list[BlockingRule] = []
    spent = 0
    for rule in chosen:
        if len(kept) == MAX_RULES or (kept and spent + rule.pairs > budget):
            break
        kept.append(rule)
        spent += rule.pairs
    return kept
