"""Account briefings: their content and sources, Markdown and PDF (Japanese included), and `cadre brief`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from pypdf import PdfReader
from typer.testing import CliRunner

from cadre.cli import CadreGroup, _context, brief
from cadre.heroes import briefing as briefing_module
from cadre.heroes._seller_accounts import AccountOutsideTeam
from cadre.heroes._seller_facts import AccountFacts
from cadre.heroes.briefing import build_briefing, to_markdown, to_pdf
from tests.hero_company import Hero

NOW = datetime(2026, 11, 24, 15, tzinfo=UTC)


def pdf_text(path: Path) -> str:
    # Text drawn in an embedded CID font reads back with NULs between characters; whitespace varies too.
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s", "", text.replace("\x00", ""))


def test_a_briefing_has_every_section_and_lists_its_sources(hero: Hero) -> None:
    made = build_briefing(hero.data, hero.kb, principal="user:U0009", account="Truepath Health", now=NOW)
    text = to_markdown(made)
    sections = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert sections == [
        "Summary",
        "Health: at risk",
        "Open opportunities",
        "Recent cases",
        "Contacts",
        "Last touches",
        "Sources",
    ]
    assert "every subscription has been cancelled (Subscription SUB-000050)" in text
    sources = text.split("## Sources", 1)[1]
    for record in ("Account A00008", "Opportunity OP00005", "Case CS000123", "Subscription SUB-000050"):
        assert f"- {record}" in sources
    assert "@truepath-health.example" in text and not re.search(r"\b[a-z]+\.?[a-z]+@truepath", text)


def test_a_competitor_adds_its_battlecard_as_a_cited_source(hero: Hero) -> None:
    made = build_briefing(hero.data, hero.kb, principal="user:U0008", account="Jadestar", now=NOW, competitor="norquay")
    text = to_markdown(made)
    assert "### Battlecard: Norquay (named by the seller)" in text
    assert "- Battlecard: Norquay (https://sales.halyard.example/en/battlecard-norquay)" in text


def test_another_teams_account_is_refused(hero: Hero) -> None:
    with pytest.raises(AccountOutsideTeam, match="belongs to another team"):
        build_briefing(hero.data, hero.kb, principal="user:U0017", account="Truepath Health", now=NOW)


def test_the_pdf_carries_japanese_account_data(hero: Hero, tmp_path: Path) -> None:
    made = build_briefing(hero.data, hero.kb, principal="user:U0017", account="Trueway", now=NOW)
    path = tmp_path / "trueway.pdf"
    assert to_pdf(made, path) is None
    text = pdf_text(path)
    assert "Accountbriefing:Trueway(A00015)" in text
    assert "CS000145" in text and "更新時のプラン変更方法" in text
    assert "a***@trueway.example" in text


def test_without_the_font_package_the_pdf_says_what_it_replaced(
    hero: Hero, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(briefing_module, "UNICODE_FONT", ("no_such_font_package", "none.otf"))
    made = build_briefing(hero.data, hero.kb, principal="user:U0017", account="Trueway", now=NOW)
    path = tmp_path / "fallback.pdf"
    note = to_pdf(made, path)
    assert note is not None and "no_such_font_package" in note
    text = pdf_text(path)
    assert "Note:thePDFfontpackage" in text and "CS000145" in text


# ------------------------------------------------------------------ the command


@pytest.fixture
def cli(hero: Hero, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    monkeypatch.setenv("CADRE_HOME", str(hero.settings.home))
    _context.reset()
    app = typer.Typer(cls=CadreGroup)  # as `cadre` registers it
    app.command("brief")(brief.brief)

    @app.callback()
    def root() -> None:
        """cadre"""

    yield app
    _context.reset()


def test_brief_prints_markdown(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["brief", "A00032", "--as", "U0008", "--now", "2026-11-24T15:00:00"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Account briefing: Jadestar (A00032)")


def test_brief_writes_a_pdf_and_reports_it_as_json(cli: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "b.pdf"
    args = ["brief", "Trueway", "--as", "user:U0017", "--format", "pdf", "--out", str(out), "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["path"], body["format"], body["account"]["account_id"]) == (str(out), "pdf", "A00015")
    assert "Account A00015" in body["sources"]
    assert "Trueway" in pdf_text(out)


@pytest.mark.parametrize(
    ("account", "seller", "message"),
    [
        ("Titansmith", "U0008", "belongs to another team"),
        ("Nowhere Inc", "U0008", "no account matches"),
        ("Jadestar", "U0006", "serves seller or sales_managers"),
    ],
)
def test_brief_exits_2_with_one_line(cli: typer.Typer, account: str, seller: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["brief", account, "--as", seller])
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


def test_a_competitor_named_in_a_case_brings_its_battlecard(hero: Hero) -> None:
    facts = AccountFacts(
        account={"account_id": "A1", "name": "Acme"},
        cases=[{"case_id": "CS1", "subject": "Comparing inboxes", "description": "We are also trialling Lumenfold."}],
    )
    (card,) = briefing_module._battlecards(hero.kb, facts, competitor=None)
    assert (card.competitor, card.title, card.why) == (
        "Lumenfold",
        "Battlecard: Lumenfold",
        "mentioned in the account's deals or cases",
    )
