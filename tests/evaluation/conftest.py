"""The help-desk agent of the agent tests, reused to run suites through a real runtime; `cadre eval …` on the
sample company."""

from collections.abc import Callable

import pytest
from typer.testing import CliRunner

from cadre.cli import _context, app
from tests.agents.conftest import _shared_kb, runtime, spec_file  # noqa: F401
from tests.hero_company import Hero


@pytest.fixture
def cadre_eval(hero: Hero, monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str, str]]:
    """`cadre eval ARGS…` on the sample company's home: exit code, stdout, stderr."""
    monkeypatch.setenv("CADRE_HOME", str(hero.settings.home))
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        _context.reset()
        result = runner.invoke(app, ["eval", *args], catch_exceptions=False)
        _context.reset()
        return result.exit_code, result.stdout, result.stderr

    return run
