"""`cadre sales run` and `cadre sales inbound` as a user calls them: JSON out, one-line errors with exit 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cadre.cli import CadreGroup, _context
from cadre.cli import sales as sales_cli
from cadre.sales.demo import reply_to
from cadre.testing.smtp import LocalSmtpServer

root = typer.Typer(cls=CadreGroup)
root.add_typer(sales_cli.app, name="sales")


@root.callback()
def _root() -> None:
    """The `cadre` group, reduced to `sales`."""


@pytest.fixture
def cli_env(home: Path, smtp: LocalSmtpServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalSmtpServer]:
    monkeypatch.setenv("CADRE_HOME", str(home))
    monkeypatch.setenv("CADRE_SMTP_HOST", smtp.host)
    monkeypatch.setenv("CADRE_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("CADRE_SMTP_RETRIES", "0")
    _context.reset()
    yield smtp
    _context.reset()


def test_run_reports_touches_skips_and_coverage_as_json(cli_env: LocalSmtpServer) -> None:
    result = CliRunner().invoke(root, ["sales", "run", "--now", "2026-11-24T15:00:00Z", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["emails_sent"] == len(cli_env.messages) > 40
    assert report["leads_touched"] == report["emails_sent"]
    assert report["skipped_count"] == 3
    assert report["coverage"]["share"] == 1.0
    assert {"replies", "meetings_booked", "skipped", "coverage"} <= set(report)
    again = CliRunner().invoke(root, ["sales", "run", "--now", "2026-11-24T15:00:00Z", "--json"])
    assert json.loads(again.stdout)["emails_sent"] == 0


def test_inbound_handles_an_eml_file(cli_env: LocalSmtpServer, tmp_path: Path) -> None:
    CliRunner().invoke(root, ["sales", "run", "--now", "2026-11-24T15:00:00Z", "--json"])
    touch = cli_env.to("kaitlin64@inbox.example")[0]
    eml = tmp_path / "reply.eml"
    eml.write_bytes(reply_to(touch, "Please unsubscribe me."))
    result = CliRunner().invoke(root, ["sales", "inbound", str(eml), "--now", "2026-11-24T16:00:00Z", "--json"])
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout)
    assert (outcome["lead_id"], outcome["classification"], outcome["outcome"]) == (
        "L000023",
        "unsubscribe",
        "unsubscribed",
    )


def test_a_malformed_eml_exits_2_with_one_line(cli_env: LocalSmtpServer, tmp_path: Path) -> None:
    eml = tmp_path / "broken.eml"
    eml.write_bytes(b"Subject: hi\n\nno sender")
    result = CliRunner().invoke(root, ["sales", "inbound", str(eml), "--json"])
    assert result.exit_code == 2
    assert "must have a From address" in result.output


def test_a_bad_now_is_a_clear_error(cli_env: LocalSmtpServer) -> None:
    result = CliRunner().invoke(root, ["sales", "run", "--now", "yesterday"])
    assert result.exit_code == 2
    assert "--now must be an ISO 8601 timestamp" in result.output
