"""The τ-bench retail domain in a Cadre workspace: its database as a governed source, its tools as actions, and
its agent as a deployed Cadre agent."""

from cadre.benchmarks.tau_retail.agent import AGENT_NAME, agent_runtime, agent_spec, deploy_agent
from cadre.benchmarks.tau_retail.conversation import ConversationReport, run_conversations
from cadre.benchmarks.tau_retail.dataset import RetailTask, TaskAction, load_tasks
from cadre.benchmarks.tau_retail.replay import ReplayReport, replay_tasks
from cadre.benchmarks.tau_retail.tools import RETAIL_ACTIONS
from cadre.benchmarks.tau_retail.workspace import RetailWorkspace

__all__ = [
    "AGENT_NAME",
    "RETAIL_ACTIONS",
    "ConversationReport",
    "ReplayReport",
    "RetailTask",
    "RetailWorkspace",
    "TaskAction",
    "agent_runtime",
    "agent_spec",
    "deploy_agent",
    "load_tasks",
    "replay_tasks",
    "run_conversations",
]
