"""Full mode: an LLM-simulated user talks to the retail agent deployed in the workspace, turn by turn through
Cadre's runtime; scored as τ-bench scores it (final database and expected outputs), pass^k over trials."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import comb
from pathlib import Path
from typing import Any

from cadre.agents.runtime import Runtime, TurnRequest, TurnResult
from cadre.benchmarks.tau_retail.agent import AGENT_NAME, agent_runtime, deploy_agent
from cadre.benchmarks.tau_retail.dataset import RetailTask
from cadre.benchmarks.tau_retail.replay import outputs_in, run_gold_actions
from cadre.benchmarks.tau_retail.workspace import RetailWorkspace
from cadre.engines.messages import ChatMessage
from cadre.engines.model import ChatModel
from cadre.guardrails.limits import InputRejected

STOP = "###STOP###"
GREETING = "Hi! How can I help you today?"
USER_BRIEF = (
    "You are playing a customer who writes to an online shop's support agent. Your situation and goal:\n\n"
    "{instruction}\n\n"
    "Write one short message at a time, as the customer would, revealing only what the agent needs to know "
    "when it asks. Do not invent details that your situation does not give. When your goal is met, or "
    f"cannot be met, write only {STOP}."
)


TRANSFER = "transfer_to_human_agents"  # τ-bench ends a conversation when the agent calls it


@dataclass
class ConversationReport:
    tasks: int
    trials: int
    agent: str = ""  # the deployed agent and version that ran, as `name@version`
    rewards: list[list[int]] = field(default_factory=list)  # per task, 1 or 0 per trial
    conversations: list[list[str]] = field(default_factory=list)  # per task, the stored conversation of each trial

    def pass_hat(self, k: int) -> float:
        """pass^k: the chance that k trials of a task, drawn from its n, all succeed; averaged over tasks."""
        if not self.rewards:
            return 0.0
        return sum(comb(sum(r), k) / comb(len(r), k) for r in self.rewards) / len(self.rewards)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tasks": self.tasks,
            "trials": self.trials,
            "agent": self.agent,
            "pass_hat": {str(k): round(self.pass_hat(k), 4) for k in range(1, self.trials + 1)},
            "rewards": self.rewards,
            "conversations": self.conversations,
        }


def _simulated_user_says(user_model: ChatModel, instruction: str, transcript: list[tuple[str, str]]) -> str:
    # The user model sees the conversation from its side: the agent's lines are what it is told.
    messages = [ChatMessage.system(USER_BRIEF.format(instruction=instruction))]
    for speaker, text in transcript:
        messages.append(ChatMessage.user(text) if speaker == "agent" else ChatMessage.assistant(text))
    return (user_model.complete(messages).content or "").strip()


def _ends(result: TurnResult) -> bool:
    """A hand-off ends the conversation for the agent, as τ-bench's transfer tool ends it."""
    return result.outcome == "handed_off" or any(a["name"] == TRANSFER and a["ok"] for a in result.actions)


def converse(
    runtime: Runtime, workspace: RetailWorkspace, task: RetailTask, *, user_model: ChatModel, max_turns: int = 30
) -> tuple[str | None, list[str]]:
    """One conversation from a fresh database: its stored id and the agent's replies (the database keeps what its
    actions did)."""
    workspace.reset()
    transcript: list[tuple[str, str]] = [("agent", GREETING)]
    conversation_id: str | None = None
    replies: list[str] = []
    for _ in range(max_turns):
        said = _simulated_user_says(user_model, task.instruction, transcript)
        if not said or STOP in said:
            break
        transcript.append(("user", said))
        try:
            result = runtime.run_turn(TurnRequest(agent=AGENT_NAME, message=said, conversation_id=conversation_id))
        except InputRejected as exc:
            # As a chat channel does: the sender is told why the message was not sent, and may send another.
            transcript.append(("agent", f"(Your message was not sent: {exc.one_line()})"))
            continue
        conversation_id = result.conversation_id
        replies.append(result.reply)
        transcript.append(("agent", result.reply))
        if _ends(result):
            break
    return conversation_id, replies


def run_conversations(
    workspace: RetailWorkspace,
    tasks: Sequence[RetailTask],
    *,
    model: ChatModel,
    user_model: ChatModel | None = None,
    trials: int = 1,
    policy_file: Path | None = None,
) -> ConversationReport:
    """Deploy the retail agent (the policy as its instructions) into the workspace, then run each task `trials`
    times; a trial passes when the database equals the gold replay's and every expected output appears in the
    agent's replies."""
    policy = (policy_file or workspace.data_dir / "wiki.md").read_text(encoding="utf-8")
    deployed = deploy_agent(workspace, policy)
    runtime = agent_runtime(workspace, model)
    report = ConversationReport(tasks=len(tasks), trials=trials, agent=f"{deployed.spec.name}@{deployed.version}")
    for task in tasks:
        run_gold_actions(workspace, task)
        expected = workspace.snapshot()
        rewards: list[int] = []
        conversations: list[str] = []
        for _ in range(trials):
            conversation_id, replies = converse(runtime, workspace, task, user_model=user_model or model)
            same = workspace.snapshot() == expected
            rewards.append(int(same and outputs_in(task.outputs, replies) == len(task.outputs)))
            conversations.append(conversation_id or "")
        report.rewards.append(rewards)
        report.conversations.append(conversations)
    return report
