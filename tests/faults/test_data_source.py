"""A data source goes missing or changes its schema under the Service agent: the actions that read it fail with an
error that names the problem, the turn still ends in a reply or a hand-off, the audit chain still verifies, and
actions on the other tables keep answering."""
# ruff: noqa: RUF001
# (the agent's replies use typographic apostrophes)

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import duckdb
import pytest

from cadre.agents.registry import load_actions
from cadre.agents.runtime import Runtime, TurnRequest, TurnResult
from cadre.agents.setup import build_runtime
from cadre.agents.specs import AgentVersions
from cadre.data.federation import RECHECK_AFTER_S, Federation
from cadre.data.models import SourceInfo
from cadre.data.service import DataService
from cadre.errors import SourceUnavailable
from cadre.knowledge.service import KnowledgeBase
from cadre.sample.install import deploy_sample_agents, install_sample
from cadre.settings import Settings
from cadre.store import open_database
from tests.knowledge.conftest import write_help_centre

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # the sample's "today"
JOEL = "My email is joel.day@sunspark.example and my customer number is CUST-00008"
INVOICE = "What is the status of invoice INV-0000425?"
ORDER = "What is the status of my order ORD-0000445?"
ORDER_ANSWER = (
    "Order ORD-0000445 (Halyard Vault, quantity 41): 9,840.00 GBP, ordered on 2026-10-14 — status: completed."
)


@dataclass
class Company:
    data: DataService
    runtime: Runtime
    billing: Path  # the billing system's folder of Parquet files
    indexed: int  # the Service agent's version whose help centre is ingested
    unindexed: int  # its version whose knowledge collection does not exist

    def say(self, *messages: str, unindexed: bool = False, conversation: str | None = None) -> list[TurnResult]:
        """Each message a turn of one conversation (`conversation`, or a new one)."""
        version = self.unindexed if unindexed else self.indexed
        results: list[TurnResult] = []
        for message in messages:
            conversation = results[-1].conversation_id if results else conversation
            request = TurnRequest(
                agent="service", message=message, conversation_id=conversation, channel="web", now=NOW, version=version
            )
            results.append(self.runtime.run_turn(request))
        return results

    def reopen_sources(self) -> None:
        """A new federation session, as after a restart, that looks again at a failed source on every use."""
        self.data.close()
        self.data.federation.recheck_after_s = 0

    def audit_of(self, entity: str) -> list[tuple[str, str | None]]:
        return [(e.decision, e.detail) for e in self.data.audit.entries(limit=50) if e.entity == entity]


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Company]:
    home = tmp_path_factory.mktemp("sources") / "home"
    settings = Settings(home=home)
    db = open_database(settings)
    data = DataService(settings, db)
    install_sample(data, size="small", seed=7)
    kb = KnowledgeBase(db)
    kb.ingest([write_help_centre(home / "help")], collection="help")  # the agent's topics search `help`
    actions = load_actions(["cadre.heroes.service"])
    versions = AgentVersions(db, actions)
    [indexed] = deploy_sample_agents(versions, ["service"])
    # A later version whose help centre was never ingested (a collection that is missing); asked for by number.
    unindexed = home / "service-unindexed.yaml"
    spec = (files("cadre.sample") / "agents" / "service.yaml").read_text(encoding="utf-8")
    unindexed.write_text(spec.replace("knowledge: [help]", "knowledge: [manuals]"), encoding="utf-8")
    runtime = build_runtime(settings, db, kb, data=data, actions=actions)
    company = Company(
        data, runtime, settings.sources_dir / "billing", indexed.version, versions.deploy(unindexed).version
    )
    company.reopen_sources()
    yield company
    data.close()
    db.close()


@pytest.fixture
def invoices(company: Company, tmp_path: Path) -> Iterator[Path]:
    """The billing system's invoices file, put back as it was after the test."""
    path = company.billing / "invoices.parquet"
    kept = tmp_path / "invoices.parquet"
    shutil.copy2(path, kept)
    yield path
    shutil.copy2(kept, path)


def test_a_billing_file_gone_while_attached_fails_the_invoice_lookup_clearly_and_orders_still_answer(
    company: Company, invoices: Path
) -> None:
    kept = invoices.with_suffix(".kept")
    invoices.rename(kept)
    verified, invoice, order = company.say(JOEL, INVOICE, ORDER)

    assert verified.actions[0]["ok"] is True
    [lookup] = invoice.actions
    assert (lookup["name"], lookup["ok"]) == ("find_invoice", False)
    assert lookup["result_summary"].startswith("error: cannot read billing.invoices: IO Error: No files found")
    assert invoice.reply.startswith("Sorry, I couldn’t complete that just now")
    assert invoice.outcome == "answered" and invoice.handoff is None
    failed = [detail or "" for decision, detail in company.audit_of("Invoice") if decision == "failed"]
    assert failed and "billing.invoices" in failed[0]
    assert (order.reply, order.actions[0]["ok"]) == (ORDER_ANSWER, True)  # same source, another table
    assert company.data.audit.verify().ok

    kept.rename(invoices)
    [again] = company.say(
        INVOICE, conversation=order.conversation_id
    )  # put back: read in place again, nothing restarted
    assert again.actions[0]["ok"] is True and again.reply.startswith("Invoice INV-0000425: 9,840.00 GBP")


