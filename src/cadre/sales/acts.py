"""What the SDR does about a lead's reply: book, answer, snooze, unsubscribe, ask for the right contact.

Each act is idempotent per reply (`Thread.key`): the e-mail it sends is stored under that key first, so handling
the same reply twice neither books twice nor writes twice. The inbound path and the `sdr` agent's actions share
these functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from cadre.engines.offline import excerpt
from cadre.errors import CadreError
from cadre.observability.events import Event, person_digest
from cadre.sales._replies import reply_text
from cadre.sales.booking import free_slots
from cadre.sales.cadence import zone
from cadre.sales.handoff import AGENT
from cadre.sales.invite import meeting_invite
from cadre.sales.mail import address_of, message_id, name_of
from cadre.sales.models import Lead
from cadre.sales.outbox import deliver
from cadre.sales.personalise import lead_language
from cadre.sales.store import Meeting

if TYPE_CHECKING:
    from cadre.sales.service import SalesService

NOT_NOW_DAYS = 60  # a "not now" without a date comes back after about a quarter's planning cycle
OUT_OF_OFFICE_DAYS = 7  # an out-of-office without a return date is retried a week later
ANSWER_SIMILARITY = 0.84  # question-passage cosine above which a passage answers the question (multilingual-e5)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Thread:
    """Which reply an act answers: its key (idempotence), threading headers and subject."""

    key: str
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    subject: str = ""


def _send(
    service: SalesService,
    lead: Lead,
    kind: str,
    thread: Thread,
    body: str,
    *,
    now: datetime,
    language: str,
    cc: list[str] | None = None,
    calendar: bytes | None = None,
) -> dict[str, Any]:
    if not lead.email:
        raise CadreError(f"lead {lead.lead_id} must have an e-mail address to be answered, got none")
    key = f"{lead.lead_id}:{kind}:{thread.key}"
    subject = thread.subject if thread.subject.lower().startswith(("re:", "aw:", "r:")) else f"Re: {thread.subject}"
    message = service.store.queue(
        {
            "key": key,
            "lead_id": lead.lead_id,
            "kind": kind,
            "step": 0,
            "message_id": message_id(key, service.sender),
            "in_reply_to": thread.in_reply_to,
            "to_addr": lead.email,
            "subject": subject if thread.subject else "Halyard Cloud",
            "body": body,
            "language": language,
            "facts": [],
            "due_at": now,
            "cc": cc or [],
            "calendar": calendar.decode() if calendar else None,
        },
        now=now,
    )
    references = [*thread.references, *([thread.in_reply_to] if thread.in_reply_to else [])]
    error = deliver(
        service.store,
        service.mailer,
        message,
        sender=service.sender,
        now=now,
        references=list(dict.fromkeys(references)),
        events=service.events,
    )
    return {"sent": error is None, "error": error, "message_id": message.message_id}


def _when_text(moment: datetime, time_zone: str) -> str:
    return moment.astimezone(zone(time_zone)).strftime("%Y-%m-%d %H:%M") + f" ({time_zone})"


def _signature(body: str, service: SalesService) -> str:
    return f"{body}\n\n{service.signature}\n"


def book_meeting(
    service: SalesService, lead: Lead, *, now: datetime, thread: Thread, language: str | None = None
) -> dict[str, Any]:
    """Propose slots with the lead's owner and invite lead and rep to the first; `no_free_slot` when none."""
    language = language or lead_language(lead)
    existing = service.store.meeting_of_lead(lead.lead_id)
    if lead.owner_id is None:
        return {"outcome": "no_free_slot", "rep": None, "reason": "the lead has no assigned rep"}
    rep = service.reads.rep(lead.owner_id)
    if existing is not None:
        body = reply_text(
            language,
            "propose",
            first=lead.first_name,
            full=lead.full_name,
            rep=rep.full_name,
            slot=_when_text(existing.starts_at, lead.time_zone),
            others="-",
        )
        return {
            "outcome": "meeting_booked",
            "rep": rep.user_id,
            "rep_name": rep.full_name,
            "uid": existing.uid,
            "slots": [existing.starts_at.isoformat()],
            "already": True,
            "message": body,
        }
    busy = [(m.starts_at, m.ends_at) for m in service.store.meetings_of_rep(rep.user_id)]
    minutes = service.settings.sales_meeting_minutes
    slots = free_slots(
        rep, lead_time_zone=lead.time_zone, after=now, busy=busy, minutes=minutes, cadence=service.cadence
    )
    if not slots:
        body = reply_text(language, "no_slot", first=lead.first_name, full=lead.full_name, rep=rep.full_name)
        sent = _send(service, lead, "reply", thread, _signature(body, service), now=now, language=language)
        return {
            "outcome": "no_free_slot",
            "rep": rep.user_id,
            "rep_name": rep.full_name,
            "manager": rep.manager_id,
            "message": body,
            **sent,
        }
    start, end = slots[0], slots[0] + timedelta(minutes=minutes)
    domain = address_of(service.sender).rpartition("@")[2]
    uid = f"meeting-{lead.lead_id}-{start:%Y%m%dT%H%M}@{domain}"
    values = {"company": lead.company, "lead": lead.full_name, "rep": rep.full_name}
    ics = meeting_invite(
        uid=uid,
        start=start,
        end=end,
        time_zone=rep.time_zone,
        summary=reply_text(language, "invite_summary", **values),
        description=reply_text(language, "invite_description", **values),
        organizer=(name_of(service.sender), address_of(service.sender)),
        attendees=[(lead.full_name, str(lead.email)), (rep.full_name, rep.email)],
        stamp=now,
    )
    meeting = Meeting(uid=uid, lead_id=lead.lead_id, rep_id=rep.user_id, starts_at=start, ends_at=end, ics=ics.decode())
    service.store.add_meeting(meeting, now=now)
    service.events.record(
        [
            Event(
                kind="meeting_booked",
                agent=AGENT,
                at=now,
                channel="email",
                language=language,
                person=person_digest(lead.lead_id),
                data={"lead_id": lead.lead_id, "rep_id": rep.user_id, "starts_at": start.isoformat()},
            )
        ]
    )
    others = ", ".join(_when_text(s, lead.time_zone) for s in slots[1:]) or "-"
    body = reply_text(
        language,
        "propose",
        first=lead.first_name,
        full=lead.full_name,
        rep=rep.full_name,
        slot=_when_text(start, lead.time_zone),
        others=others,
    )
    sent = _send(
        service,
        lead,
        "invite",
        thread,
        _signature(body, service),
        now=now,
        language=language,
        cc=[rep.email],
        calendar=ics,
    )
    return {
        "outcome": "meeting_booked",
        "rep": rep.user_id,
        "rep_name": rep.full_name,
        "uid": uid,
        "slots": [s.isoformat() for s in slots],
        "message": body,
        **sent,
    }


