"""One SDR pass: qualify every open lead, send the touches that are due and may go out now, measure coverage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cadre.sales.crm import set_lead_status
from cadre.sales.mail import message_id
from cadre.sales.models import Lead, LeadProfile
from cadre.sales.outbox import deliver
from cadre.sales.personalise import first_touch, follow_up, language_of
from cadre.sales.qualify import qualify

if TYPE_CHECKING:
    from cadre.sales.service import SalesService


@dataclass
class _Tally:
    touched: list[str] = field(default_factory=list)
    first_touches: int = 0
    follow_ups: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    waiting: list[dict[str, str]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    qualified: list[dict[str, Any]] = field(default_factory=list)
    crm_updates: int = 0
    emails: list[dict[str, Any]] = field(default_factory=list)  # what went out, with the facts each one used


def touch_key(lead_id: str, step: int) -> str:
    return f"{lead_id}:touch:{step}"


def run_pass(service: SalesService, *, now: datetime) -> dict[str, Any]:
    """Every open lead, at `now`: skipped with a reason, waiting (not due, quiet hours, snoozed) or touched.

    Running twice at the same `now` sends nothing twice: each touch is stored under its lead and step before it is
    sent, and a sent touch is never sent again."""
    leads = service.reads.open_leads()
    tally = _Tally()
    resent = _retry_replies(service, now, tally)
    reachable = [lead for lead in leads if lead.email]
    for lead in leads:
        if not lead.email:
            tally.skipped.append({"lead_id": lead.lead_id, "reason": "no e-mail address"})
    for profile in service.reads.profiles(reachable):
        _work_lead(service, profile, now, tally)
    first_run = service.store.first_run_at()
    coverage = _coverage(service, reachable, tally, now=now, first_run=min(first_run or now, now))
    report = {
        "now": now.isoformat(),
        "open_leads": len(leads),
        "leads_touched": len(tally.touched),
        "emails_sent": tally.first_touches + tally.follow_ups,
        "first_touches": tally.first_touches,
        "follow_ups": tally.follow_ups,
        "replies": service.store.count_replies(),
        "meetings_booked": service.store.count_meetings(),
        "skipped": tally.skipped,
        "skipped_count": len(tally.skipped),
        "waiting": tally.waiting,
        "failed": tally.failed,
        "replies_resent": resent,
        "crm_updates": tally.crm_updates,
        "coverage": coverage,
        "emails": tally.emails,
        "qualification": tally.qualified,
    }
    service.store.record_run(now, {k: v for k, v in report.items() if k not in ("qualification", "emails")})
    return report


def _retry_replies(service: SalesService, now: datetime, tally: _Tally) -> int:
    """Answers and invitations the server refused earlier (touches are retried by their lead's turn below)."""
    resent = 0
    for message in service.store.unsent():
        if message.kind == "touch":
            continue
        references = [message.in_reply_to] if message.in_reply_to else []
        error = deliver(
            service.store,
            service.mailer,
            message,
            sender=service.sender,
            now=now,
            references=references,
            events=service.events,
        )
        if error is None:
            resent += 1
        else:
            tally.failed.append({"lead_id": message.lead_id, "error": error})
    return resent


def _work_lead(service: SalesService, profile: LeadProfile, now: datetime, tally: _Tally) -> None:
    lead = profile.lead
    graded = qualify(profile, now=now)
    tally.qualified.append(
        {"lead_id": lead.lead_id, "score": graded.score, "grade": graded.grade, "reasons": graded.reasons}
    )
    # Campaign tools already told us this address is dead or does not want mail: writing anyway would be spam.
    for event, reason in (("unsubscribe", "unsubscribed from marketing e-mail"), ("bounce", "address bounced")):
        if profile.has_event(event):
            tally.skipped.append({"lead_id": lead.lead_id, "reason": reason})
            return
    store = service.store
    store.start_sequence(
        lead.lead_id, score=graded.score, reasons=graded.reasons, language=language_of(profile), now=now
    )
    sequence = store.sequence(lead.lead_id)
    assert sequence is not None
    if sequence.status in ("stopped", "booked"):
        tally.skipped.append(
            {
                "lead_id": lead.lead_id,
                "reason": f"sequence {sequence.status}: {sequence.stop_reason or sequence.status}",
            }
        )
        return
    if sequence.status == "snoozed" and sequence.snoozed_until and sequence.snoozed_until > now:
        tally.waiting.append(
            {"lead_id": lead.lead_id, "reason": "snoozed", "until": sequence.snoozed_until.isoformat()}
        )
        return
    sent = [m for m in store.messages_of(lead.lead_id) if m.kind == "touch" and m.status == "sent"]
    step = len(sent)
    first = next((m for m in sent if m.step == 0), None)
    due = service.cadence.due_at(step, created_at=lead.created_at, first_sent_at=first.sent_at if first else None)
    if due is None:
        tally.waiting.append({"lead_id": lead.lead_id, "reason": "sequence complete"})
        return
    if sequence.snoozed_until is not None:  # a snooze that ended pushes the next touch to its end at least
        due = max(due, sequence.snoozed_until)
    if due > now:
        tally.waiting.append({"lead_id": lead.lead_id, "reason": f"touch {step} not due", "until": due.isoformat()})
        return
    if service.cadence.is_quiet(now, lead.time_zone):
        morning = service.cadence.next_send_time(now, lead.time_zone)
        tally.waiting.append({"lead_id": lead.lead_id, "reason": "quiet hours", "until": morning.isoformat()})
        return
    assert lead.email is not None
    if step == 0:
        draft = first_touch(profile, now=now, sender=service.signature)
        in_reply_to, references = None, []
    else:
        assert first is not None
        draft = follow_up(profile, step=step, first_subject=first.subject, sender=service.signature)
        in_reply_to, references = sent[-1].message_id, [m.message_id for m in sent]
    key = touch_key(lead.lead_id, step)
    message = store.queue(
        {
            "key": key,
            "lead_id": lead.lead_id,
            "kind": "touch",
            "step": step,
            "message_id": message_id(key, service.sender),
            "in_reply_to": in_reply_to,
            "to_addr": lead.email,
            "subject": draft.subject,
            "body": draft.body,
            "language": draft.language,
            "facts": draft.facts,
            "due_at": due,
        },
        now=now,
    )
    error = deliver(
        store, service.mailer, message, sender=service.sender, now=now, references=references, events=service.events
    )
    if error is not None:
        tally.failed.append({"lead_id": lead.lead_id, "error": error})
        return
    if sequence.status == "snoozed":
        store.set_status(lead.lead_id, "active", now=now)
    tally.touched.append(lead.lead_id)
    tally.emails.append(
        {
            "lead_id": lead.lead_id,
            "step": step,
            "language": draft.language,
            "subject": draft.subject,
            "facts": draft.facts,
        }
    )
    if step == 0 and lead.status == "new":
        refused = set_lead_status(service.data, lead.lead_id, "working", now=now)
        tally.crm_updates += refused is None
    if step == 0:
        tally.first_touches += 1
    else:
        tally.follow_ups += 1


def _coverage(
    service: SalesService, leads: list[Lead], tally: _Tally, *, now: datetime, first_run: datetime
) -> dict[str, Any]:
    """Share of reachable open leads first touched within the SLA of their creation (or of the first run, for
    leads older than that). A lead still inside its window and not yet touched is pending, not missed."""
    sla = timedelta(hours=service.settings.sales_sla_hours)
    excluded = {s["lead_id"] for s in tally.skipped}
    touched = service.store.first_touches()
    covered, missed, pending = [], [], []
    for lead in leads:
        if lead.lead_id in excluded and lead.lead_id not in touched:
            continue
        deadline = max(lead.created_at, first_run) + sla
        sent = touched.get(lead.lead_id)
        if sent is not None and sent <= deadline:
            covered.append(lead.lead_id)
        elif sent is None and deadline > now:
            pending.append(lead.lead_id)
        else:
            missed.append(lead.lead_id)
    judged = len(covered) + len(missed)
    return {
        "sla_hours": service.settings.sales_sla_hours,
        "eligible": len(covered) + len(missed) + len(pending),
        "covered": len(covered),
        "missed": missed,
        "pending": pending,
        "share": round(len(covered) / judged, 4) if judged else None,
    }
