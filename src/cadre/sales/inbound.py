"""A lead's e-mail reply: parse it, find the lead, classify it, act, and record it so nothing is lost.

The reply is stored (raw) before anything else happens, keyed by its Message-ID: a malformed message is kept
and refused with a clear error, and a reply handled once is never handled again.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes
from email import policy as email_policy
from email.errors import MessageDefect
from email.message import EmailMessage
from email.utils import getaddresses
from typing import TYPE_CHECKING, Any

from cadre.agents.models import LANGUAGES
from cadre.errors import CadreError
from cadre.knowledge.language import detect_language
from cadre.sales import acts
from cadre.sales.classify import classify_reply
from cadre.sales.crm import set_lead_status
from cadre.sales.dates import named_date
from cadre.sales.handoff import ReplyRecord, briefing, profile_card, record_reply, rep_queue
from cadre.sales.leads import UnknownLead
from cadre.sales.models import Lead
from cadre.sales.personalise import lead_language
from cadre.sales.qualify import qualify
from cadre.sales.store import Meeting

if TYPE_CHECKING:
    from cadre.sales.service import SalesService

logger = logging.getLogger(__name__)

MAX_BYTES = 5_000_000
# Where the quoted original starts in the replies mail clients write, in the seven languages.
_QUOTE_HEADER = re.compile(
    r"^(?:On .+wrote:|Le .+a écrit\s*:|Am .+schrieb .+:|El .+escribió:|Il .+ha scritto:|Em .+escreveu:"
    r"|-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Messaggio originale"
    r"|Mensagem original)\s*-{2,}|From:\s.+|De\s*:\s.+|Von:\s.+|Da:\s.+|.+さんは書きました\s*[:\uff1a]?)\s*$",
    re.IGNORECASE,
)


class MalformedReply(CadreError):
    """An inbound e-mail cannot be read as a reply (no sender, no text, broken structure)."""


@dataclass(frozen=True)
class ParsedReply:
    message_id: str
    sender: str
    subject: str
    text: str  # what the lead wrote, without the quoted original
    references: list[str]  # In-Reply-To first, then References (for a bounce: the undelivered message's id)
    auto_reply: bool
    bounce: bool = False  # a delivery status notification: our message could not be delivered


def parse_reply(raw: bytes) -> ParsedReply:
    """Read an RFC 5322 message (stdlib `email`, default policy); `MalformedReply` says what is wrong."""
    if not raw.strip():
        raise MalformedReply("an inbound e-mail must not be empty")
    if len(raw) > MAX_BYTES:
        raise MalformedReply(f"an inbound e-mail must be at most {MAX_BYTES} bytes, got {len(raw)}")
    message = message_from_bytes(raw, policy=email_policy.default)
    assert isinstance(message, EmailMessage)
    structural = [d for d in message.defects if _structural(d)]
    if structural:
        raise MalformedReply(f"an inbound e-mail must be well-formed, got {type(structural[0]).__name__}")
    senders = [address for _, address in getaddresses([str(message.get("From", ""))]) if "@" in address]
    if not senders:
        raise MalformedReply(f"an inbound e-mail must have a From address, got {message.get('From')!r}")
    message_id = (_ids(str(message.get("Message-ID", ""))) or [_digest_id(raw)])[0]
    undelivered = _undelivered(message)
    if undelivered is not None:
        return ParsedReply(message_id, senders[0].lower(), str(message.get("Subject", "")), "", undelivered, True, True)
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        raise MalformedReply("an inbound e-mail must have a text part, got none")
    try:
        content = str(body.get_content())
    except (LookupError, ValueError) as exc:
        raise MalformedReply(f"an inbound e-mail's text must be decodable, got {exc}") from exc
    if body.get_content_subtype() == "html":
        content = re.sub(r"<[^>]+>", " ", content)
    text = new_text(content)
    if not text:
        raise MalformedReply("an inbound e-mail must contain text of its own, got only quoted text")
    references = _ids(str(message.get("In-Reply-To", ""))) + _ids(str(message.get("References", "")))
    auto = str(message.get("Auto-Submitted", "no")).lower().startswith("auto-replied") or bool(
        message.get("X-Autoreply")
    )
    return ParsedReply(
        message_id=message_id,
        sender=senders[0].lower(),
        subject=str(message.get("Subject", "")),
        text=text,
        references=list(dict.fromkeys(references)),
        auto_reply=auto,
    )


def _undelivered(message: EmailMessage) -> list[str] | None:
    """For a delivery status notification (RFC 3464), the ids of the message that bounced; None otherwise."""
    if message.get_content_type() != "multipart/report" or message.get_param("report-type") != "delivery-status":
        return None
    found = _ids(str(message.get("In-Reply-To", ""))) + _ids(str(message.get("References", "")))
    for part in message.walk():
        if part.get_content_type() in ("message/rfc822", "text/rfc822-headers"):
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else payload
            text = inner.as_string() if hasattr(inner, "as_string") else str(inner)
            found += re.findall(r"(?im)^message-id:\s*(<[^<>\s]+>)", text)
    return list(dict.fromkeys(found))


def new_text(content: str) -> str:
    """The lines the sender wrote: quoted lines and everything after a quote header are dropped."""
    kept: list[str] = []
    for line in content.splitlines():
        if _QUOTE_HEADER.match(line.strip()):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def handle_reply(service: SalesService, raw: bytes, *, now: datetime) -> dict[str, Any]:
    """Parse, match, classify and act on one reply; a reply seen before returns its first outcome unchanged."""
    try:
        reply = parse_reply(raw)
    except MalformedReply as exc:
        digest = _digest_id(raw)
        if service.store.inbound(digest) is None:
            service.store.record_inbound(
                _row(digest, None, None, None, "", raw, "malformed", None, None, {"error": exc.one_line()}, now)
            )
        raise
    seen = service.store.inbound(reply.message_id)
    if seen is not None:
        return {**seen, "duplicate": True}
    if reply.bounce:
        outcome = _bounced(service, reply, now)
        service.store.record_inbound(
            _row(
                reply.message_id,
                outcome["lead_id"],
                reply.sender,
                reply.subject,
                "",
                raw,
                "bounce",
                None,
                None,
                outcome,
                now,
            )
        )
        return outcome
    lead = _match(service, reply)
    if lead is None:
        outcome = _unmatched(service, reply)
        service.store.record_inbound(
            _row(
                reply.message_id,
                None,
                reply.sender,
                reply.subject,
                reply.text,
                raw,
                "unmatched",
                None,
                None,
                outcome,
                now,
            )
        )
        return outcome
    detected = detect_language(reply.text)
    # Answer in the language the lead wrote in; a reply too short to tell is taken as the lead's usual one.
    language = detected or lead_language(lead)
    if detected is not None and detected not in LANGUAGES:
        outcome = _unsupported(service, lead, reply, detected, now)
        status, label = "unsupported", None
    else:
        outcome = _act(service, lead, reply, language, now)
        status, label = "handled", outcome["classification"]
    logger.info("reply from lead %s: %s -> %s", lead.lead_id, label or status, outcome["outcome"])
    service.store.record_inbound(
        _row(
            reply.message_id,
            lead.lead_id,
            reply.sender,
            reply.subject,
            reply.text,
            raw,
            status,
            label,
            language,
            outcome,
            now,
        )
    )
    return outcome


def _act(service: SalesService, lead: Lead, reply: ParsedReply, language: str, now: datetime) -> dict[str, Any]:
    found = classify_reply(reply.text, auto_reply=reply.auto_reply)
    thread = acts.Thread(
        key=reply.message_id, in_reply_to=reply.message_id, references=reply.references, subject=reply.subject
    )
    label = found.label
    month_first = lead.country in ("US", "CA")
    named = named_date(reply.text, today=now.date(), month_first=month_first)
    named_at = datetime.combine(named, datetime.min.time(), tzinfo=now.tzinfo) if named else None
    handoff_reason: str | None = None
    note: str | None = None
    meeting = None
    if label == "interested":
        result = acts.book_meeting(service, lead, now=now, thread=thread, language=language)
        if result["outcome"] == "meeting_booked":
            service.store.set_status(lead.lead_id, "booked", now=now, reason="meeting_booked")
            result["crm_error"] = set_lead_status(service.data, lead.lead_id, "qualified", now=now)
            meeting = service.store.meeting_of_lead(lead.lead_id)
            handoff_reason = "meeting_booked"
        else:
            service.store.set_status(lead.lead_id, "stopped", now=now, reason="interested")
            handoff_reason = "no_free_slot"
            note = "No free slot in the next two weeks: please propose times to the lead yourself."
    elif label == "question":
        result = acts.answer_question(service, lead, reply.text, now=now, thread=thread, language=language)
        service.store.set_status(lead.lead_id, "stopped", now=now, reason="replied")
        handoff_reason = "question" if result["outcome"] == "question_for_rep" else None
    elif label == "not_now":
        until = acts.resume_at(
            named_at, now=now, time_zone=lead.time_zone, default_days=acts.NOT_NOW_DAYS, day_after=False
        )
        result = acts.snooze(service, lead, until=until, now=now, reason="not_now", thread=thread, language=language)
    elif label == "out_of_office":
        until = acts.resume_at(
            named_at, now=now, time_zone=lead.time_zone, default_days=acts.OUT_OF_OFFICE_DAYS, day_after=True
        )
        result = acts.snooze(service, lead, until=until, now=now, reason="out_of_office")
    elif label == "unsubscribe":
        result = acts.unsubscribe(service, lead, now=now)
    elif label == "wrong_person":
        result = acts.ask_for_right_contact(service, lead, reply.text, now=now, thread=thread, language=language)
        handoff_reason = "referral" if result["referrals"] else None
    else:
        service.store.set_status(lead.lead_id, "stopped", now=now, reason="replied")
        result = {"outcome": "unclassified"}
        handoff_reason = "unclassified_reply"
    outcome = {"lead_id": lead.lead_id, "classification": label, "cue": found.cue, "language": language, **result}
    _record(service, lead, reply, outcome, handoff_reason, note, meeting, now)
    return outcome


def _record(
    service: SalesService,
    lead: Lead,
    reply: ParsedReply,
    outcome: dict[str, Any],
    reason: str | None,
    note: str | None,
    meeting: Meeting | None,
    now: datetime,
) -> None:
    handoff = None
    if reason is not None:
        profile = service.reads.profiles([lead])[0]
        graded = qualify(profile, now=now)
        summary = briefing(
            profile,
            graded,
            wrote=reply.text,
            language=outcome["language"],
            classification=outcome["classification"],
            meeting=meeting,
            note=note,
        )
        queue = rep_queue(lead.owner_id)
        if reason == "no_free_slot" and outcome.get("manager"):
            queue = rep_queue(str(outcome["manager"]))  # the rep's calendar is full: their manager finds time
        handoff = {"queue": queue, "reason": reason, "summary": summary}
        outcome["handoff"] = {"queue": queue, "reason": reason}
    action = {"name": outcome["outcome"], "arguments": {"lead_id": lead.lead_id}, "ok": True}
    outcome["conversation_id"] = record_reply(
        service.db,
        ReplyRecord(
            lead_id=lead.lead_id,
            message=reply.text,
            language=outcome["language"],
            topic=outcome["classification"],
            reply=str(outcome.get("message", "")),
            actions=[action],
            handoff=handoff,
            profile=profile_card(lead),
        ),
    )


def _unsupported(service: SalesService, lead: Lead, reply: ParsedReply, detected: str, now: datetime) -> dict[str, Any]:
    """A reply in a language the SDR does not write: no automatic answer, the rep takes it."""
    service.store.set_status(lead.lead_id, "stopped", now=now, reason="replied")
    profile = service.reads.profiles([lead])[0]
    note = f"The reply is in an unsupported language ({detected}); answer it yourself."
    summary = briefing(profile, None, wrote=reply.text, language=detected, classification=None, note=note)
    queue = rep_queue(lead.owner_id)
    outcome: dict[str, Any] = {
        "lead_id": lead.lead_id,
        "classification": None,
        "language": detected,
        "outcome": "unsupported_language",
        "handoff": {"queue": queue, "reason": "unsupported_language"},
    }
    outcome["conversation_id"] = record_reply(
        service.db,
        ReplyRecord(
            lead_id=lead.lead_id,
            message=reply.text,
            language=detected,
            topic=None,
            handoff={"queue": queue, "reason": "unsupported_language", "summary": summary},
            profile=profile_card(lead),
        ),
    )
    return outcome


def _bounced(service: SalesService, reply: ParsedReply, now: datetime) -> dict[str, Any]:
    """Our message to a lead could not be delivered: its sequence stops, the address is not written to again."""
    lead_id = service.store.lead_of_message(reply.references)
    if lead_id is not None:
        service.store.set_status(lead_id, "stopped", now=now, reason="bounced")
    logger.info("bounce for lead %s (undelivered %s)", lead_id, reply.references)
    return {"lead_id": lead_id, "classification": None, "outcome": "bounced" if lead_id else "unmatched_bounce"}


def _unmatched(service: SalesService, reply: ParsedReply) -> dict[str, Any]:
    summary = f"A reply from {reply.sender} matched no lead (subject “{reply.subject}”)."
    outcome: dict[str, Any] = {
        "lead_id": None,
        "classification": None,
        "outcome": "unmatched",
        "sender": reply.sender,
        "handoff": {"queue": "sales", "reason": "unmatched_reply"},
    }
    outcome["conversation_id"] = record_reply(
        service.db,
        ReplyRecord(
            lead_id=None,
            message=reply.text,
            language=None,
            topic=None,
            handoff={"queue": "sales", "reason": "unmatched_reply", "summary": summary},
        ),
    )
    return outcome


def _match(service: SalesService, reply: ParsedReply) -> Lead | None:
    """The lead our message was sent to (In-Reply-To/References), else the one with the sender's address."""
    lead_id = service.store.lead_of_message(reply.references)
    if lead_id is not None:
        try:
            return service.reads.lead(lead_id)
        except UnknownLead:
            return None
    found = service.reads.leads_by_email(reply.sender)
    open_first = sorted(found, key=lambda lead: (lead.status not in ("new", "working"), lead.lead_id))
    return open_first[0] if open_first else None


def _structural(defect: MessageDefect) -> bool:
    # Defects that mean the message is not a message; cosmetic ones (a stray header whitespace) are tolerated.
    return type(defect).__name__ in {
        "MissingHeaderBodySeparatorDefect",
        "StartBoundaryNotFoundDefect",
        "CloseBoundaryNotFoundDefect",
        "MultipartInvariantViolationDefect",
        "NoBoundaryInMultipartDefect",
        "InvalidMultipartContentTransferEncodingDefect",
    }


def _ids(header: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", header)


def _digest_id(raw: bytes) -> str:
    return f"<sha256.{hashlib.sha256(raw).hexdigest()[:40]}@inbound.cadre>"


def _row(
    message_id: str,
    lead_id: str | None,
    sender: str | None,
    subject: str | None,
    body: str,
    raw: bytes,
    status: str,
    label: str | None,
    language: str | None,
    outcome: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "lead_id": lead_id,
        "sender": sender,
        "subject": subject,
        "body": body,
        "raw": raw.decode("utf-8", errors="replace"),
        "status": status,
        "classification": label,
        "language": language,
        "outcome": outcome,
        "received_at": now,
    }
