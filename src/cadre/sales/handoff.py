"""Hand a lead to a person: the rep's queue in the agents' hand-off inbox, with a briefing they can act on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cadre.agents.conversations import ConversationStore, FinishedTurn
from cadre.sales.models import Lead, LeadProfile, Qualification
from cadre.sales.store import Meeting
from cadre.store import Database

AGENT = "sdr"
WORKFLOW_VERSION = 0  # conversations the SDR workflow records itself, not a turn of a deployed spec version
ENGINE = "workflow"


def rep_queue(user_id: str | None) -> str:
    """The queue named after the rep who owns the lead; `sales` when nobody does."""
    return f"rep:{user_id}" if user_id else "sales"


@dataclass
class ReplyRecord:
    """One inbound reply as the inbox shows it: what the lead wrote, what the SDR did and answered."""

    lead_id: str | None
    message: str
    language: str | None
    topic: str | None
    reply: str = ""
    actions: list[dict[str, Any]] = field(default_factory=list)
    handoff: dict[str, Any] | None = None  # {"queue", "reason", "summary"}
    profile: dict[str, Any] | None = None


def record_reply(db: Database, record: ReplyRecord) -> str:
    """Store the reply as a conversation turn of the `sdr` agent and open its hand-off; the conversation id."""
    conversations = ConversationStore(db)
    principal = f"lead:{record.lead_id}" if record.lead_id else "anonymous"
    conversation = conversations.open(
        None, agent=AGENT, agent_version=WORKFLOW_VERSION, channel="email", principal=principal
    )
    conversation.language = record.language
    turn_id = conversations.start_turn(conversation, record.message, channel="email", engine=ENGINE)
    outcome = "handed_off" if record.handoff else "answered"
    conversations.finish_turn(
        conversation,
        turn_id,
        FinishedTurn(
            reply=record.reply,
            language=record.language,
            topic=record.topic,
            outcome=outcome,
            actions=record.actions,
            citations=[],
            guardrails=[],
            handoff=record.handoff,
            latency_ms=0.0,
            input_tokens=0,
            output_tokens=0,
            cost_usd=0.0,
            engine=ENGINE,
        ),
        channel="email",
    )
    if record.handoff:
        conversations.open_handoff(
            conversation,
            turn_id,
            queue=record.handoff["queue"],
            reason=record.handoff["reason"],
            summary=record.handoff["summary"],
            profile=record.profile,
            tried=[str(a.get("name")) for a in record.actions],
        )
    return conversation.id


def briefing(
    profile: LeadProfile,
    graded: Qualification | None,
    *,
    wrote: str,
    language: str,
    classification: str | None,
    meeting: Meeting | None = None,
    note: str | None = None,
) -> str:
    """What the rep reads first: who, how qualified and why, what they asked about and did, what they wrote."""
    lead = profile.lead
    lines = [f"{lead.full_name}, {lead.title or 'title unknown'} at {lead.company} ({lead.lead_id})."]
    firm = [x for x in (lead.industry, f"{lead.employees} employees" if lead.employees else None, lead.country) if x]
    if firm:
        lines.append("Company: " + ", ".join(firm) + ".")
    if graded is not None:
        lines.append(f"Qualification: {graded.score}/100 (grade {graded.grade}); " + "; ".join(graded.reasons) + ".")
    if profile.product is not None:
        lines.append(f"Interested in: {profile.product.name}.")
    activity = profile.last_activity()
    if activity is not None:
        lines.append(f"Latest activity: {activity.kind} “{activity.what}” on {activity.at.date().isoformat()}.")
    if profile.similar_customers:
        lines.append("Similar customers: " + ", ".join(profile.similar_customers) + ".")
    lines.append(f"Reply ({classification or 'unclassified'}, language {language}): “{_clip(wrote)}”.")
    if meeting is not None:
        lines.append(f"Meeting proposed: {meeting.starts_at.isoformat()} to {meeting.ends_at.isoformat()} (UTC).")
    if note:
        lines.append(note)
    return "\n".join(lines)


def profile_card(lead: Lead) -> dict[str, Any]:
    """The lead's own fields, shown beside the hand-off (the SDR read them under its policy)."""
    return {
        "profile_id": lead.lead_id,
        "fields": {
            "full_name": lead.full_name,
            "email": lead.email,
            "company": lead.company,
            "title": lead.title,
            "language": lead.language,
            "time_zone": lead.time_zone,
        },
        "withheld": [],
    }


def _clip(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
