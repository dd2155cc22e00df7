"""The retail benchmark on a tiny hand-made store: replay runs gold actions through governed, audited actions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from cadre.agents.conversations import ConversationStore
from cadre.benchmarks.tau_retail import RETAIL_ACTIONS, RetailWorkspace, load_tasks, replay_tasks
from cadre.benchmarks.tau_retail.conversation import STOP, ConversationReport, run_conversations
from cadre.benchmarks.tau_retail.replay import run_gold_actions
from cadre.cli import _context
from cadre.cli.bench import app as bench_app
from cadre.engines.messages import ToolCall
from cadre.testing.fake_openai import CallTools, FakeOpenAIServer, Reply
from cadre.testing.scripted import ScriptedChatModel, calling_tools, tool_call

ADDRESS = {"address1": "1 Kiln Lane", "address2": "Flat 2", "city": "Lowmoor", "state": "OR", "country": "USA"}
USERS = {
    "ada_quill_1": {
        "name": {"first_name": "Ada", "last_name": "Quill"},
        "address": {**ADDRESS, "zip": "97001"},
        "email": "ada.quill@example.test",
        "payment_methods": {
            "gift_card_11": {"source": "gift_card", "balance": 40.0, "id": "gift_card_11"},
            "credit_card_12": {"source": "credit_card", "brand": "visa", "last_four": "1111", "id": "credit_card_12"},
        },
        "orders": ["#T100", "#T101"],
    },
    "bo_fern_2": {
        "name": {"first_name": "Bo", "last_name": "Fern"},
        "address": {**ADDRESS, "zip": "97002"},
        "email": "bo.fern@example.test",
        "payment_methods": {"paypal_21": {"source": "paypal", "id": "paypal_21"}},
        "orders": ["#T200"],
    },
}
LAMP = {
    "name": "Desk Lamp",
    "product_id": "P1",
    "variants": {
        "L-red": {"item_id": "L-red", "options": {"colour": "red"}, "available": True, "price": 30.0},
        "L-blue": {"item_id": "L-blue", "options": {"colour": "blue"}, "available": True, "price": 45.5},
        "L-gold": {"item_id": "L-gold", "options": {"colour": "gold"}, "available": False, "price": 90.0},
        "L-green": {"item_id": "L-green", "options": {"colour": "green"}, "available": True, "price": 95.0},
    },
}
MUG = {
    "name": "Mug",
    "product_id": "P2",
    "variants": {"M-1": {"item_id": "M-1", "options": {"size": "small"}, "available": True, "price": 8.0}},
}


def _item(product: dict[str, Any], item_id: str) -> dict[str, Any]:
    variant = product["variants"][item_id]
    return {"name": product["name"], "product_id": product["product_id"], **variant}


def _order(order_id: str, user_id: str, status: str, items: list[dict[str, Any]], method: str) -> dict[str, Any]:
    total = round(sum(i["price"] for i in items), 2)
    return {
        "order_id": order_id,
        "user_id": user_id,
        "address": USERS[user_id]["address"],
        "items": [{k: v for k, v in i.items() if k != "available"} for i in items],
        "fulfillments": [],
        "status": status,
        "payment_history": [{"transaction_type": "payment", "amount": total, "payment_method_id": method}],
    }


ORDERS = {
    "#T100": _order("#T100", "ada_quill_1", "pending", [_item(LAMP, "L-red"), _item(MUG, "M-1")], "gift_card_11"),
    "#T101": _order("#T101", "ada_quill_1", "delivered", [_item(LAMP, "L-red")], "credit_card_12"),
    "#T200": _order("#T200", "bo_fern_2", "pending", [_item(MUG, "M-1")], "paypal_21"),
}
TASKS = [
    {
        "annotator": "test",
        "user_id": "ada_quill_1",
        "instruction": "You are Ada; cancel your pending order.",
        "actions": [
            {"name": "find_user_id_by_email", "kwargs": {"email": "ada.quill@example.test"}},
            {"name": "cancel_pending_order", "kwargs": {"order_id": "#T100", "reason": "ordered by mistake"}},
        ],
        "outputs": [],
    },
    {
        "annotator": "test",
        "user_id": "ada_quill_1",
        "instruction": "You are Ada; swap the red lamp you received for the blue one and ask the total.",
        "actions": [
            {
                "name": "exchange_delivered_order_items",
                "kwargs": {
                    "order_id": "#T101",
                    "item_ids": ["L-red"],
                    "new_item_ids": ["L-blue"],
                    "payment_method_id": "credit_card_12",
                },
            },
            {"name": "calculate", "kwargs": {"expression": "45.5 - 30"}},
        ],
        "outputs": ["15.5"],
    },
    {
        "annotator": "test",
        "user_id": "bo_fern_2",
        "instruction": "You are Bo; send your order to your office.",
        "actions": [
            {
                "name": "modify_pending_order_address",
                "kwargs": {"order_id": "#T200", **ADDRESS, "address1": "9 Mill Road", "zip": "97003"},
            }
        ],
        "outputs": [],
    },
]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "retail"
    folder.mkdir()
    for name, value in {"users": USERS, "orders": ORDERS, "products": {"P1": LAMP, "P2": MUG}}.items():
        (folder / f"{name}.json").write_text(json.dumps(value))
    (folder / "tasks_dev.json").write_text(json.dumps(TASKS))
    (folder / "wiki.md").write_text("# Shop policy\nConfirm every change with the customer before making it.\n")
    return folder


@pytest.fixture
def workspace(data_dir: Path, tmp_path: Path) -> Iterator[RetailWorkspace]:
    created = RetailWorkspace.create(tmp_path / "work", data_dir)
    yield created
    created.close()


def call(workspace: RetailWorkspace, name: str, **arguments: Any) -> Any:
    return RETAIL_ACTIONS.get(name).call(workspace.context(), arguments)


def test_replay_runs_every_gold_action_and_finds_the_outputs(workspace: RetailWorkspace, data_dir: Path) -> None:
    report = replay_tasks(workspace, load_tasks(data_dir / "tasks_dev.json"))
    assert report.as_dict() == {
        "tasks": 3,
        "actions": 5,
        "action_errors": 0,
        "outputs_found": 1,
        "outputs_expected": 1,
        "errors": [],
    }


def test_cancelling_refunds_a_gift_card_at_once_and_writes_are_audited(workspace: RetailWorkspace) -> None:
    run_gold_actions(workspace, load_tasks_from(TASKS[:1])[0])
    after = workspace.snapshot()
    assert after["orders"]["#T100"]["status"] == "cancelled"
    assert after["orders"]["#T100"]["cancel_reason"] == "ordered by mistake"
    assert after["orders"]["#T100"]["payment_history"][-1] == {
        "transaction_type": "refund",
        "amount": 38.0,
        "payment_method_id": "gift_card_11",
    }
    assert after["users"]["ada_quill_1"]["payment_methods"]["gift_card_11"]["balance"] == 78.0
    writes = [e for e in workspace.data.audit.entries() if e.operation == "write" and e.entity != "(source)"]
    assert {(e.entity, e.principal, e.decision, e.policy) for e in writes} == {
        ("Order", "agent:retail-agent", "allowed", "agent-writes-orders"),
        ("User", "agent:retail-agent", "allowed", "agent-writes-users"),
    }


def test_each_task_starts_from_the_pristine_database(workspace: RetailWorkspace) -> None:
    run_gold_actions(workspace, load_tasks_from(TASKS[:1])[0])
    run_gold_actions(workspace, load_tasks_from(TASKS[2:])[0])
    after = workspace.snapshot()
    assert after["orders"]["#T100"]["status"] == "pending"  # the first task's cancellation was undone
    assert (after["orders"]["#T200"]["address1"], after["orders"]["#T200"]["zip"]) == ("9 Mill Road", "97003")


def test_a_wrong_action_fails_clearly_and_changes_nothing(workspace: RetailWorkspace) -> None:
    before = workspace.snapshot()
    delivered = call(workspace, "cancel_pending_order", order_id="#T101", reason="no longer needed")
    assert not delivered.ok
    assert delivered.error == "order #T101 must be 'pending' for this action, got 'delivered'"
    unavailable = call(
        workspace,
        "modify_pending_order_items",
        order_id="#T100",
        item_ids=["L-red"],
        new_item_ids=["L-gold"],
        payment_method_id="credit_card_12",
    )
    assert unavailable.error == "new item 'L-gold' must be available, and it is not"
    not_theirs = call(
        workspace,
        "modify_pending_order_payment",
        order_id="#T200",
        payment_method_id="gift_card_11",
    )
    assert not_theirs.error is not None and "payment_method_id must be one of user bo_fern_2's" in not_theirs.error
    bad_reason = call(workspace, "cancel_pending_order", order_id="#T100", reason="changed my mind")
    assert bad_reason.error == "invalid arguments for `cancel_pending_order`"
    unknown = run_gold_actions(
        workspace, load_tasks_from([{**TASKS[0], "actions": [{"name": "refund_everything", "kwargs": {}}]}])[0]
    )
    assert unknown[0][1].error == "action must be a retail tool, got 'refund_everything'"
    assert workspace.snapshot() == before


def test_modifying_items_charges_the_difference_and_a_short_gift_card_is_refused(workspace: RetailWorkspace) -> None:
    short = call(
        workspace,
        "exchange_delivered_order_items",
        order_id="#T101",
        item_ids=["L-red"],
        new_item_ids=["L-green"],
        payment_method_id="gift_card_11",
    )
    assert short.error == "gift card gift_card_11 must hold at least 65.00 for this, got 40.0"
    modified = call(
        workspace,
        "modify_pending_order_items",
        order_id="#T100",
        item_ids=["L-red"],
        new_item_ids=["L-blue"],
        payment_method_id="gift_card_11",
    )
    assert modified.ok  # 15.50 more fits in the 40.00 balance
    after = workspace.snapshot()
    order = after["orders"]["#T100"]
    assert order["status"] == "pending (item modified)"
    assert [i["item_id"] for i in order["items"]] == ["L-blue", "M-1"]
    assert order["items"][0]["options"] == {"colour": "blue"}
    assert after["users"]["ada_quill_1"]["payment_methods"]["gift_card_11"]["balance"] == 24.5
    workspace.reset()
    same = call(
        workspace,
        "modify_pending_order_items",
        order_id="#T100",
        item_ids=["L-red"],
        new_item_ids=["L-red"],
        payment_method_id="credit_card_12",
    )
    assert same.ok  # as τ-bench's tool: a settlement of 0.0 is still recorded
    assert workspace.snapshot()["orders"]["#T100"]["payment_history"][-1] == {
        "transaction_type": "refund",
        "amount": 0.0,
        "payment_method_id": "credit_card_12",
    }
    workspace.reset()
    switched = call(workspace, "modify_pending_order_payment", order_id="#T100", payment_method_id="credit_card_12")
    assert switched.ok  # the 38.00 paid by gift card goes back onto it
    assert workspace.snapshot()["users"]["ada_quill_1"]["payment_methods"]["gift_card_11"]["balance"] == 78.0


def test_lookups_find_users_and_refuse_unknown_ones(workspace: RetailWorkspace) -> None:
    assert call(workspace, "find_user_id_by_name_zip", first_name="ada", last_name="QUILL", zip="97001").result == (
        "ada_quill_1"
    )
    assert not call(workspace, "find_user_id_by_email", email="nobody@example.test").ok
    assert call(workspace, "list_all_product_types").result == {"Desk Lamp": "P1", "Mug": "P2"}
    assert call(workspace, "get_user_details", user_id="bo_fern_2").result["address"]["zip"] == "97002"
    assert call(workspace, "calculate", expression="(2 + 3) * 4 / 3").result == 6.67
    assert not call(workspace, "calculate", expression="__import__('os')").ok


def test_the_command_replays_and_refuses_a_conversation_without_an_llm(
    data_dir: Path, tmp_path: Path, cadre_home: Path
) -> None:
    runner = CliRunner()
    cli = typer.Typer()
    cli.add_typer(bench_app, name="bench")
    _context.reset()
    args = ["bench", "tau", "--data-dir", str(data_dir), "--work-dir", str(tmp_path / "cli-work"), "--json"]
    replayed = runner.invoke(cli, [*args, "--replay"], catch_exceptions=False)
    assert replayed.exit_code == 0, replayed.output
    figures = json.loads(replayed.stdout)
    assert (figures["tasks"], figures["actions"], figures["action_errors"], figures["outputs_found"]) == (3, 5, 0, 1)
    assert "the benchmark's own copy" in figures["database"]
    refused = runner.invoke(cli, args, catch_exceptions=False)
    assert refused.exit_code == 2
    assert "needs an LLM" in refused.stderr


def _cancelling_agent(reason: str) -> ScriptedChatModel:
    return ScriptedChatModel(
        [
            calling_tools(tool_call("find_user_id_by_email", {"email": "ada.quill@example.test"})),
            calling_tools(tool_call("get_order_details", {"order_id": "#T100"})),
            f"Order #T100 is pending. Shall I cancel it as {reason}?",
            calling_tools(tool_call("cancel_pending_order", {"order_id": "#T100", "reason": reason})),
            "Done: #T100 is cancelled and 38.00 is back on your gift card.",
        ]
    )


def _ada() -> ScriptedChatModel:
    return ScriptedChatModel(
        ["I'm ada.quill@example.test; please cancel #T100, I ordered it by mistake.", "Yes.", STOP]
    )


def test_a_conversation_runs_through_the_deployed_agent_and_passes_when_the_database_matches(
    workspace: RetailWorkspace,
) -> None:
    task = load_tasks_from(TASKS[:1])
    agent, user = _cancelling_agent("ordered by mistake"), _ada()
    report = run_conversations(workspace, task, model=agent, user_model=user)
    figures = report.as_dict()
    assert (figures["agent"], figures["pass_hat"], figures["rewards"]) == ("retail-agent@1", {"1": 1.0}, [[1]])
    first = agent.requests[0]
    # The policy is the topic's instructions in the runtime's prompt, with the retail tools as the topic's actions.
    assert (workspace.data_dir / "wiki.md").read_text().strip() in (first.messages[0].content or "")
    assert "cancel_pending_order" in first.tool_names and len(first.tool_names) == len(RETAIL_ACTIONS.names())
    # Not masked: the e-mail the lookup needs reaches the model as the customer wrote it.
    assert first.messages[-1].content == "I'm ada.quill@example.test; please cancel #T100, I ordered it by mistake."
    # The simulated user is briefed with the task's instruction and hears the agent's replies as the other side.
    assert TASKS[0]["instruction"] in (user.requests[0].messages[0].content or "")
    assert user.requests[1].messages[-1].content == "Order #T100 is pending. Shall I cancel it as ordered by mistake?"
    # The conversation is stored in the workspace like any other, with each turn's actions.
    [[conversation_id]] = figures["conversations"]
    stored = ConversationStore(workspace.database).messages(conversation_id)
    assert [m["role"] for m in stored] == ["customer", "agent", "customer", "agent"]
    assert stored[-1]["text"] == "Done: #T100 is cancelled and 38.00 is back on your gift card."
    writes = [e for e in workspace.data.audit.entries() if e.operation == "write" and e.entity == "Order"]
    assert writes and all(e.principal == "agent:retail-agent" for e in writes)


def test_an_upset_user_asking_for_a_person_stays_with_the_agent_until_it_transfers(
    workspace: RetailWorkspace,
) -> None:
    # Cadre's own hand-off rules would take this conversation from the agent at once; τ-bench leaves the decision
    # to the policy, and the transfer tool ends the conversation.
    agent = ScriptedChatModel(
        [
            "I can help with your order here. What is your e-mail address?",
            calling_tools(tool_call("transfer_to_human_agents", {"summary": "Customer insists on a person."})),
            "You are being transferred to a colleague.",
        ]
    )
    user = ScriptedChatModel(["This is ridiculous, let me talk to a human.", "No, a real person, now."])
    report = run_conversations(workspace, load_tasks_from(TASKS[:1]), model=agent, user_model=user)
    assert report.rewards == [[0]]  # the order was never cancelled
    assert len(user.requests) == 2  # nobody asked the user again after the transfer
    [[conversation_id]] = report.conversations
    replies = [
        m["text"] for m in ConversationStore(workspace.database).messages(conversation_id) if m["role"] == "agent"
    ]
    assert replies == [
        "I can help with your order here. What is your e-mail address?",
        "You are being transferred to a colleague.",
    ]


def test_a_message_the_runtime_refuses_is_bounced_to_the_user_not_the_run(workspace: RetailWorkspace) -> None:
    agent = ScriptedChatModel([])
    user = ScriptedChatModel(["cancel " * 700, STOP])  # over the spec's 4,000 characters
    report = run_conversations(workspace, load_tasks_from(TASKS[:1]), model=agent, user_model=user)
    assert report.rewards == [[0]]
    assert agent.requests == []
    bounced = user.requests[1].messages[-1].content or ""
    assert bounced.startswith("(Your message was not sent: the message must be at most 4,000 characters, got 4,899")


def test_a_conversation_fails_when_the_agent_changes_the_database_differently(workspace: RetailWorkspace) -> None:
    report = run_conversations(
        workspace, load_tasks_from(TASKS[:1]), model=_cancelling_agent("no longer needed"), user_model=_ada()
    )
    assert report.rewards == [[0]]  # cancelled, but for another reason than the gold action's


def test_pass_hat_k_is_the_chance_that_k_drawn_trials_all_pass() -> None:
    report = ConversationReport(tasks=2, trials=3, rewards=[[1, 1, 0], [0, 0, 0]])
    assert report.pass_hat(1) == pytest.approx(1 / 3)
    assert report.pass_hat(2) == pytest.approx(1 / 6)
    assert report.pass_hat(3) == 0.0


def test_the_command_runs_a_conversation_on_the_configured_llm(
    data_dir: Path, tmp_path: Path, cadre_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (data_dir / "tasks_one.json").write_text(json.dumps(TASKS[:1]))
    find = ToolCall("c1", "find_user_id_by_email", json.dumps({"email": "ada.quill@example.test"}))
    cancel = ToolCall("c2", "cancel_pending_order", json.dumps({"order_id": "#T100", "reason": "ordered by mistake"}))
    # One endpoint plays both sides, in turn: the simulated user, then the agent, and so on.
    with FakeOpenAIServer(
        Reply("Please cancel #T100, I ordered it by mistake; I'm ada.quill@example.test."),
        CallTools((find,)),
        Reply("Shall I cancel #T100 as ordered by mistake?"),
        Reply("Yes."),
        CallTools((cancel,)),
        Reply("Cancelled."),
        Reply(STOP),
    ) as server:
        monkeypatch.setenv("CADRE_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("CADRE_LLM_MODEL", "fake-model")
        cli = typer.Typer()
        cli.add_typer(bench_app, name="bench")
        _context.reset()
        args = ["--data-dir", str(data_dir), "--tasks", str(data_dir / "tasks_one.json"), "--work-dir", str(tmp_path)]
        ran = CliRunner().invoke(cli, ["bench", "tau", *args, "--json"], catch_exceptions=False)
        assert ran.exit_code == 0, ran.output
        assert json.loads(ran.stdout)["pass_hat"] == {"1": 1.0}
        assert len(server.requests) == 7


def load_tasks_from(raw: list[dict[str, Any]]) -> list[Any]:
    from cadre.benchmarks.tau_retail.dataset import RetailTask

    return [RetailTask.model_validate(item) for item in raw]
