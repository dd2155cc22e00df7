"""Secrets and raw personal data never reach the logs, the stored traces or the event store: an API key, the LLM
endpoint's key and a customer's e-mail, phone and card number go through a turn whose model endpoint is down (so
retries, failover and the offline fallback all log), with every logger at DEBUG."""

from __future__ import annotations

import json
import logging
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cadre.observability.tables import EventRow, SpanRow
from cadre.server.app import app_from_settings
from cadre.testing.fake_openai import closed_port_url
from tests.faults.conftest import DeskHome, desk  # noqa: F401  (the help-desk home on the `openai` engine)

LLM_KEY = "sk-test-ZX81spectrum0123456789"
MESSAGE = "My email is ana.lopez@example.com, phone +44 20 7946 0958, card 4111 1111 1111 1111: reset my password"
PERSONAL = ("ana.lopez@example.com", "2079460958", "4111111111111111")


def _digits_too(text: str) -> str:
    return text + " " + re.sub(r"[\s\-()+]", "", text)


def test_no_key_or_personal_data_is_logged_traced_or_counted(desk: DeskHome, caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    caplog.set_level(logging.DEBUG)
    settings = desk.settings(
        llm_base_url=closed_port_url(), llm_model="gpt-4o-mini", llm_api_key=LLM_KEY, llm_max_retries=1
    )
    app = app_from_settings(settings, knowledge=desk.kb)
    services = app.state.services
    secret, _ = services.keys.create("admin", name="secrets")
    headers = {"Authorization": f"Bearer {secret}"}
    with TestClient(app) as client:
        opened = client.post("/api/conversations", json={"agent": "help-desk"}, headers=headers)
        conversation = opened.json()["conversation_id"]
        turn = client.post(f"/api/conversations/{conversation}/messages", json={"message": MESSAGE}, headers=headers)
        assert turn.status_code == 200 and turn.json()["reply"].strip()
        assert any(g["name"] == "model" for g in turn.json()["guardrails"])  # the endpoint failed, and said so
        # A wrong key is refused without the key it was echoed in the log either.
        assert client.get("/api/agents", headers={"Authorization": "Bearer cadre_wrong_key_abc"}).status_code == 401

    with services.db.session() as session:
        spans = session.scalars(select(SpanRow)).all()
        events = session.scalars(select(EventRow).where(EventRow.conversation_id == conversation)).all()
        traced = json.dumps(
            [[s.name, s.status_message, s.attributes, s.events] for s in spans], ensure_ascii=False, default=str
        )
        counted = json.dumps([[e.person, e.data, e.topic] for e in events], ensure_ascii=False, default=str)
    assert spans and events  # the turn was traced and counted
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert "retry" in logged.lower() or "endpoint" in logged.lower()  # the failures were logged
    for where, text in (("logs", logged), ("traces", traced), ("events", counted)):
        searched = _digits_too(text)
        for needle in (secret, LLM_KEY, "cadre_wrong_key_abc", *PERSONAL):
            assert needle not in searched, f"{needle!r} found in the {where}"
    services.db.close()
