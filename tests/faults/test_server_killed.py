"""`cadre serve` killed with SIGKILL while a turn waits on the model: after a restart the conversation is intact,
the interrupted turn is never half-written, and the conversation carries on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
from sqlalchemy import select

from cadre.access.keys import ApiKeys
from cadre.agents.conversations import ConversationStore
from cadre.agents.registry import load_actions
from cadre.agents.specs import AgentVersions
from cadre.agents.store import MessageRow, TurnRow
from cadre.store import open_database
from cadre.testing.fake_openai import FakeOpenAIServer, Reply, Stall
from cadre.testing.ports import free_port
from tests.agents.help_desk import SPEC
from tests.faults.conftest import ACTION_MODULES, DeskHome, wait_for

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
STARTUP_S = 60.0  # a cold start imports the app and opens the store; the embedding model loads on the first turn
QUESTION = "How do I reset my password?"
ANSWER = "Open Settings, then Security, and choose Reset password."
# No knowledge collections (nothing to ingest, nothing to ground on): the model is all this agent has, so a
# stalled model is a turn in flight.
SPEC_WITHOUT_KNOWLEDGE = SPEC.replace("knowledge: [help]", "engine: openai") + "guardrails:\n  grounding: off\n"


class Server:
    """`python -m cadre.cli serve` on a free port of 127.0.0.1, its output in `log`."""

    def __init__(self, home: Path, llm_base_url: str, log: IO[bytes]) -> None:
        port = free_port()
        env = {
            **os.environ,
            "CADRE_HOME": str(home),
            "CADRE_ACTION_MODULES": ",".join(ACTION_MODULES),
            "CADRE_LLM_BASE_URL": llm_base_url,
            "CADRE_LLM_MODEL": "gpt-4o-mini",
            "CADRE_LLM_TIMEOUT_S": "120",  # the stalled request stays in flight until the kill
            "CADRE_LLM_MAX_RETRIES": "0",
        }
        command = [sys.executable, "-m", "cadre.cli", "serve", "--port", str(port), "--log-level", "warning"]
        self.process = subprocess.Popen(command, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{port}"
        wait_for(self._healthy, within_s=STARTUP_S, what="`cadre serve` answering /healthz")

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"`cadre serve` exited with {self.process.returncode}")
        try:
            return httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@dataclass(frozen=True)
class AfterKill:
    """What a customer and the store show once the server was killed mid-turn and started again."""

    desk: DeskHome
    conversation_id: str
    interrupted_turn: str
    history: dict[str, Any]  # GET /api/conversations/{id} right after the restart
    turn_status_at_restart: str | None
    next_turn: dict[str, Any]  # the customer's next message, answered by the restarted server

    def turn(self, turn_id: str) -> TurnRow | None:
        db = open_database(self.desk.settings())
        try:
            return ConversationStore(db).turn(turn_id)
        finally:
            db.close()


@pytest.fixture(scope="module")
def after_kill(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AfterKill]:
    desk = DeskHome(tmp_path_factory.mktemp("killed") / "home")
    db = open_database(desk.settings())
    spec = desk.home / "help-desk.yaml"
    spec.write_text(SPEC_WITHOUT_KNOWLEDGE, encoding="utf-8")
    AgentVersions(db, load_actions(ACTION_MODULES)).deploy(spec)
    secret, _ = ApiKeys(db).create("admin", name="faults")
    db.close()
    headers = {"Authorization": f"Bearer {secret}"}
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    with log_path.open("wb") as log, FakeOpenAIServer(Stall(120), default=Reply(ANSWER)) as llm:
        server = Server(desk.home, llm.base_url, log)
        try:
            opened = httpx.post(f"{server.url}/api/conversations", json={"agent": "help-desk"}, headers=headers)
            conversation_id = opened.json()["conversation_id"]
            path = f"/api/conversations/{conversation_id}"
            message_url = f"{server.url}{path}/messages"
            waiting = threading.Thread(target=_post_expecting_a_dropped_connection, args=(message_url, headers))
            waiting.start()
            wait_for(lambda: llm.requests, within_s=30, what="the turn reaching the model")
            server.process.send_signal(signal.SIGKILL)
            server.process.wait(timeout=10)
            waiting.join(timeout=10)
        finally:
            server.stop()
        server = Server(desk.home, llm.base_url, log)
        try:
            history = httpx.get(f"{server.url}{path}", headers=headers).json()
            [interrupted] = [m["turn_id"] for m in history["messages"]]
            result = AfterKill(desk, conversation_id, interrupted, history, None, {})
            at_restart = result.turn(interrupted)
            next_turn = httpx.post(
                f"{server.url}{path}/messages",
                json={"message": "How do I set up SAML single sign-on?"},
                headers=headers,
                timeout=60,
            )
            assert next_turn.status_code == 200, next_turn.text
            yield AfterKill(
                desk,
                conversation_id,
                interrupted,
                history,
                at_restart.status if at_restart else None,
                next_turn.json() | {"history": httpx.get(f"{server.url}{path}", headers=headers).json()},
            )
        finally:
            server.stop()


def _post_expecting_a_dropped_connection(url: str, headers: dict[str, str]) -> None:
    try:
        httpx.post(url, json={"message": QUESTION}, headers=headers, timeout=60)
    except httpx.TransportError:
        pass  # the server died with the request open: that is the fault under test
    else:
        pytest.fail("the turn answered although the server was killed mid-turn")


def test_the_conversation_and_the_customers_message_survive_the_kill(after_kill: AfterKill) -> None:
    assert after_kill.history["status"] == "open"
    messages = after_kill.history["messages"]
    assert [(m["role"], m["text"]) for m in messages] == [("customer", QUESTION)]  # kept once, no reply invented


def test_the_interrupted_turn_is_never_half_written(after_kill: AfterKill) -> None:
    # Either finished with its reply, or not finished and without one: a reply never exists without its turn.
    db = open_database(after_kill.desk.settings())
    try:
        with db.session() as session:
            of_conversation = after_kill.conversation_id
            turns = {
                t.id: t for t in session.scalars(select(TurnRow).where(TurnRow.conversation_id == of_conversation))
            }
            replies = session.scalars(
                select(MessageRow.turn_id).where(
                    MessageRow.conversation_id == of_conversation, MessageRow.role == "agent"
                )
            ).all()
    finally:
        db.close()
    assert replies and all(turn_id and turns[turn_id].status == "completed" for turn_id in replies)
    assert after_kill.interrupted_turn not in replies
    assert turns[after_kill.interrupted_turn].status in ("running", "failed")


def test_the_interrupted_turn_is_marked_failed_when_the_server_starts_again(after_kill: AfterKill) -> None:
    assert after_kill.turn_status_at_restart == "failed"
    turn = after_kill.turn(after_kill.interrupted_turn)
    assert turn is not None and turn.error and "interrupted" in turn.error


def test_the_conversation_carries_on_after_the_restart(after_kill: AfterKill) -> None:
    assert after_kill.next_turn["reply"] == ANSWER, after_kill.next_turn["handoff"]
    messages = after_kill.next_turn["history"]["messages"]
    assert [(m["seq"], m["role"]) for m in messages] == [(1, "customer"), (2, "customer"), (3, "agent")]
    assert messages[2]["turn_id"] == after_kill.next_turn["turn_id"] != after_kill.interrupted_turn