def answer_question(
    service: SalesService, lead: Lead, question: str, *, now: datetime, thread: Thread, language: str | None = None
) -> dict[str, Any]:
    """Answer from the sales collateral when a passage answers the question; otherwise the rep will."""
    language = language or lead_language(lead)
    rep_name = service.reads.rep(lead.owner_id).full_name if lead.owner_id else "Halyard Cloud"
    hit = None
    if service.knowledge is not None:
        found = service.knowledge.search(question, collection="sales", k=3)
        hit = next((h for h in found.hits if h.similarity is None or h.similarity >= ANSWER_SIMILARITY), None)
    if hit is None:
        body = reply_text(language, "question_handoff", first=lead.first_name, full=lead.full_name, rep=rep_name)
        sent = _send(service, lead, "reply", thread, _signature(body, service), now=now, language=language)
        return {"outcome": "question_for_rep", "message": body, **sent}
    body = reply_text(
        language,
        "answer",
        first=lead.first_name,
        full=lead.full_name,
        rep=rep_name,
        title=hit.title,
        excerpt=excerpt(hit.text),
    )
    sent = _send(service, lead, "answer", thread, _signature(body, service), now=now, language=language)
    return {"outcome": "answered", "source": hit.title, "doc_id": hit.doc_id, "message": body, **sent}


def snooze(
    service: SalesService,
    lead: Lead,
    *,
    until: datetime,
    now: datetime,
    reason: str,
    thread: Thread | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """Pause the cadence until `until`; with a `thread`, tell the lead when they will hear from us again."""
    service.store.set_status(lead.lead_id, "snoozed", now=now, reason=reason, until=until)
    result: dict[str, Any] = {"outcome": "snoozed", "until": until.isoformat(), "reason": reason}
    if thread is not None:
        language = language or lead_language(lead)
        body = reply_text(
            language, "not_now", first=lead.first_name, full=lead.full_name, date=local_day(until, lead.time_zone)
        )
        result.update(
            message=body, **_send(service, lead, "reply", thread, _signature(body, service), now=now, language=language)
        )
    return result


def resume_at(day: datetime | None, *, now: datetime, time_zone: str, default_days: int, day_after: bool) -> datetime:
    """The start of `day` (or of the day after it: someone away *until* a date is back the next day) in the lead's
    zone, or `default_days` from now when the reply names no date; quiet hours then move it to the morning."""
    if day is None:
        return now + timedelta(days=default_days)
    start = day.date() + timedelta(days=1 if day_after else 0)
    return datetime.combine(start, time(0), tzinfo=zone(time_zone)).astimezone(now.tzinfo)


def local_day(moment: datetime, time_zone: str) -> str:
    """The calendar day `moment` falls on for the lead, as people read it."""
    return moment.astimezone(zone(time_zone)).date().isoformat()


def unsubscribe(service: SalesService, lead: Lead, *, now: datetime) -> dict[str, Any]:
    """Stop every further e-mail to the lead; nothing is sent, not even a confirmation."""
    service.store.set_status(lead.lead_id, "stopped", now=now, reason="unsubscribed")
    return {"outcome": "unsubscribed"}


def ask_for_right_contact(
    service: SalesService, lead: Lead, text: str, *, now: datetime, thread: Thread | None, language: str | None = None
) -> dict[str, Any]:
    """Stop the cadence; thank for a named contact, or ask who the right one is (by e-mail with a `thread`)."""
    service.store.set_status(lead.lead_id, "stopped", now=now, reason="wrong_person")
    language = language or lead_language(lead)
    own = (lead.email or "").lower()
    referrals = [a for a in EMAIL.findall(text) if a.lower() != own]
    if referrals:
        body = reply_text(
            language, "wrong_person_thanks", first=lead.first_name, full=lead.full_name, referral=referrals[0]
        )
        outcome = "referral"
    else:
        body = reply_text(
            language, "wrong_person_ask", first=lead.first_name, full=lead.full_name, company=lead.company
        )
        outcome = "asked_for_contact"
    result = {"outcome": outcome, "referrals": referrals, "message": body}
    if thread is not None:
        result.update(_send(service, lead, "reply", thread, _signature(body, service), now=now, language=language))
    return result
