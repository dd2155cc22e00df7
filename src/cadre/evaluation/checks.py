"""Checking one reply against its expectations: each broken expectation becomes a sentence saying what differed."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from cadre.agents.runtime import TurnResult
from cadre.evaluation.suites import ANY_VALUE, Expect, ExpectedAction


def check_turn(expect: Expect, result: TurnResult) -> list[str]:
    """What this reply got wrong; empty when every expectation holds."""
    failures: list[str] = []
    if expect.topic is not None and result.topic != expect.topic:
        failures.append(f"topic: expected {expect.topic!r}, got {result.topic!r}")
    called = result.actions
    if expect.no_actions and called:
        failures.append(f"actions: expected none, got {[a['name'] for a in called]}")
    for wanted in expect.actions or []:
        if not any(_action_matches(wanted, call) for call in called):
            got = [(a["name"], a["arguments"]) for a in called] or "no action"
            failures.append(f"actions: expected {wanted.name} with {wanted.arguments or 'any arguments'}, got {got}")
    reply = normalise(result.reply)
    for fact in expect.facts:
        options = [fact] if isinstance(fact, str) else fact
        if not any(normalise(option) in reply for option in options):
            failures.append(f"facts: the reply does not say {' or '.join(repr(o) for o in options)}")
    for phrase in expect.forbidden:
        if normalise(phrase) in reply:
            failures.append(f"forbidden: the reply says {phrase!r}")
    if expect.language is not None and result.language != expect.language:
        failures.append(f"language: expected {expect.language}, got {result.language}")
    failures.extend(_handoff_failures(expect.handoff, result.handoff))
    if expect.cited is not None and bool(result.citations) != expect.cited:
        failures.append(
            f"cited: expected {'citations' if expect.cited else 'no citation'}, got {len(result.citations)}"
        )
    return failures


def normalise(text: str) -> str:
    """Compatibility-folded, case-folded, whitespace-collapsed: how facts are looked for in replies."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _action_matches(wanted: ExpectedAction, call: Mapping[str, Any]) -> bool:
    if call.get("name") != wanted.name:
        return False
    arguments = call.get("arguments") or {}
    return all(
        name in arguments and (value == ANY_VALUE or _same(value, arguments[name]))
        for name, value in wanted.arguments.items()
    )


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, Sequence) and not isinstance(expected, str):
        return (
            isinstance(actual, Sequence)
            and not isinstance(actual, str)
            and [normalise(str(v)) for v in expected] == [normalise(str(v)) for v in actual]
        )
    return normalise(str(expected)) == normalise(str(actual))


def _handoff_failures(expected: bool | str | None, handoff: Mapping[str, Any] | None) -> list[str]:
    if expected is None:
        return []
    if expected is False:
        return (
            [f"handoff: expected none, got one to {handoff.get('queue')!r} ({handoff.get('reason')})"]
            if handoff
            else []
        )
    if handoff is None:
        return ["handoff: expected a hand-off, got none"]
    if isinstance(expected, str) and handoff.get("queue") != expected:
        return [f"handoff: expected queue {expected!r}, got {handoff.get('queue')!r}"]
    return []
