"""Slack: mentions and direct messages reach the seller assistant (Events API over HTTP, signed by Slack).

slack-bolt verifies each request's signature with the signing secret and acknowledges at once; the turn runs after
the acknowledgement and its reply is posted in the message's thread. The Slack user is the seller the assistant acts
for, found by the e-mail Slack knows for them in the company's user directory; one Slack thread is one conversation.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Final

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from slack_bolt import App as BoltApp
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk import WebClient

from cadre.agents.runtime import TurnRequest
from cadre.channels.identity import person_for, principal_for_email, remembered_identity
from cadre.channels.threads import conversation_of, record_thread, threads_of
from cadre.errors import CadreError
from cadre.server.auth import services_of

if TYPE_CHECKING:
    from cadre.agents.store import ConversationRow
    from cadre.server.services import Services

logger = logging.getLogger(__name__)

CHANNEL: Final = "slack"
_MENTION = re.compile(r"<@[A-Z0-9]+>")


class SlackNotConfigured(CadreError):
    """The Slack channel needs a bot token and a signing secret."""


def mount(app: FastAPI) -> None:
    @app.post(
        "/slack/events",
        tags=["channels"],
        summary="Slack Events API: mentions and direct messages for the seller assistant (Slack-signed, no key)",
    )
    async def slack_events(request: Request) -> Response:
        # Slack retries an event it thinks timed out; the first delivery is already being answered.
        if request.headers.get("x-slack-retry-reason") == "http_timeout":
            return Response(status_code=200)
        services = services_of(request)
        body = await request.body()
        try:
            bolt = await run_in_threadpool(_bolt_of, request.app, services)
        except SlackNotConfigured as exc:
            raise HTTPException(503, exc.one_line()) from exc
        answer = await run_in_threadpool(bolt.dispatch, to_bolt_request(request, body))
        return to_starlette_response(answer)


def _bolt_of(app: FastAPI, services: Services) -> BoltApp:
    """The app's bolt App, made on the first event (it asks Slack who the bot is)."""
    bolt: BoltApp | None = getattr(app.state, "slack_bolt", None)
    if bolt is None:
        bolt = slack_app(services)
        app.state.slack_bolt = bolt
    return bolt


def slack_app(services: Services) -> BoltApp:
    secret = services.settings.slack_signing_secret
    if secret is None:
        raise SlackNotConfigured("Slack events need `CADRE_SLACK_SIGNING_SECRET` to be set, got no signing secret")
    bolt = BoltApp(signing_secret=secret.get_secret_value(), client=web_client(services), name="cadre")

    @bolt.event("app_mention")
    def on_mention(event: dict[str, Any], client: WebClient) -> None:
        answer_event(services, client, event)

    @bolt.event("message")
    def on_message(event: dict[str, Any], client: WebClient) -> None:
        # Channel messages that mention the bot arrive as `app_mention` too; edits and bots' posts are not asks.
        if event.get("channel_type") == "im" and not event.get("subtype") and not event.get("bot_id"):
            answer_event(services, client, event)

    return bolt


def web_client(services: Services) -> WebClient:
    token = services.settings.slack_bot_token
    if token is None:
        raise SlackNotConfigured("the Slack channel needs `CADRE_SLACK_BOT_TOKEN` to be set, got no token")
    base_url = services.settings.slack_api_url or WebClient.BASE_URL
    return WebClient(token=token.get_secret_value(), base_url=base_url.rstrip("/") + "/")


def answer_event(services: Services, client: WebClient, event: dict[str, Any]) -> None:
    """Run the agent's turn for one Slack message and post the reply in its thread."""
    channel, user = str(event["channel"]), str(event.get("user", ""))
    thread_ts = str(event.get("thread_ts") or event["ts"])
    text = _MENTION.sub("", str(event.get("text", ""))).strip()
    if not text:
        return
    agent = services.settings.slack_agent
    principal, person = seller_of(services, client, user)
    if principal is None:
        client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text="I work for colleagues in the company directory, and your Slack e-mail is not in it. "
            "Ask an administrator to add it.",
        )
        return
    key = f"{channel}:{thread_ts}"
    try:
        result = services.runtime.run_turn(
            TurnRequest(
                agent=agent,
                message=text,
                conversation_id=conversation_of(services, CHANNEL, [key], agent=agent),
                principal=principal,
                person_id=person,
                channel=CHANNEL,
            )
        )
    except CadreError as exc:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=f"Sorry, I could not answer: {exc}")
        return
    record_thread(services, CHANNEL, key, result.conversation_id, address=channel)
    client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=slack_text(result.reply, result.citations))


def seller_of(services: Services, client: WebClient, user: str) -> tuple[str | None, str | None]:
    """The principal and person behind a Slack user id: remembered, or found by the e-mail Slack has for them."""
    remembered = remembered_identity(services, CHANNEL, user)
    if remembered is not None and remembered.principal:
        return remembered.principal, remembered.person_id
    profile = client.users_info(user=user).get("user") or {}
    email = str((profile.get("profile") or {}).get("email") or "")
    if not email:
        return None, None
    principal = principal_for_email(services, email)
    person = person_for(services, CHANNEL, user, email=email, principal=principal)
    return principal, person


def slack_text(reply: str, citations: list[dict[str, Any]]) -> str:
    """A reply in Slack's markup, its sources as `<url|title>` links."""
    links = list(dict.fromkeys((c["title"], c["url"]) for c in citations if c.get("url")))
    text = _escape(reply)
    if links:
        text += "\n" + "Sources: " + ", ".join(f"<{url}|{_escape(title).replace('|', '/')}>" for title, url in links)
    return text


def send_human_reply(services: Services, conversation: ConversationRow, text: str, author: str) -> str | None:
    """A human's answer from the inbox, posted in the conversation's Slack thread; the message's ts."""
    threads = [row for row in threads_of(services, CHANNEL, conversation.id) if row.address]
    if not threads:
        return None
    channel, _, thread_ts = threads[-1].thread_key.rpartition(":")
    posted = web_client(services).chat_postMessage(
        channel=channel, thread_ts=thread_ts, text=f"*{_escape(author)}*: {_escape(text)}"
    )
    return str(posted.get("ts") or "") or None


def _escape(text: str) -> str:
    # Slack reads `&`, `<` and `>` as markup; everything else is shown as written.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
