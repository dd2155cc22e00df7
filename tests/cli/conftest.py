"""Run the `cadre` CLI in-process, the way a user would type it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from typer.testing import CliRunner

from cadre.cli import _context, app


@dataclass
class Ran:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def cadre(cadre_home: Any) -> Callable[..., Ran]:
    runner = CliRunner()

    def run(*args: str) -> Ran:
        _context.reset()
        result = runner.invoke(app, list(args), catch_exceptions=False)
        return Ran(result.exit_code, result.stdout, result.stderr)

    return run
