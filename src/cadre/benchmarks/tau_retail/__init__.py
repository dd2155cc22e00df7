"""The τ-bench retail domain in a Cadre workspace: its database as a governed source, its tools as actions."""

from cadre.benchmarks.tau_retail.conversation import ConversationReport, run_conversations
from cadre.benchmarks.tau_retail.dataset import RetailTask, TaskAction, load_tasks
from cadre.benchmarks.tau_retail.replay import ReplayReport, replay_tasks
from cadre.benchmarks.tau_retail.tools import RETAIL_ACTIONS
from cadre.benchmarks.tau_retail.workspace import RetailWorkspace

__all__ = [
    "RETAIL_ACTIONS",
    "ConversationReport",
    "ReplayReport",
    "RetailTask",
    "RetailWorkspace",
    "TaskAction",
    "load_tasks",
    "replay_tasks",
    "run_conversations",
]