def test_a_billing_file_missing_when_the_sources_open_is_named_and_used_once_it_is_back(
    company: Company, invoices: Path
) -> None:
    kept = invoices.with_suffix(".kept")
    invoices.rename(kept)
    company.reopen_sources()
    verified, invoice, order = company.say(JOEL, INVOICE, ORDER)

    assert verified.actions[0]["ok"] is True
    assert invoice.actions[0]["result_summary"] == (
        "error: source 'billing' has no table 'invoices' (it has: customers, orders, subscriptions)"
    )
    assert (order.reply, order.actions[0]["ok"]) == (ORDER_ANSWER, True)

    kept.rename(invoices)
    _, again = company.say(JOEL, INVOICE)  # the same federation session: the source is looked at again
    assert again.actions[0]["ok"] is True and again.reply.startswith("Invoice INV-0000425: 9,840.00 GBP")
    assert company.data.audit.verify().ok


def test_a_missing_billing_file_is_not_described_to_the_customer_with_server_paths(
    company: Company, invoices: Path
) -> None:
    kept = invoices.with_suffix(".kept")
    invoices.rename(kept)
    _, invoice = company.say(JOEL, INVOICE)
    kept.rename(invoices)
    assert str(company.billing) not in invoice.reply and "IO Error" not in invoice.reply


def test_a_dropped_column_names_the_missing_column_and_a_second_failure_hands_off(
    company: Company, invoices: Path
) -> None:
    rewritten = invoices.with_suffix(".new")
    duckdb.execute(
        f"COPY (SELECT * EXCLUDE (amount) FROM read_parquet('{invoices}')) TO '{rewritten}' (FORMAT parquet)"
    )
    rewritten.replace(invoices)
    verified, first, second = company.say(JOEL, INVOICE, INVOICE)

    assert verified.actions[0]["ok"] is True
    for turn in (first, second):
        [lookup] = turn.actions
        assert lookup["ok"] is False
        assert "`Invoice` field(s) `amount`" in lookup["result_summary"]
        assert "does not have" in lookup["result_summary"]
    # Failing actions twice in a row is the spec's cue for a person, with what was tried in the summary.
    assert second.handoff is not None and second.handoff["reason"] == "action_failures"
    assert "find_invoice (failed)" in second.handoff["summary"]
    assert company.data.audit.verify().ok

    _, order = company.say(JOEL, ORDER)  # a new conversation, on an unchanged table
    assert (order.reply, order.actions[0]["ok"]) == (ORDER_ANSWER, True)


def test_a_missing_knowledge_collection_still_ends_the_turn_with_a_reply_or_a_hand_off(company: Company) -> None:
    [turn] = company.say("How do I invite a new user?", unindexed=True)
    assert turn.reply.strip()


def test_an_agent_whose_knowledge_collection_is_missing_still_runs_its_actions(company: Company) -> None:
    verified, order = company.say(JOEL, ORDER, unindexed=True)  # topics without knowledge
    assert verified.actions[0]["ok"] is True, (verified.reply, verified.actions)
    assert order.reply == ORDER_ANSWER


def test_a_database_source_gone_when_the_sources_open_is_attached_again_once_it_is_back(tmp_path: Path) -> None:
    crm = tmp_path / "crm.db"
    with sqlite3.connect(crm) as connection:
        connection.execute("CREATE TABLE accounts (id TEXT, name TEXT)")
        connection.execute("INSERT INTO accounts VALUES ('A1', 'Sunspark')")
    connection.close()
    away = crm.rename(tmp_path / "crm.away")
    opened = time.monotonic()
    now = [opened]
    with Federation.open([SourceInfo("crm", f"sqlite://{crm}", "sqlite")]) as federation:
        federation.clock = lambda: now[0]
        with pytest.raises(SourceUnavailable, match="source 'crm' cannot be read"):
            federation.relation("crm", "accounts")
        away.rename(crm)
        now[0] = opened + RECHECK_AFTER_S / 2  # too soon to look again: a source that is down is not hammered
        with pytest.raises(SourceUnavailable):
            federation.relation("crm", "accounts")
        now[0] = opened + RECHECK_AFTER_S + 1
        relation = federation.relation("crm", "accounts")
        assert list(federation.query(f"SELECT name FROM {relation}").rows()) == [("Sunspark",)]
