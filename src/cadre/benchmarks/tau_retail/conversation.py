"""Full mode: an LLM-simulated user talks to a tool-calling agent under the retail policy; scored like τ-bench."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from math import comb
from pathlib import Path
from typing import Any

from cadre.agents.actions import ActionRegistry
from cadre.benchmarks.tau_retail.dataset import RetailTask
from cadre.benchmarks.tau_retail.replay import outputs_in, run_gold_actions
from cadre.benchmarks.tau_retail.tools import RETAIL_ACTIONS
from cadre.benchmarks.tau_retail.workspace import RetailWorkspace
from cadre.engines.loop import ToolOutcome, run_tool_loop
from cadre.engines.messages import ChatMessage, ToolCall, ToolDefinition
from cadre.engines.model import ChatModel

STOP = "###STOP###"
GREETING = "Hi! How can I help you today?"
USER_BRIEF = (
    "You are playing a customer who writes to an online shop's support agent. Your situation and goal:\n\n"
    "{instruction}\n\n"
    "Write one short message at a time, as the customer would, revealing only what the agent needs to know "
    "when it asks. Do not invent details that your situation does not give. When your goal is met, or "
    f"cannot be met, write only {STOP}."
)


@dataclass
class ConversationReport:
    tasks: int
    trials: int
    rewards: list[list[int]] = field(default_factory=list)  # per task, 1 or 0 per trial

    def pass_hat(self, k: int) -> float:
        """pass^k: the chance that k trials of a task, drawn from its n, all succeed; averaged over tasks."""
        if not self.rewards:
            return 0.0
        return sum(comb(sum(r), k) / comb(len(r), k) for r in self.rewards) / len(self.rewards)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tasks": self.tasks,
            "trials": self.trials,
            "pass_hat": {str(k): round(self.pass_hat(k), 4) for k in range(1, self.trials + 1)},
            "rewards": self.rewards,
        }


def tool_definitions(registry: ActionRegistry = RETAIL_ACTIONS) -> list[ToolDefinition]:
    actions = [registry.get(name) for name in registry.names()]
    return [ToolDefinition(a.name, a.description, a.json_schema()) for a in actions]


def _simulated_user_says(user_model: ChatModel, instruction: str, transcript: list[tuple[str, str]]) -> str:
    # The user model sees the conversation from its side: the agent's lines are what it is told.
    messages = [ChatMessage.system(USER_BRIEF.format(instruction=instruction))]
    for speaker, text in transcript:
        messages.append(ChatMessage.user(text) if speaker == "agent" else ChatMessage.assistant(text))
    return (user_model.complete(messages).content or "").strip()


def converse(
    workspace: RetailWorkspace,
    task: RetailTask,
    *,
    model: ChatModel,
    user_model: ChatModel,
    policy: str,
    max_turns: int = 30,
) -> list[str]:
    """One conversation from a fresh database; the agent's replies (the database keeps what its actions did)."""
    workspace.reset()
    context = workspace.context()
    tools = tool_definitions()

    def run_tool(call: ToolCall) -> ToolOutcome:
        outcome = RETAIL_ACTIONS.get(call.name).call(context, json.loads(call.arguments))
        return ToolOutcome(ok=outcome.ok, content=outcome.for_model())

    transcript: list[tuple[str, str]] = [("agent", GREETING)]
    messages = [ChatMessage.system(policy), ChatMessage.assistant(GREETING)]
    replies: list[str] = []
    for _ in range(max_turns):
        said = _simulated_user_says(user_model, task.instruction, transcript)
        if not said or STOP in said:
            break
        transcript.append(("user", said))
        turn = run_tool_loop(model, [*messages, ChatMessage.user(said)], tools=tools, run_tool=run_tool, max_steps=10)
        messages = turn.messages
        reply = turn.reply or ""
        replies.append(reply)
        transcript.append(("agent", reply))
    return replies


def run_conversations(
    workspace: RetailWorkspace,
    tasks: Sequence[RetailTask],
    *,
    model: ChatModel,
    user_model: ChatModel | None = None,
    trials: int = 1,
    policy_file: Path | None = None,
) -> ConversationReport:
    """Each task `trials` times; a trial passes when the database equals the gold replay's and every expected
    output appears in the agent's replies."""
    policy = (policy_file or workspace.data_dir / "wiki.md").read_text(encoding="utf-8")
    report = ConversationReport(tasks=len(tasks), trials=trials)
    for task in tasks:
        run_gold_actions(workspace, task)
        expected = workspace.snapshot()
        rewards: list[int] = []
        for _ in range(trials):
            replies = converse(workspace, task, model=model, user_model=user_model or model, policy=policy)
            same = workspace.snapshot() == expected
            rewards.append(int(same and outputs_in(task.outputs, replies) == len(task.outputs)))
        report.rewards.append(rewards)
    return report
