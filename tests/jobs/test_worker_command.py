from pathlib import Path

import pytest
from typer.testing import CliRunner

from cadre.cli import _context, app


def worker(*args: str) -> tuple[int, str]:
    _context.reset()
    result = CliRunner().invoke(app, ["worker", *args], catch_exceptions=False)
    return result.exit_code, result.stderr


def test_cadre_worker_needs_postgresql(cadre_home: Path) -> None:
    code, stderr = worker("--concurrency", "2")
    assert code == 2
    assert "`cadre worker` needs PostgreSQL as the store, got SQLite" in stderr


def test_cadre_worker_names_the_queues_it_knows(cadre_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRE_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    code, stderr = worker("--queues", "urgent")
    assert code == 2
    assert "--queues must name some of periodic, default, got 'urgent'" in stderr
