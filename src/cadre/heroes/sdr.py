"""The SDR agent's actions: what it does about a lead's reply when the reply arrives as a turn (e-mail channel,
API) - book a meeting with the lead's rep, pause for "not now" or an out-of-office, unsubscribe, ask for the right
contact. Questions are answered by the runtime from the sales collateral, with citations.

They share `cadre.sales.acts` with the inbound e-mail workflow (`cadre sales inbound`), so a reply is handled the
same way whichever door it comes through. The lead is the conversation's principal, `lead:<lead id>`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from cadre.agents.actions import ActionContext, ActionRegistry, Slot, build_action
from cadre.errors import CadreError
from cadre.sales import acts
from cadre.sales._replies import reply_text
from cadre.sales.crm import set_lead_status
from cadre.sales.dates import named_date
from cadre.sales.handoff import briefing, rep_queue
from cadre.sales.mail import SmtpMailer
from cadre.sales.models import Lead
from cadre.sales.qualify import qualify
from cadre.sales.service import SalesService

PURPOSE = "prospecting"
LEAD_PREFIX = "lead:"


class NotALead(CadreError):
    """The conversation is not with a known lead, so there is nobody to book, pause or unsubscribe."""


def _service(ctx: ActionContext) -> SalesService:
    data = ctx.service("data")
    knowledge = ctx.services.get("knowledge")
    # A turn must not wait on SMTP backoff: a refused message stays unsent and the next `cadre sales run` sends it.
    mailer = SmtpMailer.from_settings(data.settings)
    mailer.retries = 0
    return SalesService(data.settings, data.db, data, mailer, knowledge)


def _lead(ctx: ActionContext, service: SalesService) -> Lead:
    if not ctx.principal.startswith(LEAD_PREFIX):
        raise NotALead(f"the conversation's principal must be `lead:<lead id>`, got {ctx.principal!r}")
    return service.reads.lead(ctx.principal.removeprefix(LEAD_PREFIX))


def _thread(ctx: ActionContext) -> acts.Thread:
    # One invitation per conversation: asking twice in the same conversation books and sends once.
    return acts.Thread(key=ctx.conversation_id, subject="Halyard Cloud")


def _named(text: str, lead: Lead, now: datetime) -> datetime | None:
    found = named_date(text, today=now.date(), month_first=lead.country in ("US", "CA"))
    return datetime.combine(found, datetime.min.time(), tzinfo=now.tzinfo) if found else None


def book_meeting(ctx: ActionContext, reply: Annotated[str, Slot("text")]) -> dict[str, Any]:
    """Book a meeting with the lead's sales rep: propose free times and send a calendar invitation."""
    service = _service(ctx)
    lead = _lead(ctx, service)
    result = acts.book_meeting(service, lead, now=ctx.now, thread=_thread(ctx), language=ctx.language)
    booked = result["outcome"] == "meeting_booked"
    service.store.set_status(lead.lead_id, "booked" if booked else "stopped", now=ctx.now, reason=result["outcome"])
    if result.get("already"):
        return result
    if booked:
        result["crm_error"] = set_lead_status(service.data, lead.lead_id, "qualified", now=ctx.now)
    # The rep (or, when the rep's calendar is full, the rep's manager) takes it from here, briefing first.
    profile = service.reads.profiles([lead])[0]
    note = None if booked else "No free slot in the next two weeks: please propose times to the lead yourself."
    summary = briefing(
        profile,
        qualify(profile, now=ctx.now),
        wrote=reply,
        language=ctx.language,
        classification="interested",
        meeting=service.store.meeting_of_lead(lead.lead_id),
        note=note,
    )
    owner = lead.owner_id if booked else (result.get("manager") or lead.owner_id)
    ctx.refer(rep_queue(owner), reason=str(result["outcome"]), summary=summary)
    return result


def pause_outreach(ctx: ActionContext, reply: Annotated[str, Slot("text")]) -> dict[str, Any]:
    """Pause the outreach because the lead says not now: follow up later, after the date or period they name."""
    service = _service(ctx)
    lead = _lead(ctx, service)
    until = acts.resume_at(
        _named(reply, lead, ctx.now),
        now=ctx.now,
        time_zone=lead.time_zone,
        default_days=acts.NOT_NOW_DAYS,
        day_after=False,
    )
    result = acts.snooze(service, lead, until=until, now=ctx.now, reason="not_now")
    day = acts.local_day(until, lead.time_zone)
    result["message"] = reply_text(ctx.language, "not_now", first=lead.first_name, full=lead.full_name, date=day)
    return result


def note_away(ctx: ActionContext, reply: Annotated[str, Slot("text")]) -> dict[str, Any]:
    """The lead is out of the office or on leave: wait until they are back, then resume the follow-ups."""
    service = _service(ctx)
    lead = _lead(ctx, service)
    named = _named(reply, lead, ctx.now)
    until = acts.resume_at(
        named, now=ctx.now, time_zone=lead.time_zone, default_days=acts.OUT_OF_OFFICE_DAYS, day_after=True
    )
    result = acts.snooze(service, lead, until=until, now=ctx.now, reason="out_of_office")
    back = acts.local_day(until, lead.time_zone)
    result["message"] = reply_text(ctx.language, "away_noted", date=back)
    return result


def unsubscribe(ctx: ActionContext) -> dict[str, Any]:
    """Stop every e-mail to the lead: they asked to unsubscribe, to be removed, or are not interested."""
    service = _service(ctx)
    lead = _lead(ctx, service)
    result = acts.unsubscribe(service, lead, now=ctx.now)
    result["message"] = reply_text(ctx.language, "unsubscribed", first=lead.first_name, full=lead.full_name)
    return result


def ask_for_contact(ctx: ActionContext, reply: Annotated[str, Slot("text")]) -> dict[str, Any]:
    """The lead is the wrong person: thank them for a colleague they named, or ask who the right contact is."""
    service = _service(ctx)
    lead = _lead(ctx, service)
    # The agent's reply is the answer here (the channel delivers it): no separate e-mail.
    return acts.ask_for_right_contact(service, lead, reply, now=ctx.now, thread=None, language=ctx.language)


def register(registry: ActionRegistry) -> None:
    for action in (book_meeting, pause_outreach, note_away, unsubscribe, ask_for_contact):
        registry.add(build_action(action, purpose=PURPOSE))
