"""The retail agent as a Cadre agent: its spec (the policy as instructions, the retail tools as actions), deployed
into the benchmark's own workspace, and the runtime that serves it on the `openai` engine."""

from __future__ import annotations

from typing import Any

import yaml

from cadre.agents.runtime import Runtime
from cadre.agents.setup import build_runtime
from cadre.agents.specs import AgentVersions, DeployedAgent
from cadre.benchmarks.tau_retail.tools import RETAIL_ACTIONS
from cadre.benchmarks.tau_retail.workspace import AGENT, PURPOSE, RetailWorkspace
from cadre.engines.llm import LLMEngine
from cadre.engines.model import ChatModel
from cadre.knowledge.service import KnowledgeBase

AGENT_NAME = AGENT.removeprefix("agent:")
SPEC_FILE = "retail-agent.yaml"
ROLE = (
    "You are the customer support agent of an online retail store. You help one authenticated customer per "
    "conversation with their orders, returns, exchanges, address and profile, through your tools, following the "
    "store's policy below to the letter."
)
# τ-bench gives an agent 30 steps for a whole conversation; Cadre counts steps per turn, and its engine re-reads
# orders each turn, so a turn gets the most the spec allows, and the time to take them on a slow endpoint.
MAX_STEPS = 20
TIME_BUDGET_S = 300.0


def agent_spec(policy: str) -> dict[str, Any]:
    """The retail agent's spec, with its guardrails and escalation set for the benchmark (why: each comment)."""
    return {
        "name": AGENT_NAME,
        "description": "τ-bench retail: orders, returns, exchanges and addresses under the store's policy.",
        "role": ROLE,
        "languages": ["en"],  # the tasks and the policy are English
        "channels": ["api"],
        "engine": "openai",
        "model": {"max_steps": MAX_STEPS, "time_budget_s": TIME_BUDGET_S},
        "data": {"purpose": PURPOSE, "entities": ["User", "Order", "Product"]},
        "topics": [
            {
                "name": "retail",
                "description": "A customer's orders, returns, exchanges, default address and profile.",
                "instructions": policy,
                "actions": RETAIL_ACTIONS.names(),
            }
        ],
        "guardrails": {
            # Every identifier of the domain (e-mail, name and zip, user id, addresses, payment method ids) is a
            # tool argument, and the policy makes the agent read details back for an explicit yes: placeholders
            # would measure the PII detector's round trip, not the agent. The people are synthetic. Without
            # masking the runtime also skips the model-side scope check and the scan of tool results for
            # injected instructions: those results are the benchmark's own database rows, which no attacker
            # wrote, and a false alarm would withhold the order the agent must act on.
            "mask_pii": False,
            # The policy is the agent's instructions, not a cited passage: a confirmation question or a policy
            # statement is supported by no tool result, so `revise` would drop it and `handoff` end the task.
            "grounding": "off",
            # Kept: customers' messages are scanned for injected instructions as in production (the
            # default threshold); a refused turn is the agent's loss, as it would be with a real customer.
            "injection_threshold": 0.5,
        },
        "escalation": {
            # τ-bench's policy decides when to hand over (the `transfer_to_human_agents` tool, "if and only if the
            # request cannot be handled"); Cadre's phrase and tone rules would take that decision from it, and its
            # simulated users are sometimes told to be impatient or to ask for a person.
            "on_human_request": False,
            "on_negative_sentiment": False,
            # A tool error (an order not found, an item not available, a short gift card) is part of the task:
            # the agent reads it and carries on. No conversation fails this many times.
            "max_action_failures": 1000,
            # Kept: a turn that runs out of steps without a reply goes to a person, and a governance denial
            # would mean the benchmark's own policies are wrong, which must show.
            "on_policy_block": True,
        },
    }


def deploy_agent(workspace: RetailWorkspace, policy: str) -> DeployedAgent:
    """Write the spec into the workspace and deploy it there (a new version only when it changed)."""
    path = workspace.folder / SPEC_FILE
    header = "# Written by `cadre bench tau`: why each guardrail is set so is in cadre/benchmarks/tau_retail/agent.py\n"
    body = yaml.safe_dump(agent_spec(policy), sort_keys=False, allow_unicode=True, width=120)
    path.write_text(header + body, encoding="utf-8")
    versions = AgentVersions(workspace.database, RETAIL_ACTIONS)
    deployment = versions.deploy(path, deployed_by="benchmark:tau-retail")
    return versions.get(deployment.agent, deployment.version)


def agent_runtime(workspace: RetailWorkspace, model: ChatModel) -> Runtime:
    """The real runtime over the workspace: the retail actions through its governed data, `model` as `openai`."""
    knowledge = KnowledgeBase(workspace.database)
    engines = {"openai": LLMEngine(model, name="openai")}
    return build_runtime(
        workspace.settings, workspace.database, knowledge, data=workspace.data, actions=RETAIL_ACTIONS, engines=engines
    )
