"""E-mail: an inbound message (webhook) becomes a turn of an agent, answered by SMTP in the sender's thread.

A message continues the conversation its `In-Reply-To`/`References` name (every Message-ID of a thread, ours and
the customer's, is remembered in `channel_threads`); a new thread continues the sender's latest open conversation
with the agent when the sender is a known person, so e-mail picks up where the web widget left off. Messages to
the SDR agent are lead replies: they go to the SDR workflow (`cadre sales inbound` does the same from a file).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from email import policy as email_policy
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from typing import TYPE_CHECKING, Any, Final

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool

from cadre.agents.runtime import TurnRequest, TurnResult
from cadre.channels.identity import person_for
from cadre.channels.threads import conversation_of, record_thread, threads_of
from cadre.sales.inbound import parse_reply
from cadre.sales.mail import MailNotSent, SmtpMailer, compose, message_id
from cadre.server.auth import Caller, require, services_of
from cadre.server.limits import EMAIL_INBOUND_PATH

if TYPE_CHECKING:
    from cadre.agents.store import ConversationRow
    from cadre.server.services import Services

logger = logging.getLogger(__name__)

CHANNEL: Final = "email"
DEFAULT_AGENT = "service"
SDR_AGENT = "sdr"
CONTENT_TYPES = ("message/rfc822", "text/plain")
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|sv|r|rif|antw)\s*:", re.IGNORECASE)
_IDS = re.compile(r"<[^<>\s]+>")


def mount(app: FastAPI) -> None:
    @app.post(
        EMAIL_INBOUND_PATH,
        tags=["channels"],
        summary="Receive one e-mail (raw RFC 822) for an agent; the agent's reply goes out by SMTP, threaded",
    )
    async def email_inbound(
        request: Request,
        caller: Caller = Depends(require("converse")),
        agent: str | None = Query(None, description="The agent to answer; a channel key's own agent by default."),
    ) -> dict[str, Any]:
        if caller.role not in ("channel", "admin"):
            raise HTTPException(403, f"inbound e-mail takes a channel key or an admin, got the {caller.role} role")
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in CONTENT_TYPES:
            raise HTTPException(415, f"the body must be {' or '.join(CONTENT_TYPES)}, got {content_type or 'none'!r}")
        name = agent or caller.agent or DEFAULT_AGENT
        caller.check_agent(name)
        raw = await request.body()
        return await run_in_threadpool(receive, services_of(request), raw, agent=name)


def receive(services: Services, raw: bytes, *, agent: str) -> dict[str, Any]:
    """Answer one inbound e-mail as `agent`; a message seen before is not answered twice."""
    if agent == SDR_AGENT:
        return _to_sdr(services, raw)
    reply = parse_reply(raw)
    if reply.bounce or reply.auto_reply:  # answering robots only makes mail loops
        return {"agent": agent, "outcome": "ignored", "reason": "bounce" if reply.bounce else "auto-reply"}
    seen = conversation_of(services, CHANNEL, [reply.message_id])
    if seen is not None:
        return {"agent": agent, "outcome": "duplicate", "conversation_id": seen}
    headers = BytesHeaderParser(policy=email_policy.default).parsebytes(raw)
    thread = _ids(headers.get("References")) or _ids(headers.get("In-Reply-To"))
    conversation_id = conversation_of(services, CHANNEL, [*reversed(thread), *reply.references], agent=agent)
    person = person_for(services, CHANNEL, reply.sender, email=reply.sender)
    result = services.runtime.run_turn(
        TurnRequest(
            agent=agent,
            message=_turn_message(reply.subject, reply.text),
            conversation_id=conversation_id,
            principal=f"email:{reply.sender}",
            person_id=person,
            channel=CHANNEL,
        )
    )
    record_thread(services, CHANNEL, reply.message_id, result.conversation_id, address=reply.sender)
    ours = _our_address(headers.get("To"), support_address(services))
    answer = compose(
        sender=ours,
        to=[reply.sender],
        subject=reply_subject(reply.subject),
        body=reply_body(result),
        message_id=message_id(f"cadre.turn.{result.turn_id}", ours),
        sent_at=datetime.now(UTC),
        in_reply_to=reply.message_id,
        references=[*thread, reply.message_id],
    )
    outcome: dict[str, Any] = {
        "agent": agent,
        "outcome": "answered",
        "conversation_id": result.conversation_id,
        "turn_id": result.turn_id,
        "person_id": person,
        "handoff": result.handoff,
        "message_id": answer["Message-ID"],
        "sent": True,
    }
    try:
        SmtpMailer.from_settings(services.settings).send(answer)
    except MailNotSent as exc:
        # The turn is in the transcript and the message is remembered, so a retried webhook is a duplicate:
        # the failure is reported, not raised, and a human can answer from the inbox.
        logger.warning("reply to %s not sent: %s", reply.sender, exc.one_line())
        return {**outcome, "sent": False, "error": exc.one_line()}
    record_thread(services, CHANNEL, str(answer["Message-ID"]), result.conversation_id)
    return outcome


def send_human_reply(services: Services, conversation: ConversationRow, text: str, author: str) -> str | None:
    """A human's answer from the inbox, sent to the customer threaded under their last e-mail; its Message-ID."""
    threads = threads_of(services, CHANNEL, conversation.id)
    theirs = [row for row in threads if row.address]  # the customer's messages carry where to answer them
    if not theirs:
        return None
    last = theirs[-1]
    assert last.address is not None
    ours = support_address(services)
    answer = compose(
        sender=ours,
        to=[last.address],
        subject=reply_subject(_subject_of(services, conversation.id)),
        body=text,
        message_id=message_id(f"cadre.human.{conversation.id}.{len(threads)}", ours),
        sent_at=datetime.now(UTC),
        in_reply_to=last.thread_key,
        references=[row.thread_key for row in threads],
    )
    SmtpMailer.from_settings(services.settings).send(answer)
    record_thread(services, CHANNEL, str(answer["Message-ID"]), conversation.id)
    return str(answer["Message-ID"])


