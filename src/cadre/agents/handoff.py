"""When a conversation goes to a human, and the summary that human reads first.

Rules, in order: the customer asks for a person; a guardrail or governance policy blocks the turn; the customer
is angry; actions keep failing; the agent has been unsure for several turns in a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from cadre.agents.models import Escalation

HandoffReason = Literal[
    "human_requested",
    "policy_block",
    "negative_sentiment",
    "action_failures",
    "low_confidence",
    "ungrounded",
    "engine_unavailable",
    "agent_killed",  # the agent's kill switch is on: every message goes to a person
]

# Asking for a person, in the agents' languages. Whole phrases, so "human resources" or "agent pricing" don't count.
_HUMAN = re.compile(
    r"\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|some\s*one|your\s+)?(?:human|person|real person|agent|"
    r"representative|someone|operator)\b|\b(?:real|live)\s+(?:person|human|agent)\b|\bhuman\s+(?:agent|please)\b"
    r"|\bneed\s+(?:a|an)\s+(?:human|person|real person|agent)\b"
    r"|\bcall\s+me\s+back\b|\bput\s+me\s+through\b|\btransfer\s+me\s+to\b|\b(?:a|an)\s+(?:human|person)\s+from\s+your\b"
    r"|\bayuda\s+de\s+(?:un|una)\s+(?:agente|persona)\b|\bbesoin\s+d.un\s+(?:humain|conseiller)\b"
    r"|\bhablar\s+con\s+(?:una\s+persona|un\s+humano|un\s+agente|alguien)\b|\bagente\s+humano\b"
    r"|\bparler\s+à\s+(?:un\s+humain|une\s+personne|un\s+conseiller|quelqu.un)\b|\bconseiller\s+humain\b"
    r"|\bmit\s+(?:einem\s+)?(?:menschen|mitarbeiter|berater|einer\s+person)\s+(?:sprechen|reden)\b"
    r"|\bparlare\s+con\s+(?:un\s+operatore|una\s+persona|un\s+umano|qualcuno)\b|\boperatore\s+umano\b"
    r"|\bfalar\s+com\s+(?:um\s+humano|uma\s+pessoa|um\s+atendente|algu[eé]m)\b|\batendente\s+humano\b"
    r"|(?:担当者|オペレーター|人間|スタッフ)(?:と|に)(?:話|つな|代わ|替わ)",
    re.IGNORECASE,
)

# Strong signals only: one of these is enough to bring a human in before the customer gives up.
_ANGRY = re.compile(
    r"\b(?:unacceptable|ridiculous|useless|terrible service|worst|furious|scam|rip[- ]?off|fed up|sick of|"
    r"inaceptable|ridículo|inútil|harto|estafa|pésimo|inadmissible|scandaleux|nul|arnaque|j.en ai marre|"
    r"unverschämt|inakzeptabel|nutzlos|frechheit|betrug|schrecklich|inaccettabile|vergognoso|inutile|truffa|"
    r"pessimo|inaceitável|ridículo|péssimo|absurdo|golpe)\b|最悪|ふざけ|ひどすぎ|いい加減にして|詐欺",
    re.IGNORECASE,
)


def asks_for_human(text: str) -> bool:
    return _HUMAN.search(text) is not None


def is_negative(text: str) -> bool:
    return _ANGRY.search(text) is not None


@dataclass
class HandoffDecision:
    reason: HandoffReason
    queue: str


@dataclass
class Signals:
    """What the runtime observed in this turn, for the hand-off rules."""

    message: str
    policy_blocked: bool = False
    low_confidence: bool = False
    action_failures: int = 0  # in this turn
    engine_wants: HandoffReason | None = None  # a reason the engine gave


@dataclass
class HandoffCounters:
    """Kept in the conversation's state between turns."""

    low_confidence_streak: int = 0
    action_failures: int = 0


def decide_handoff(rules: Escalation, signals: Signals, counters: HandoffCounters) -> HandoffDecision | None:
    counters.action_failures += signals.action_failures
    counters.low_confidence_streak = counters.low_confidence_streak + 1 if signals.low_confidence else 0
    queue = rules.queue
    if rules.on_human_request and asks_for_human(signals.message):
        return HandoffDecision("human_requested", queue)
    if rules.on_policy_block and signals.policy_blocked:
        return HandoffDecision("policy_block", queue)
    if rules.on_negative_sentiment and is_negative(signals.message):
        return HandoffDecision("negative_sentiment", queue)
    if counters.action_failures >= rules.max_action_failures:
        return HandoffDecision("action_failures", queue)
    if counters.low_confidence_streak >= rules.low_confidence_turns:
        return HandoffDecision("low_confidence", queue)
    if signals.engine_wants:
        return HandoffDecision(signals.engine_wants, queue)
    return None


def handoff_summary(
    *, reason: HandoffReason, topic: str | None, language: str, transcript: list[tuple[str, str]], tried: list[str]
) -> str:
    """A few lines a human can read in ten seconds: why, about what, in which language, what was tried."""
    customer_lines = [text for role, text in transcript if role == "customer"]
    lines = [
        f"Reason: {reason.replace('_', ' ')}.",
        f"Topic: {topic or 'not identified'}; language: {language}.",
    ]
    if customer_lines:
        first = customer_lines[0]
        lines.append(f"Customer first wrote: “{_clip(first)}”.")
        if len(customer_lines) > 1:
            lines.append(f"Latest message: “{_clip(customer_lines[-1])}”.")
    lines.append("Tried: " + ("; ".join(tried) if tried else "nothing yet") + ".")
    return "\n".join(lines)


def _clip(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
