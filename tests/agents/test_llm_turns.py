"""Turns on an LLM engine: PII masked before the model and restored after, tool errors the model corrects,
grounding, and what happens when the model cannot be reached."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadre.agents.runtime import Runtime, TurnRequest
from cadre.agents.setup import build_runtime
from cadre.agents.specs import AgentVersions
from cadre.engines.llm import LLMEngine
from cadre.engines.messages import ModelResponse, Usage
from cadre.knowledge.service import KnowledgeBase
from cadre.settings import Settings
from cadre.store import Database
from cadre.testing.fake_openai import FakeOpenAIServer, Reply, closed_port_url
from cadre.testing.scripted import ScriptedChatModel, calling_tools, tool_call
from tests.agents.help_desk import SPEC, help_desk_actions

SCRIPTED = SPEC.replace("knowledge: [help]", "knowledge: [help]\nengine: scripted")


def runtime_with(
    shared: tuple[Settings, Database, KnowledgeBase], tmp_path: Path, model: object, *, spec: str = SCRIPTED
) -> Runtime:
    settings, db, kb = shared
    path = tmp_path / "agent.yaml"
    path.write_text(spec, encoding="utf-8")
    actions = help_desk_actions()
    AgentVersions(db, actions).deploy(path)
    return build_runtime(settings, db, kb, actions=actions, engines={"scripted": LLMEngine(model, name="scripted")})  # type: ignore[arg-type]


def test_the_model_never_sees_the_customers_email_yet_the_action_gets_it(_shared_kb, tmp_path: Path) -> None:
    model = ScriptedChatModel(
        [
            calling_tools(tool_call("open_case", {"email": "[EMAIL_ADDRESS_1]", "description": "export crashes"})),
            ModelResponse("I opened a case; we will write to [EMAIL_ADDRESS_1].", usage=Usage(120, 14)),
        ]
    )
    runtime = runtime_with(_shared_kb, tmp_path, model)
    result = runtime.run_turn(
        TurnRequest(agent="help-desk", message="Please open a case, export crashes. I am ana.lopez@example.com")
    )
    sent = " ".join(m.content or "" for request in model.requests for m in request.messages)
    assert "ana.lopez@example.com" not in sent and "[EMAIL_ADDRESS_1]" in sent
    assert result.actions[0]["arguments"]["email"] == "ana.lopez@example.com"
    assert result.actions[0]["ok"] is True
    assert result.reply == "I opened a case; we will write to ana.lopez@example.com."
    assert result.tokens == {"input": 120, "output": 14}
    assert {"name": "pii", "verdict": "masked 2"} in result.guardrails  # in the message and in the result
    assert [request.temperature for request in model.requests] == [0.2, 0.2]  # the spec's model profile (default)


def test_a_malformed_tool_call_is_returned_to_the_model_which_corrects_it(_shared_kb, tmp_path: Path) -> None:
    model = ScriptedChatModel(
        [
            calling_tools(tool_call("invoice_status", '{"invoice": ')),
            calling_tools(tool_call("invoice_status", {"invoice_number": "INV-0000123"})),
            calling_tools(tool_call("invoice_status", {"invoice_id": "INV-0000123"})),
            "Invoice INV-0000123 is paid.",
        ]
    )
    runtime = runtime_with(_shared_kb, tmp_path, model)
    result = runtime.run_turn(TurnRequest(agent="help-desk", message="Status of invoice INV-0000123?"))
    tool_answers = [m.content for m in model.requests[-1].messages if m.role == "tool"]
    assert "error" in (tool_answers[0] or "")  # not a JSON object: refused by the loop
    assert "invoice_id" in (tool_answers[1] or "") and "invalid arguments" in (tool_answers[1] or "")
    assert [a["ok"] for a in result.actions] == [False, True]  # the second call reached the action and failed there
    assert result.reply == "Invoice INV-0000123 is paid."
    assert result.handoff is None


def test_an_unsupported_sentence_is_dropped_from_a_knowledge_answer(_shared_kb, tmp_path: Path) -> None:
    model = ScriptedChatModel(
        ["Click Forgot password and follow the link we send you [1]. The link expires after 45 minutes [1]."]
    )
    runtime = runtime_with(_shared_kb, tmp_path, model)
    result = runtime.run_turn(TurnRequest(agent="help-desk", message="How do I reset my password?"))
    assert result.reply == "Click Forgot password and follow the link we send you [1]."
    assert {"name": "grounding", "verdict": "revised: dropped 1 unsupported"} in result.guardrails
    assert result.citations and result.citations[0]["doc_id"] == "reset-password"


@pytest.mark.parametrize("on_failure", ["offline", "handoff"])
def test_when_every_endpoint_is_down_the_customer_still_gets_an_answer_or_a_human(
    _shared_kb, tmp_path: Path, on_failure: str
) -> None:
    settings, db, kb = _shared_kb
    down = Settings(
        home=settings.home, llm_base_url=closed_port_url(), llm_model="m", llm_max_retries=0, llm_on_failure=on_failure
    )
    path = tmp_path / "agent.yaml"
    path.write_text(SPEC.replace("knowledge: [help]", "knowledge: [help]\nengine: openai"), encoding="utf-8")
    actions = help_desk_actions()
    AgentVersions(db, actions).deploy(path)
    runtime = build_runtime(down, db, kb, actions=actions)
    result = runtime.run_turn(TurnRequest(agent="help-desk", message="How do I reset my password?"))
    assert any(g["name"] == "model" and g["verdict"].startswith("unavailable") for g in result.guardrails)
    if on_failure == "offline":
        assert "Forgot password" in result.reply and result.handoff is None
    else:
        assert result.handoff is not None and result.handoff["reason"] == "engine_unavailable"


def test_a_real_openai_compatible_endpoint_answers_with_usage_and_cost(_shared_kb, tmp_path: Path) -> None:
    settings, db, kb = _shared_kb
    with FakeOpenAIServer(
        Reply("Click Forgot password [1].", input_tokens=1000, output_tokens=100, model="gpt-4o-mini")
    ) as server:
        configured = Settings(home=settings.home, llm_base_url=server.base_url, llm_model="gpt-4o-mini")
        path = tmp_path / "agent.yaml"
        path.write_text(SPEC.replace("knowledge: [help]", "knowledge: [help]\nengine: openai"), encoding="utf-8")
        actions = help_desk_actions()
        AgentVersions(db, actions).deploy(path)
        runtime = build_runtime(configured, db, kb, actions=actions)
        result = runtime.run_turn(TurnRequest(agent="help-desk", message="How do I reset my password?"))
    assert result.reply == "Click Forgot password [1]."
    assert result.tokens == {"input": 1000, "output": 100}
    assert result.cost_usd > 0


def test_an_action_result_carrying_instructions_is_withheld_from_the_model(_shared_kb, tmp_path: Path) -> None:
    model = ScriptedChatModel([calling_tools(tool_call("latest_note", {})), "I could not read the note."])
    runtime = runtime_with(_shared_kb, tmp_path, model)
    result = runtime.run_turn(TurnRequest(agent="help-desk", message="What does the latest note on my invoice say?"))
    seen = [m.content or "" for m in model.requests[-1].messages if m.role == "tool"]
    assert seen == ['{"error": "result withheld: it contained instructions"}']
    assert {"name": "result_injection", "verdict": "withheld latest_note"} in result.guardrails
    assert result.actions[0]["ok"] is True  # the record keeps what the action really returned


def test_personal_data_the_model_writes_out_on_its_own_is_redacted(_shared_kb, tmp_path: Path) -> None:
    model = ScriptedChatModel(["You can also ask bob.smith@othercorp.example, who had the same problem."])
    runtime = runtime_with(_shared_kb, tmp_path, model, spec=SCRIPTED + "guardrails:\n  grounding: off\n")
    result = runtime.run_turn(TurnRequest(agent="help-desk", message="How do I reset my password?"))
    assert "bob.smith@othercorp.example" not in result.reply
    assert "[redacted]" in result.reply
    assert {"name": "scope", "verdict": "redacted 1"} in result.guardrails


def test_a_forbidden_phrase_is_dropped_and_a_reply_of_nothing_else_goes_to_a_human(_shared_kb, tmp_path: Path) -> None:
    spec = SCRIPTED + "guardrails:\n  grounding: off\n  forbidden: [guarantee, legal advice]\n"
    model = ScriptedChatModel(["We guarantee a refund tomorrow.", "This is legal advice: sue them."])
    runtime = runtime_with(_shared_kb, tmp_path, model, spec=spec)
    first = runtime.run_turn(
        TurnRequest(agent="help-desk", message="Will I get my money back for invoice INV-0000123?")
    )
    assert {"name": "policy", "verdict": "fail"} in first.guardrails
    assert first.handoff is not None and first.handoff["reason"] == "policy_block"


UNMASKED = SCRIPTED + "guardrails:\n  mask_pii: false\n"


def test_a_model_allowed_to_read_pii_sees_it_yet_its_reply_is_still_checked_for_grounding(
    _shared_kb, tmp_path: Path
) -> None:
    model = ScriptedChatModel(
        ["Click Forgot password and follow the link we send you [1]. The link expires after 45 minutes [1]."]
    )
    runtime = runtime_with(_shared_kb, tmp_path, model, spec=UNMASKED)
    result = runtime.run_turn(
        TurnRequest(agent="help-desk", message="I am ana.lopez@example.com. How do I reset my password?")
    )
    sent = " ".join(m.content or "" for request in model.requests for m in request.messages)
    assert "ana.lopez@example.com" in sent  # the spec lets the model read it
    assert not any(g["name"] == "pii" for g in result.guardrails)
    assert result.reply == "Click Forgot password and follow the link we send you [1]."
    assert {"name": "grounding", "verdict": "revised: dropped 1 unsupported"} in result.guardrails


def test_a_model_allowed_to_read_pii_may_repeat_the_conversations_data_but_nobody_elses(
    _shared_kb, tmp_path: Path
) -> None:
    model = ScriptedChatModel(
        [
            calling_tools(tool_call("open_case", {"email": "ana.lopez@example.com", "description": "export crashes"})),
            "Case opened; we will write to ana.lopez@example.com, and bob.smith@othercorp.example had it too.",
        ]
    )
    spec = UNMASKED.replace("  mask_pii: false\n", "  mask_pii: false\n  grounding: off\n")
    runtime = runtime_with(_shared_kb, tmp_path, model, spec=spec)
    result = runtime.run_turn(
        TurnRequest(agent="help-desk", message="Please open a case, export crashes. I am ana.lopez@example.com")
    )
    assert result.actions[0]["arguments"]["email"] == "ana.lopez@example.com"
    assert "ana.lopez@example.com" in result.reply
    assert "bob.smith@othercorp.example" not in result.reply and "[redacted]" in result.reply
    assert {"name": "scope", "verdict": "redacted 1"} in result.guardrails


def test_a_model_allowed_to_read_pii_still_gets_no_action_result_carrying_instructions(
    _shared_kb, tmp_path: Path
) -> None:
    model = ScriptedChatModel([calling_tools(tool_call("latest_note", {})), "I could not read the note."])
    runtime = runtime_with(_shared_kb, tmp_path, model, spec=UNMASKED)
    result = runtime.run_turn(TurnRequest(agent="help-desk", message="What does the latest note on my invoice say?"))
    seen = [m.content or "" for m in model.requests[-1].messages if m.role == "tool"]
    assert seen == ['{"error": "result withheld: it contained instructions"}']
    assert {"name": "result_injection", "verdict": "withheld latest_note"} in result.guardrails


def test_a_follow_up_turn_shows_the_model_what_its_actions_returned_before_still_masked(
    _shared_kb, tmp_path: Path
) -> None:
    model = ScriptedChatModel(
        [
            calling_tools(tool_call("open_case", {"email": "[EMAIL_ADDRESS_1]", "description": "export crashes"})),
            "I opened a case for you.",
            "Your case is CASE-101; we will write to [EMAIL_ADDRESS_1].",
        ]
    )
    spec = SCRIPTED + "guardrails:\n  grounding: off\n"
    runtime = runtime_with(_shared_kb, tmp_path, model, spec=spec)
    first = runtime.run_turn(
        TurnRequest(agent="help-desk", message="Please open a case, export crashes. I am ana.lopez@example.com")
    )
    second = runtime.run_turn(
        TurnRequest(agent="help-desk", message="What was the case number again?", conversation_id=first.conversation_id)
    )
    system = model.requests[-1].messages[0].content or ""
    assert "Results of actions called earlier in this conversation" in system
    assert "CASE-101" in system and "[EMAIL_ADDRESS_1]" in system
    assert "ana.lopez@example.com" not in system
    assert second.actions == []  # answered from what the first turn's action returned
    assert second.reply == "Your case is CASE-101; we will write to ana.lopez@example.com."