def support_address(services: Services) -> str:
    """Where customers' mail is answered from when the message they wrote to does not say (a human's reply)."""
    return services.settings.support_mail_from or services.settings.mail_from


def reply_subject(subject: str) -> str:
    subject = subject.strip()
    if not subject:
        return "Re: your message"
    return subject if _REPLY_PREFIX.match(subject) else f"Re: {subject}"


def reply_body(result: TurnResult) -> str:
    """The agent's reply, then its sources as plain links (mail clients make them clickable)."""
    links = list(dict.fromkeys((c["title"], c["url"]) for c in result.citations if c.get("url")))
    if not links:
        return result.reply
    sources = "\n".join(f"- {title}: {url}" for title, url in links)
    return f"{result.reply}\n\nSources:\n{sources}"


def _turn_message(subject: str, text: str) -> str:
    """A new thread's subject is often the question itself; a reply's subject repeats ours and says nothing."""
    subject = subject.strip()
    if not subject or _REPLY_PREFIX.match(subject) or subject.lower() in text.lower():
        return text
    return f"{subject}\n\n{text}"


def _subject_of(services: Services, conversation_id: str) -> str:
    """The thread's subject as the customer's first e-mail message started it (its first line)."""
    for message in services.conversations.messages(conversation_id):
        if message["role"] == "customer" and message["channel"] == CHANNEL:
            return str(message["text"]).strip().splitlines()[0][:120]
    return ""


def _our_address(to_header: str | None, fallback: str) -> str:
    """Answer from the mailbox the customer wrote to, so the reply comes from where they expect it."""
    for name, address in getaddresses([to_header or ""]):
        if "@" in address:
            return f"{name} <{address}>" if name else address
    return fallback


def _ids(header: str | None) -> list[str]:
    return _IDS.findall(str(header or ""))


def _to_sdr(services: Services, raw: bytes) -> dict[str, Any]:
    from cadre.sales.service import SalesService

    sales = SalesService.from_settings(services.settings, services.db, services.data, knowledge=services.knowledge)
    return {"agent": SDR_AGENT, **sales.inbound(raw, now=datetime.now(UTC))}
