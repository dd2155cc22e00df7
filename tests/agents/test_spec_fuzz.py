"""Whatever text arrives as an agent spec, validation returns a spec or says what is wrong with it: never a crash.
Mutations of a valid spec (keys dropped, values replaced by other YAML types) reach deep into the schema; random
text exercises the YAML reader itself."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadre.agents.specs import SpecInvalid, validate_text
from tests.agents.help_desk import SPEC, help_desk_actions

ACTIONS = help_desk_actions()
VALID: dict[str, Any] = yaml.safe_load(SPEC)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), st.text(max_size=30)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


PATHS = _paths(VALID)


def _mutated(path: tuple[Any, ...], value: Any, drop: bool) -> dict[str, Any]:
    spec = yaml.safe_load(SPEC)
    node = spec
    for part in path[:-1]:
        node = node[part]
    if drop and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return spec


def _validated_or_explained(text: str) -> None:
    try:
        spec = validate_text(text, ACTIONS)
    except SpecInvalid as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        assert str(exc)
    else:
        assert spec.name and spec.topics


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), VALUES, st.booleans())
def test_a_mutated_spec_is_accepted_or_refused_with_its_problems(path: tuple[Any, ...], value: Any, drop: bool) -> None:
    _validated_or_explained(yaml.safe_dump(_mutated(path, value, drop), allow_unicode=True))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_accepted_or_refused_with_its_problems(text: str) -> None:
    _validated_or_explained(text)
