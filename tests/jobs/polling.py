"""Wait for a condition with a deadline: the tests never sleep a fixed time to let work happen."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def until(check: Callable[[], T], *, timeout: float = 45.0, what: str = "the condition") -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} must hold within {timeout} s, got {value!r}")
        time.sleep(0.05)
