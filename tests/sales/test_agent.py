"""The `sdr` agent: its shipped suite passes on the offline engine, and its actions change the lead's sequence."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pytest

from cadre.agents.inbox import Inbox
from cadre.agents.registry import load_actions
from cadre.agents.runtime import Runtime, TurnRequest
from cadre.agents.setup import build_runtime
from cadre.agents.specs import AgentVersions
from cadre.data.service import DataService
from cadre.evaluation.runner import run_suite
from cadre.evaluation.suites import load_suite
from cadre.knowledge.service import KnowledgeBase
from cadre.observability.events import EventStore
from cadre.sales.store import SalesStore
from cadre.sample.install import install_sample
from cadre.settings import Settings
from cadre.store import Database, open_database
from tests.sales.conftest import NOW

SAMPLE = Path(str(files("cadre.sample")))


@dataclass
class Agent:
    runtime: Runtime
    db: Database


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    # The SDR answers from the English sales collateral only, which ingests in seconds (no help centre needed).
    settings = Settings(home=tmp_path_factory.mktemp("sdr-agent"), smtp_port=1)  # port 1: nothing listens
    db = open_database(settings)
    data = DataService(settings, db)
    install_sample(data, size="small", seed=7)
    knowledge = KnowledgeBase(db)
    knowledge.ingest([SAMPLE / "kb" / "sales"], collection="sales")
    actions = load_actions(["cadre.heroes.sdr"])
    AgentVersions(db, actions).deploy(SAMPLE / "agents" / "sdr.yaml")
    yield Agent(build_runtime(settings, db, knowledge, data=data, actions=actions), db)
    data.close()
    db.close()


def test_the_shipped_suite_passes_on_the_offline_engine(agent: Agent) -> None:
    suite = load_suite(SAMPLE / "suites" / "sdr.yaml")
    assert len(suite.cases) >= 40
    run = run_suite(agent.runtime, suite, suite_name="sdr")
    passed = sum(result.passed for result in run.results)
    failed = [result.id for result in run.results if not result.passed]
    assert passed / len(run.results) >= 0.9, failed


def turn(agent: Agent, principal: str, message: str) -> dict[str, object]:
    request = TurnRequest(agent="sdr", message=message, principal=principal, channel="email", now=NOW)
    return agent.runtime.run_turn(request).to_json()


def test_booking_through_the_agent_records_the_meeting_even_when_mail_is_down(agent: Agent) -> None:
    reply = turn(agent, "lead:L000144", "Sounds good, let's set up a call next week.")
    assert [a["name"] for a in reply["actions"]] == ["book_meeting"]  # type: ignore[index]
    store = SalesStore(agent.db)
    meeting = store.meeting_of_lead("L000144")
    assert meeting is not None and meeting.rep_id == "U0004"
    assert "James Barrett" in str(reply["reply"])
    [invite] = [m for m in store.messages_of("L000144") if m.kind == "invite"]
    assert invite.status == "failed"  # kept for the next `cadre sales run`, not marked sent
    events = EventStore(agent.db)
    [booked] = [e for e in events.latest(kind="meeting_booked") if e.data["lead_id"] == "L000144"]
    assert (booked.agent, booked.at, booked.data["rep_id"]) == ("sdr", NOW, "U0004")
    assert not [e for e in events.latest(kind="email_sent") if e.data["lead_id"] == "L000144"]  # the mail failed
    [handoff] = Inbox(agent.db).list(queue="rep:U0004")
    assert handoff.reason == "meeting_booked" and "Mary Lane" in handoff.summary


def test_unsubscribing_through_the_agent_stops_the_sequence(agent: Agent) -> None:
    reply = turn(agent, "lead:L000143", "Please unsubscribe me, I don't want these e-mails.")
    assert [a["name"] for a in reply["actions"]] == ["unsubscribe"]  # type: ignore[index]
    sequence = SalesStore(agent.db).sequence("L000143")
    assert sequence is not None and (sequence.status, sequence.stop_reason) == ("stopped", "unsubscribed")


def test_a_conversation_that_is_not_with_a_lead_gets_a_clear_error(agent: Agent) -> None:
    reply = turn(agent, "anonymous", "Please unsubscribe me from your list.")
    # The turn's record says what is wrong (a principal that is no lead); the sender gets no internals.
    [action] = reply["actions"]  # type: ignore[misc]
    assert action["ok"] is False and "`lead:<lead id>`" in action["result_summary"]
    assert "lead:" not in str(reply["reply"]) and "complete that just now" in str(reply["reply"])
